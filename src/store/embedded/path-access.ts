/**
 * When the server runs as another user (veloz as root, PostgreSQL as `veloz-pg`), that
 * user must be able to walk down to its data directory and to the bundled binaries.
 * Checked up front by mode bits, so the failure names the directory instead of
 * surfacing as a bare EACCES from postgres. (ACLs are not consulted: a directory opened
 * to the user by ACL only is reported as unreachable.)
 */
import { chmodSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StoreError } from '../errors.js';
import type { StoreLog } from '../store-log.js';
import type { ServerIdentity } from './server-identity.js';

const R = 4;
const X = 1;

function allowed(st: Stats, id: ServerIdentity, bits: number): boolean {
  const mode = st.mode;
  if (st.uid === id.uid) return ((mode >> 6) & bits) === bits;
  if (st.gid === id.gid) return ((mode >> 3) & bits) === bits;
  return (mode & bits) === bits;
}

function ancestors(path: string): string[] {
  const out: string[] = [];
  let p = resolve(path);
  for (;;) {
    out.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  return out.reverse();
}

function modeText(st: Stats): string {
  return (st.mode & 0o7777).toString(8).padStart(4, '0');
}

/**
 * Every directory from / down to `dir` must be searchable by `id`. `grantOn` (the state
 * directory, which veloz owns) is given search permission for others if it lacks it;
 * any other blocking directory is an error.
 */
export function ensureSearchable(dir: string, id: ServerIdentity, grantOn: string | undefined, log: StoreLog, why: string): void {
  const grant = grantOn === undefined ? undefined : resolve(grantOn);
  for (const p of ancestors(dir)) {
    const st = statSync(p);
    if (allowed(st, id, X)) continue;
    if (p === grant) {
      chmodSync(p, (st.mode & 0o7777) | 0o001);
      log.info({ dir: p, user: id.name }, `gave others search (x) permission on the state directory so ${id.name} can reach ${why}`);
      continue;
    }
    throw new StoreError(
      'PG_PATH_ACCESS',
      `the embedded PostgreSQL runs as ${id.name} (uid ${id.uid}) and cannot reach ${why}: ${p} (mode ${modeText(st)}, owner uid ${st.uid}) is not searchable by it. ` +
        `Use a state directory ${id.name} can reach, run veloz as a non-root user, or set DATABASE_URL.`,
    );
  }
}

/** The binaries, their shared libraries and share/ must be readable and executable by `id`. */
export function ensureBinariesUsable(root: string, files: readonly string[], id: ServerIdentity, log: StoreLog): void {
  ensureSearchable(root, id, undefined, log, `the PostgreSQL binaries under ${root}`);
  for (const p of [`${root}/bin`, `${root}/lib`, `${root}/share`, ...files]) {
    const st = statSync(p);
    if (!allowed(st, id, R | X)) {
      throw new StoreError(
        'PG_PATH_ACCESS',
        `the embedded PostgreSQL runs as ${id.name} (uid ${id.uid}) and cannot read/execute ${p} (mode ${modeText(st)}). Reinstall with a umask that leaves node_modules world-readable, or set DATABASE_URL.`,
      );
    }
  }
}
