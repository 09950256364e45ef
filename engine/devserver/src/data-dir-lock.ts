// One server per data directory: two servers appending to one journal (or one compacting it
// under the other) would lose history. A LOCK file holds the owner's pid; a stale one is taken over.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DataDirLock {
  private constructor(private readonly path: string) {}

  static acquire(dataDir: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, 'LOCK');
    if (heldHere.has(path))
      throw new Error(`data directory ${dataDir} is already used by another dev server in this process`);
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(`data directory ${dataDir} is in use by process ${owner} (another Temporal dev server)`);
      }
      writeFileSync(path, String(process.pid));
    }
    heldHere.add(path);
    return new DataDirLock(path);
  }

  release(): void {
    heldHere.delete(this.path);
    try {
      if (readFileSync(this.path, 'utf8').trim() === String(process.pid)) unlinkSync(this.path);
    } catch {
      // Already gone.
    }
  }
}
