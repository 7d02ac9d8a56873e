import { defineCommand, NO_ARGS, type CommandDef } from '../registry.js';
import type { ControlServerStats } from '../server.js';

export interface StatusSources {
  /** Engine name (config engine.name). */
  engine: string;
  version: string;
  /** Date.now() when the engine started. */
  startedAtMs: number;
  /** Per-thread state, when the thread runtime is up. */
  threads?: () => unknown;
  control?: () => ControlServerStats;
}

/** `status`: what is running, since when, and how the control plane is doing. */
export function statusCommand(src: StatusSources): CommandDef {
  return defineCommand({
    name: 'status',
    summary: 'engine name, version, pid, node, uptime, threads, control-socket counters',
    args: NO_ARGS,
    handler: () => {
      const now = Date.now();
      const out: Record<string, unknown> = {
        engine: src.engine,
        version: src.version,
        pid: process.pid,
        node: process.version,
        startedAt: new Date(src.startedAtMs).toISOString(),
        uptimeMs: now - src.startedAtMs,
      };
      if (src.threads !== undefined) out['threads'] = src.threads();
      if (src.control !== undefined) out['control'] = src.control();
      return out;
    },
  }) as CommandDef;
}
