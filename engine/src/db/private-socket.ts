// Where the embedded PGlite listens: a unix socket in a folder only this OS user can open (0700,
// checked to be ours), so another local user cannot reach the database, which trusts whoever
// connects. No TCP port, no password to keep: the file system is the access control.
import { chmod, lstat, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

/** The name libpq and node-postgres look for in a socket folder (port 5432). */
const SOCKET_NAME = '.s.PGSQL.5432';
// sockaddr_un holds 108 bytes on Linux (104 on macOS), the terminating NUL included.
const MAX_SOCKET_PATH = 100;

export interface PrivateSocket {
  /** Pass to the socket server. */
  readonly path: string;
  /** A connection string node-postgres and psql understand (host = the folder, URL-encoded). */
  readonly connectionString: string;
  /** After listening: the socket file itself owner-only too. */
  lockDown(): Promise<void>;
  /** Removes the socket (and a temporary folder). */
  remove(): Promise<void>;
}

/**
 * Next to a data folder `<dir>` the socket lives in `<dir>.socket/`; for an in-memory database, or
 * when that path is too long for a socket, in a fresh private temporary folder.
 */
export async function privateSocket(dataDir: string | undefined): Promise<PrivateSocket> {
  let folder = dataDir ? `${resolve(dataDir)}.socket` : undefined;
  let temporary = false;
  if (!folder || `${folder}/${SOCKET_NAME}`.length > MAX_SOCKET_PATH) {
    folder = await mkdtemp(resolve(tmpdir(), 'huitou-pg-'));
    temporary = true;
  } else {
    await ownerOnlyFolder(folder);
  }
  const path = `${folder}/${SOCKET_NAME}`;
  // A socket left by a killed process would make listen fail with EADDRINUSE.
  await rm(path, { force: true });
  return {
    path,
    connectionString: `postgres://postgres@${encodeURIComponent(folder)}/postgres`,
    lockDown: () => chmod(path, 0o600),
    remove: () => rm(temporary ? folder : path, { recursive: true, force: true }),
  };
}

/** Creates the folder 0700, or makes an existing one 0700 after checking this user owns it. */
export async function ownerOnlyFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const stat = await lstat(folder);
  if (!stat.isDirectory()) throw new Error(`${folder} is not a folder`);
  if (process.getuid && stat.uid !== process.getuid()) {
    throw new Error(`${folder} belongs to another user (uid ${stat.uid}); the embedded database will not use it`);
  }
  await chmod(folder, 0o700);
}
