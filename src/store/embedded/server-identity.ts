/**
 * Which OS user runs the embedded PostgreSQL. PostgreSQL refuses to run as root, so when
 * veloz runs as root the server runs as a dedicated system user (default `veloz-pg`),
 * created with `useradd --system` if it is missing. Otherwise it runs as the current user.
 */
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { StoreError } from '../errors.js';
import type { StoreLog } from '../store-log.js';

export const DEFAULT_PG_OS_USER = 'veloz-pg';

export interface ServerIdentity {
  uid: number;
  gid: number;
  name: string;
  /** The server runs as another user than this process (we are root). */
  switchUser: boolean;
}

const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

function lookupId(name: string): { uid: number; gid: number } | null {
  try {
    const uid = Number.parseInt(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }), 10);
    const gid = Number.parseInt(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }), 10);
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  } catch {
    return null;
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function resolveServerIdentity(osUser: string = DEFAULT_PG_OS_USER, log?: StoreLog): ServerIdentity {
  if (!isRoot()) {
    return { uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1, name: userInfo().username, switchUser: false };
  }
  if (!USER_NAME.test(osUser)) {
    throw new StoreError('PG_OS_USER', `invalid OS user name for the embedded PostgreSQL: ${JSON.stringify(osUser)}`);
  }
  const found = lookupId(osUser);
  if (found) {
    if (found.uid === 0) throw new StoreError('PG_OS_USER', `OS user ${osUser} has uid 0; PostgreSQL refuses to run as root`);
    return { ...found, name: osUser, switchUser: true };
  }
  let why = '';
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', '--comment', 'veloz embedded PostgreSQL', osUser], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string; code?: string };
    why = e.code === 'ENOENT' ? 'useradd is not installed' : (e.stderr?.trim() || e.message);
  }
  // A concurrent start may have created it between our lookup and useradd.
  const created = lookupId(osUser);
  if (!created) {
    throw new StoreError(
      'PG_OS_USER',
      `PostgreSQL refuses to run as root and the OS user ${osUser} does not exist and could not be created (${why}). ` +
        `Create it (useradd --system --user-group ${osUser}), run veloz as a non-root user, or set DATABASE_URL.`,
    );
  }
  log?.info({ user: osUser, uid: created.uid }, 'created the system user that runs the embedded PostgreSQL (PostgreSQL refuses to run as root)');
  return { ...created, name: osUser, switchUser: true };
}
