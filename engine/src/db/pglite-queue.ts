import type { PGlite } from '@electric-sql/pglite';

/**
 * The query queue of pglite-socket's server, made safe for many connections.
 *
 * PGlite has one backend; the socket server feeds it the protocol messages of every connection,
 * one message at a time. pglite-socket 0.2.x's own queue gives a connection exclusive use only
 * while `db.isInTransaction()` (an explicit BEGIN block). That misses every other span in which
 * the backend holds one connection's state: the messages of one extended-protocol query (Parse,
 * Bind, Describe, Execute, Sync) run in an implicit transaction and share the unnamed statement
 * and portal, so another connection's messages interleaved between them (a BEGIN, a ROLLBACK, a
 * Parse, an error that discards input until Sync) swallow, roll back or clobber its statement:
 * rows reported as inserted were lost (sms_sink on PGlite only).
 *
 * This queue gives the backend to one connection from its first message until the backend next
 * reports ReadyForQuery with status idle ('I'): the end of a simple query or of an extended one
 * (its Sync) outside a transaction block. Inside a block (status 'T' or 'E') it stays that
 * connection's until COMMIT or ROLLBACK, exactly as a second backend would make others wait for
 * its locks, only coarser. A connection that leaves while owning the backend is rolled back.
 */
export class ExclusiveQueryQueue {
  private queue: Pending[] = [];
  /** The handler the backend belongs to between two idle ReadyForQuery, or null. */
  private owner: number | null = null;
  private running = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error('Handler disconnected'));
      return false;
    });
  }

  /** Called when a connection goes away: if it owned the backend, undo its work and let others in. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    await this.db.runExclusive(async () => {
      // Mid extended query: ROLLBACK ends its implicit transaction (or is discarded after an error
      // until the Sync). Sync ends the query; a still open BEGIN block is rolled back last.
      await this.db.execProtocolRaw(simpleQuery('ROLLBACK'));
      await this.db.execProtocolRaw(SYNC);
      if (this.db.isInTransaction()) await this.db.execProtocolRaw(simpleQuery('ROLLBACK'));
    });
    this.owner = null;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index = this.owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === this.owner);
        if (index < 0 || index >= this.queue.length) return; // empty, or waiting for the owner's next message
        const [item] = this.queue.splice(index, 1);
        const tail = new ResponseTail();
        let bytes = 0;
        this.owner = item.handlerId;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                tail.push(data);
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          // The handler fails and detaches; clearTransactionIfNeeded then frees the backend.
          item.reject(error);
          continue;
        }
        if (tail.idle) this.owner = null;
        item.resolve(bytes);
      }
    } finally {
      this.running = false;
    }
  }
}

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const message = Buffer.alloc(5 + text.length);
  message[0] = 0x51; // 'Q'
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}

/** Follows backend messages across chunks; `idle` when the last one is ReadyForQuery 'I'. */
class ResponseTail {
  private header = Buffer.alloc(5);
  private headerLength = 0;
  private remaining = 0;
  private type = 0;
  private status = 0;

  get idle(): boolean {
    return this.headerLength === 0 && this.remaining === 0 && this.type === READY_FOR_QUERY && this.status === IDLE;
  }

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const payloadStart = this.type === READY_FOR_QUERY && this.remaining === 1;
        if (payloadStart) this.status = chunk[i];
        const take = Math.min(this.remaining, chunk.length - i);
        this.remaining -= take;
        i += take;
        continue;
      }
      this.header[this.headerLength++] = chunk[i++];
      if (this.headerLength === 5) {
        this.type = this.header[0];
        this.status = 0;
        this.remaining = this.header.readInt32BE(1) - 4;
        this.headerLength = 0;
      }
    }
  }
}
