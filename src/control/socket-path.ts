/**
 * Makes the control socket's path ready to listen on, or refuses with a reason:
 *
 * - the path must fit a unix socket address (107 bytes on Linux);
 * - its directory is created (0700) if missing, and refused if anyone may write to it
 *   without the sticky bit (anyone could then replace our socket with theirs);
 * - an existing socket is removed only when nothing answers on it (a crashed engine's
 *   leftover); a live one means another engine runs there, and starting is refused;
 * - an existing non-socket is never deleted: the operator must look at it.
 */
import { lstat, mkdir, stat, unlink } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { dirname, resolve } from 'node:path';
import { ControlSocketError, ControlSocketErrorCode } from './errors.js';

/** sun_path is 108 bytes on Linux, one of them the terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = 107;
const PROBE_TIMEOUT_MS = 1000;

export type ProbeResult = 'live' | 'stale' | 'absent';

/** Whether a process accepts connections on the unix socket at `path`. */
export function probeSocket(path: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  return new Promise((resolvePromise, reject) => {
    const sock = createConnection({ path });
    const timer = setTimeout(() => {
      sock.destroy();
      // Accepting nothing for a whole second: something holds the path; do not take it.
      resolvePromise('live');
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolvePromise('live');
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err.code === 'ECONNREFUSED') resolvePromise('stale');
      else if (err.code === 'ENOENT') resolvePromise('absent');
      else reject(err);
    });
  });
}

export async function prepareSocketPath(path: string): Promise<string> {
  const abs = resolve(path);
  if (Buffer.byteLength(abs) > MAX_SOCKET_PATH_BYTES) {
    throw new ControlSocketError(
      ControlSocketErrorCode.PATH_TOO_LONG,
      abs,
      `is ${Buffer.byteLength(abs)} bytes, more than a unix socket address holds (${MAX_SOCKET_PATH_BYTES}); use a shorter engine.stateDir or control.socketPath`,
    );
  }
  const dir = dirname(abs);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const st = await stat(dir);
    if ((st.mode & 0o002) !== 0 && (st.mode & 0o1000) === 0) {
      throw new ControlSocketError(
        ControlSocketErrorCode.UNSAFE_DIR,
        abs,
        `directory ${dir} is writable by everyone and has no sticky bit (mode ${(st.mode & 0o7777).toString(8)}): anyone could replace the socket; use a private directory`,
      );
    }
  } catch (err) {
    if (err instanceof ControlSocketError) throw err;
    throw new ControlSocketError(ControlSocketErrorCode.SETUP, abs, `cannot use directory ${dir}: ${(err as Error).message}`, { cause: err });
  }
  let kind: 'socket' | 'other' | 'none';
  try {
    const st = await lstat(abs);
    kind = st.isSocket() ? 'socket' : 'other';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ControlSocketError(ControlSocketErrorCode.SETUP, abs, (err as Error).message, { cause: err });
    }
    kind = 'none';
  }
  if (kind === 'other') {
    throw new ControlSocketError(ControlSocketErrorCode.NOT_A_SOCKET, abs, 'exists and is not a socket; it is left alone: remove or move it, or configure another control.socketPath');
  }
  if (kind === 'socket') {
    let probe: ProbeResult;
    try {
      probe = await probeSocket(abs);
    } catch (err) {
      throw new ControlSocketError(ControlSocketErrorCode.SETUP, abs, `cannot check whether an engine answers: ${(err as Error).message}`, { cause: err });
    }
    if (probe === 'live') {
      throw new ControlSocketError(ControlSocketErrorCode.IN_USE, abs, 'another engine is running and answers on this socket; stop it first or give this one another engine.stateDir');
    }
    if (probe === 'stale') {
      try {
        await unlink(abs);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new ControlSocketError(ControlSocketErrorCode.SETUP, abs, `cannot remove the stale socket: ${(err as Error).message}`, { cause: err });
        }
      }
    }
  }
  return abs;
}
