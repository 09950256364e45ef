// The events bench's HTTP client: keep-alive HTTP/1.1 POSTs over plain sockets, one request at a
// time on each. The load generator shares the product's two cores, and node:http's client cost it
// ~320 µs a request there (its agent, header objects, streams): CPU the product then lacked, which a
// shop's real senders (Taobao's servers) never take from it. This one writes each request as one
// string and reads an answer by its Content-Length, which is all the events route answers with.
import { connect } from 'node:net';
import type { Socket } from 'node:net';

export interface LeanAnswer {
  /** HTTP status, or 0 when no answer came (the message says why). */
  status: number;
  body: string;
}

interface Job {
  body: string;
  attempts: number;
  done: (answer: LeanAnswer) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** POSTs JSON bodies to one path over at most `connections` keep-alive sockets; more wait in line. */
export function leanPoster(url: string, path: string, headers: Record<string, string>, connections: number) {
  const target = new URL(url);
  const port = Number(target.port || 80);
  const head =
    `POST ${path} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\n` +
    Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
  const line: Job[] = [];
  const idle: Conn[] = [];
  const open = new Set<Conn>();

  class Conn {
    private socket: Socket;
    private job: Job | undefined;
    private chunks: Buffer[] = [];

    constructor() {
      this.socket = connect({ host: target.hostname, port, noDelay: true });
      this.socket.on('data', (chunk: Buffer) => this.read(chunk));
      this.socket.on('error', () => {}); // 'close' follows and settles the job
      this.socket.on('close', () => this.lost('the connection closed before an answer'));
      open.add(this);
    }

    send(job: Job): void {
      this.job = job;
      job.attempts += 1;
      this.socket.write(`${head}Content-Length: ${Buffer.byteLength(job.body)}\r\n\r\n${job.body}`);
    }

    close(): void {
      this.socket.destroy();
    }

    private read(chunk: Buffer): void {
      this.chunks.push(chunk);
      const data = this.chunks.length === 1 ? chunk : Buffer.concat(this.chunks);
      const end = data.indexOf(HEADER_END);
      if (end < 0) return;
      const header = data.subarray(0, end).toString('latin1');
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(header);
      if (!length) return this.fail(`an answer without Content-Length: ${header.split('\r\n')[0]}`);
      const bodyEnd = end + 4 + Number(length[1]);
      if (data.length < bodyEnd) {
        this.chunks = [data];
        return;
      }
      this.chunks = [];
      const job = this.job;
      this.job = undefined;
      const status = Number(header.slice(9, 12));
      job?.done({ status, body: data.subarray(end + 4, bodyEnd).toString('utf8') });
      if (/\r\nconnection:\s*close/i.test(header)) return this.close();
      idle.push(this);
      pump();
    }

    /** A keep-alive socket the server closed as it was reused: the job goes again on a new one, as a webhook would. */
    private lost(why: string): void {
      open.delete(this);
      const job = this.job;
      this.job = undefined;
      if (job) {
        if (job.attempts < 3) line.unshift(job);
        else job.done({ status: 0, body: why });
      }
      const i = idle.indexOf(this);
      if (i >= 0) idle.splice(i, 1);
      pump();
    }

    private fail(why: string): void {
      const job = this.job;
      this.job = undefined;
      job?.done({ status: 0, body: why });
      this.close();
    }
  }

  const pump = () => {
    while (line.length > 0) {
      const conn = idle.pop() ?? (open.size < connections ? new Conn() : undefined);
      if (!conn) return;
      conn.send(line.shift() as Job);
    }
  };

  return {
    post: (body: string) =>
      new Promise<LeanAnswer>((done) => {
        line.push({ body, attempts: 0, done });
        pump();
      }),
    close: () => {
      for (const conn of open) conn.close();
    },
  };
}
