// The real product as a child process (`npm start`'s engine/src/main.ts), for tests that run it
// the way a shop does: its own settings only, every printed line kept, Ctrl+C to stop.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ENGINE_NODE_FLAGS } from '../../engine/src/node-flags.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** A first start on a fresh clone also builds the builder UI (cached in builder-ui/dist afterwards). */
export const START_TIMEOUT_MS = 240_000;

/** One product process and everything it printed. */
export class Product {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly proc: ChildProcessByStdio<null, Readable, Readable>;
  private waiters: (() => void)[] = [];

  constructor(settings: Record<string, string>) {
    // Only these settings: no DATABASE_URL, TEMPORAL_* or HUITOU_* from the test environment leaks in.
    const env: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(HUITOU_|TEMPORAL_|DATABASE_URL$|PORT$)/.test(k)),
    );
    // The readable lines a terminal gets (the tests read them like a person would); JSON is what a
    // pipe gets by default (HUITOU_LOG_FORMAT).
    env.HUITOU_LOG_FORMAT = 'pretty';
    Object.assign(env, settings);
    this.proc = spawn(process.execPath, [...ENGINE_NODE_FLAGS, '--import', 'tsx', 'engine/src/main.ts'], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.proc.stdout, this.proc.stderr]) {
      let rest = '';
      stream.setEncoding('utf8').on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        this.lines.push(...parts);
        for (const wake of this.waiters.splice(0)) wake();
      });
    }
    this.exited = new Promise((resolve) =>
      this.proc.once('exit', (code) => {
        for (const wake of this.waiters.splice(0)) wake();
        resolve(code);
      }),
    );
  }

  /** The product's process id (benchmarks read its memory in /proc). */
  get pid(): number | undefined {
    return this.proc.pid;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** The first printed line matching `pattern` (waits for it; fails if the process ends first). */
  async line(pattern: RegExp, timeoutMs = START_TIMEOUT_MS): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const l of this.lines) {
        const match = l.match(pattern);
        if (match) return match;
      }
      if (!this.running) throw new Error(`the product exited before printing ${pattern}:\n${this.lines.join('\n')}`);
      if (Date.now() > deadline)
        throw new Error(`no line ${pattern} within ${timeoutMs} ms:\n${this.lines.join('\n')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 1000).unref();
      });
    }
  }

  /** Ctrl+C; resolves with the exit code. */
  async interrupt(): Promise<number | null> {
    this.proc.kill('SIGINT');
    return this.exited;
  }

  kill(): void {
    if (this.running) this.proc.kill('SIGKILL');
  }
}
