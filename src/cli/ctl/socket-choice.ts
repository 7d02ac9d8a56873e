/**
 * Which control socket `veloz ctl` talks to, and why: --socket PATH, else --state-dir
 * DIR (DIR/veloz.sock), else $VELOZ_CONTROL_SOCKET, else the path the engine's config
 * gives (--config FILE or $VELOZ_CONFIG, with the usual VELOZ_* overrides; defaults:
 * ./state/veloz.sock). The reason is printed when the socket cannot be reached.
 */
import { join, resolve } from 'node:path';
import { loadConfig } from '../../core/config/load.js';

export const SOCKET_ENV = 'VELOZ_CONTROL_SOCKET';
export const SOCKET_FILE = 'veloz.sock';

export interface SocketChoice {
  path: string;
  /** How it was chosen, for messages: "--socket", "$VELOZ_CONTROL_SOCKET", … */
  source: string;
}

export interface SocketFlags {
  socket?: string | undefined;
  stateDir?: string | undefined;
  config?: string | undefined;
}

/** Throws ConfigError when it has to read a config that is invalid. */
export function chooseSocket(flags: SocketFlags, env: Readonly<Record<string, string | undefined>>): SocketChoice {
  if (flags.socket !== undefined) return { path: resolve(flags.socket), source: '--socket' };
  if (flags.stateDir !== undefined) return { path: resolve(join(flags.stateDir, SOCKET_FILE)), source: `--state-dir ${flags.stateDir}` };
  const fromEnv = env[SOCKET_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { path: resolve(fromEnv), source: `$${SOCKET_ENV}` };
  const file = flags.config ?? (env['VELOZ_CONFIG'] || undefined);
  const config = loadConfig(file === undefined ? { env } : { file, env });
  const source = file === undefined ? 'the default config (control.socketPath, else <engine.stateDir>/veloz.sock)' : `config ${file} (control.socketPath)`;
  return { path: resolve(config.control.socketPath), source };
}
