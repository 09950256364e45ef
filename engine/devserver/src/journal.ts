// Durable mode: an append-only journal of everything needed to rebuild the server after a restart
// (runs, history events, held-back events, activity attempts, deletions). One JSON record a line;
// protobuf messages inside are base64. Compacted at start-up when deletions make it worth it.
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { HistoryEvent } from './proto.js';
import { root } from './proto.js';
import type { ActivityState, BufferedEvent, EventAttributes, Run } from './run.js';

const HistoryEventType = root.lookupType('temporal.api.history.v1.HistoryEvent');
const FailureType = root.lookupType('temporal.api.failure.v1.Failure');

export type JournalRecord =
  | {
      t: 'run';
      k: string;
      ns: string;
      wid: string;
      rid: string;
      first: string;
      type: string;
      tq: string;
      wftMs: number;
      reqs: string[];
    }
  | { t: 'ev'; k: string; b: string }
  | { t: 'buf'; k: string; type: number; b: string; s?: string }
  | { t: 'bufclear'; k: string }
  | { t: 'att'; k: string; sid: number; attempt: number; f?: string }
  | { t: 'del'; k: string };

export function encodeEvent(event: HistoryEvent): string {
  return Buffer.from(HistoryEventType.encode(event).finish()).toString('base64');
}

export function decodeEvent(b64: string): HistoryEvent {
  return HistoryEventType.decode(Buffer.from(b64, 'base64')) as HistoryEvent;
}

/** Attributes are stored as a HistoryEvent without id, to reuse one serializer. */
export function encodeAttributes(attributes: EventAttributes): string {
  return encodeEvent(attributes as HistoryEvent);
}

export function decodeAttributes(b64: string): EventAttributes {
  const event = decodeEvent(b64) as Record<string, unknown>;
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event))
    if (key.endsWith('EventAttributes') && value != null) attributes[key] = value;
  return attributes as EventAttributes;
}

export function decodeFailure(b64: string): object {
  return FailureType.decode(Buffer.from(b64, 'base64'));
}

export class Journal {
  private fd: number;
  readonly path: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.path = join(dataDir, 'journal.jsonl');
    this.fd = openSync(this.path, 'a');
  }

  /** Every record on disk, oldest first (a torn last line from a crash is ignored). */
  static read(dataDir: string): JournalRecord[] {
    const path = join(dataDir, 'journal.jsonl');
    if (!existsSync(path)) return [];
    const records: JournalRecord[] = [];
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        records.push(JSON.parse(line) as JournalRecord);
      } catch {
        break;
      }
    }
    return records;
  }

  /** Rewrites the journal with only the records of runs still kept. */
  static compact(dataDir: string, records: JournalRecord[]): JournalRecord[] {
    const deleted = new Set(records.filter((r) => r.t === 'del').map((r) => r.k));
    if (deleted.size === 0) return records;
    const kept = records.filter((r) => !deleted.has(r.k));
    const path = join(dataDir, 'journal.jsonl');
    writeFileSync(`${path}.tmp`, kept.map((r) => JSON.stringify(r)).join('\n') + (kept.length ? '\n' : ''));
    renameSync(`${path}.tmp`, path);
    return kept;
  }

  /** Lines of the current turn of the event loop, written together. */
  private pending: string[] = [];

  /**
   * One write per turn instead of one per record: the flush runs as a microtask, before anything
   * this turn answered can leave the process (responses are written later in the loop), so a crash
   * loses only what no client was told about.
   */
  private write(record: JournalRecord): void {
    if (this.pending.length === 0) queueMicrotask(() => this.flush());
    this.pending.push(JSON.stringify(record));
  }

  private flush(): void {
    if (this.pending.length === 0 || this.fd < 0) return;
    const lines = this.pending.join('\n') + '\n';
    this.pending = [];
    appendFileSync(this.fd, lines);
  }

  run(run: Run): void {
    this.write({
      t: 'run',
      k: run.key,
      ns: run.namespace,
      wid: run.workflowId,
      rid: run.runId,
      first: run.firstRunId,
      type: run.workflowType,
      tq: run.taskQueue,
      wftMs: run.workflowTaskTimeoutMs,
      reqs: [...run.requestIds],
    });
  }

  event(run: Run, event: HistoryEvent): void {
    this.write({ t: 'ev', k: run.key, b: encodeEvent(event) });
  }

  buffered(run: Run, event: BufferedEvent): void {
    this.write({
      t: 'buf',
      k: run.key,
      type: event.type,
      b: encodeAttributes(event.attributes),
      s: event.activityStarted ? encodeAttributes(event.activityStarted) : undefined,
    });
  }

  bufferedFlushed(run: Run): void {
    this.write({ t: 'bufclear', k: run.key });
  }

  activityAttempt(run: Run, a: ActivityState): void {
    this.write({
      t: 'att',
      k: run.key,
      sid: a.scheduledEventId,
      attempt: a.attempt,
      f: a.lastFailure ? Buffer.from(FailureType.encode(a.lastFailure).finish()).toString('base64') : undefined,
    });
  }

  deleted(run: Run): void {
    this.write({ t: 'del', k: run.key });
  }

  close(): void {
    this.flush();
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
