// The embedded database trusts whoever connects, so only its OS user may connect: a unix socket in
// a 0700 folder (engine/src/db/private-socket.ts). Checked with a real second user (the test
// process runs a child as `nobody` when it is root), and against a control socket that user can
// reach, so the refusal is the folder's doing.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../engine/src/db/connect.ts';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** Connects to a unix socket as `nobody`; returns 'connected' or the error code. */
function connectAsNobody(path: string): string {
  const script = `require('net').connect(${JSON.stringify(path)})
    .on('connect', () => { console.log('connected'); process.exit(0); })
    .on('error', (e) => { console.log(e.code); process.exit(0); });`;
  const child = spawnSync(process.execPath, ['-e', script], { uid: NOBODY, gid: NOBODY, encoding: 'utf8' });
  return (child.stdout || child.stderr).trim();
}

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('embedded PGlite: only its OS user can connect', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'huitou-private-'));
    // World-traversable, as a home or project folder often is: only our own folders may protect.
    await chmod(root, 0o755);
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('listens on an owner-only socket, keeps the data owner-only, and serves the engine pool', async () => {
    const dataDir = join(root, 'pglite');
    // A folder made earlier with loose permissions, and a socket left behind by a killed process.
    await mkdir(dataDir, { mode: 0o755 });
    await chmod(dataDir, 0o755);
    await mkdir(`${dataDir}.socket`, { mode: 0o755 });
    await chmod(`${dataDir}.socket`, 0o755);
    await writeFile(join(`${dataDir}.socket`, '.s.PGSQL.5432'), 'stale');

    const db = await openDatabase({ pgliteDataDir: dataDir, migrate: false });
    try {
      const socketPath = join(`${dataDir}.socket`, '.s.PGSQL.5432');
      expect(await mode(`${dataDir}.socket`)).toBe(0o700);
      expect(await mode(socketPath)).toBe(0o600);
      expect(await mode(dataDir)).toBe(0o700);
      expect((await stat(socketPath)).isSocket()).toBe(true);

      // The engine's pool, and any client of the owner given the connection string (psql too).
      expect((await db.pool.query<{ x: number }>('SELECT 41 + 1 AS x')).rows).toEqual([{ x: 42 }]);
      const client = new pg.Client({ connectionString: db.connectionString });
      await client.connect();
      expect((await client.query<{ u: string }>('SELECT current_user AS u')).rows).toEqual([{ u: 'postgres' }]);
      await client.end();

      if (isRoot) expect(connectAsNobody(socketPath)).toBe('EACCES');
    } finally {
      await db.close();
    }
  });

  it.runIf(isRoot)('the other user can reach a socket that is not in a private folder (control)', async () => {
    const open = join(root, 'open');
    await mkdir(open, { mode: 0o777 });
    await chmod(open, 0o777);
    const path = join(open, 'control.sock');
    const server = createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(path, resolve));
    await chmod(path, 0o777);
    try {
      expect(connectAsNobody(path)).toBe('connected');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('puts an in-memory database on a private temporary socket, removed on close', async () => {
    const db = await openDatabase({ pgliteDataDir: 'memory://', migrate: false });
    const folder = decodeURIComponent(/^postgres:\/\/postgres@([^/]+)\/postgres$/.exec(db.connectionString)![1]);
    try {
      expect(await mode(folder)).toBe(0o700);
      expect((await db.pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      if (isRoot) expect(connectAsNobody(join(folder, '.s.PGSQL.5432'))).toBe('EACCES');
    } finally {
      await db.close();
    }
    await expect(stat(folder)).rejects.toThrow(/ENOENT/);
  });
});
