// A small SMTP receiver on loopback for the e-mail tests (written here rather than taking the
// smtp-server package: the tests need one thing it does not offer, holding the answer to a message
// it has already taken, to kill a worker inside the SMTP conversation). It speaks what nodemailer
// uses: EHLO/HELO, AUTH PLAIN, MAIL FROM, RCPT TO, DATA (dot-stuffed), RSET, NOOP, QUIT. Every message
// whose data arrived is recorded, decoded (RFC 2047 subject, quoted-printable or base64 text).
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** Header names in lower case, folded lines joined, encoded words decoded. */
  headers: Record<string, string>;
  subject: string;
  messageId: string;
  text: string;
  raw: string;
}

export interface SmtpReceiverOptions {
  /** Credentials AUTH PLAIN must carry; without them no AUTH is offered. */
  auth?: { user: string; pass: string };
  /** Recipients answered 550 at RCPT TO. */
  reject?: readonly string[];
}

export interface SmtpReceiver {
  /** smtp://user:pass@127.0.0.1:port */
  url: string;
  mails: ReceivedMail[];
  /** How many times each Message-ID arrived. */
  countByMessageId(): Map<string, number>;
  /**
   * The `nth` message to arrive (1-based, counting all so far) is recorded but gets no answer:
   * resolves when it arrived. Its sender cannot tell whether it was taken (as when a worker dies
   * at that moment).
   */
  holdAnswerTo(nth: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startSmtpReceiver(options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  let hold: { nth: number; release: (mail: ReceivedMail) => void } | null = null;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    session(socket);
  });

  function session(socket: Socket): void {
    let buffer = Buffer.alloc(0);
    let envelope: { from: string; to: string[] } | null = null;
    let data: Buffer[] | null = null;
    let authPending = false;
    const reply = (line: string) => {
      if (!socket.destroyed) socket.write(`${line}\r\n`);
    };
    reply('220 huitou-test ESMTP');

    const onLine = (line: Buffer) => {
      if (data) {
        const text = line.toString('latin1');
        if (text === '.') {
          const raw = Buffer.concat(data).toString('utf8');
          data = null;
          const mail = parseMail(raw, envelope as { from: string; to: string[] });
          envelope = null;
          mails.push(mail);
          if (hold && hold.nth === mails.length) {
            const { release } = hold;
            hold = null;
            release(mail); // no answer: the sender waits until it dies or times out
            return;
          }
          reply(`250 2.0.0 Ok: queued as ${mails.length}`);
          return;
        }
        // Dot-stuffing: a leading dot was doubled by the sender.
        data.push(text.startsWith('..') ? line.subarray(1) : line, Buffer.from('\r\n'));
        return;
      }
      const text = line.toString('utf8');
      if (authPending) {
        authPending = false;
        reply(checkPlain(text) ? '235 2.7.0 Authentication successful' : '535 5.7.8 Authentication failed');
        return;
      }
      const [verb, ...rest] = text.split(' ');
      const arg = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
          reply('250-huitou-test');
          if (options.auth) reply('250-AUTH PLAIN');
          reply('250-8BITMIME');
          reply('250 SMTPUTF8');
          return;
        case 'HELO':
          reply('250 huitou-test');
          return;
        case 'AUTH': {
          const [mechanism, initial] = arg.split(' ');
          if (mechanism.toUpperCase() !== 'PLAIN') return reply('504 5.5.4 Unrecognized authentication type');
          if (initial === undefined) {
            authPending = true;
            return reply('334 ');
          }
          return reply(checkPlain(initial) ? '235 2.7.0 Authentication successful' : '535 5.7.8 Authentication failed');
        }
        case 'MAIL':
          envelope = { from: addressIn(arg), to: [] };
          return reply('250 2.1.0 Ok');
        case 'RCPT': {
          if (!envelope) return reply('503 5.5.1 Error: need MAIL command');
          const to = addressIn(arg);
          if (options.reject?.includes(to)) return reply('550 5.1.1 Recipient address rejected: User unknown');
          envelope.to.push(to);
          return reply('250 2.1.5 Ok');
        }
        case 'DATA':
          if (!envelope || envelope.to.length === 0) return reply('503 5.5.1 Error: need RCPT command');
          data = [];
          return reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          envelope = null;
          return reply('250 2.0.0 Ok');
        case 'NOOP':
          return reply('250 2.0.0 Ok');
        case 'QUIT':
          reply('221 2.0.0 Bye');
          socket.end();
          return;
        default:
          reply('502 5.5.2 Error: command not recognized');
      }
    };

    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n');
        if (end < 0) return;
        const line = buffer.subarray(0, end);
        buffer = buffer.subarray(end + 2);
        onLine(line);
      }
    });
  }

  function checkPlain(base64: string): boolean {
    const [, user, pass] = Buffer.from(base64, 'base64').toString('utf8').split('\0');
    return options.auth !== undefined && user === options.auth.user && pass === options.auth.pass;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const credentials = options.auth
    ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@`
    : '';
  return {
    url: `smtp://${credentials}127.0.0.1:${port}`,
    mails,
    countByMessageId: () => {
      const counts = new Map<string, number>();
      for (const m of mails) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
      return counts;
    },
    holdAnswerTo: (nth) =>
      new Promise<ReceivedMail>((resolve) => {
        hold = { nth, release: resolve };
      }),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function addressIn(arg: string): string {
  return (/<([^>]*)>/.exec(arg)?.[1] ?? arg.replace(/^(FROM|TO):/i, '')).trim().toLowerCase();
}

function parseMail(raw: string, envelope: { from: string; to: string[] }): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  return {
    from: envelope.from,
    to: envelope.to,
    headers,
    subject: headers.subject ?? '',
    messageId: headers['message-id'] ?? '',
    text: decodeBody(body, headers['content-transfer-encoding'] ?? '7bit').replace(/\r\n/g, '\n'),
    raw,
  };
}

/** RFC 2047 encoded words (B and Q), adjacent ones joined. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_w, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : qpBytes(text.replace(/_/g, ' ')).toString('utf8'),
    );
}

function decodeBody(body: string, encoding: string): string {
  const kind = encoding.toLowerCase();
  if (kind === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (kind === 'quoted-printable') return qpBytes(body.replace(/=\r\n/g, '')).toString('utf8');
  return body;
}

function qpBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i], 'utf8'));
  }
  return Buffer.from(bytes);
}
