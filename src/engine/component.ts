/**
 * A part of the running engine (embedded venue, market-data pipeline, gateway, control
 * socket, database…). The engine starts components in order and stops them in reverse;
 * it is ready only when every component says so.
 */
import type { Config } from '../core/config/schema.js';
import type { VelozLogger } from '../core/log/index.js';

export interface Readiness {
  ready: boolean;
  /** Why not ready (empty when ready). */
  reasons: string[];
}

export interface RunningComponent {
  /** Where to look: URLs, paths, counts — printed at start and served by `status`. */
  describe(): Record<string, unknown>;
  readiness(): Readiness;
  /** Graceful stop within `deadlineMs`. */
  stop(deadlineMs: number): Promise<void>;
  /** Settings that can change without a restart (SIGHUP). */
  reload?(config: Config): void;
}

export interface EngineContext {
  config: Config;
  log: VelozLogger;
  /** The engine's root logger (log.level changes apply to every component's child). */
  rootLog: VelozLogger;
  stateDir: string;
  /** Components already running, by name, for the ones that depend on them. */
  running: ReadonlyMap<string, RunningComponent>;
  /** The whole engine's readiness (for /ready and systemd), valid once start returns. */
  engineReadiness: () => Readiness;
  /** The whole engine's description (for status endpoints). */
  engineStatus: () => Record<string, unknown>;
}

export interface ComponentSpec {
  name: string;
  start(ctx: EngineContext): Promise<RunningComponent>;
}
