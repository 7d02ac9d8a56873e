/**
 * The engine: starts its components in order, reports readiness, stops them in reverse.
 * A component that fails to start stops the ones already running, so a failed start leaves
 * nothing behind (no orphan venue, database or socket).
 */
import type { Config } from '../core/config/schema.js';
import { childLogger, setLogLevel, type VelozLogger } from '../core/log/index.js';
import type { ComponentSpec, Readiness, RunningComponent } from './component.js';

export class Engine {
  private readonly running = new Map<string, RunningComponent>();
  private readonly order: string[] = [];
  private stopping: Promise<void> | null = null;
  readonly startedAt = Date.now();

  private constructor(
    private config: Config,
    private readonly log: VelozLogger,
    private readonly stateDir: string,
  ) {}

  static async start(config: Config, log: VelozLogger, stateDir: string, specs: readonly ComponentSpec[]): Promise<Engine> {
    const engine = new Engine(config, log, stateDir);
    for (const spec of specs) {
      const clog = childLogger(log, spec.name);
      try {
        const c = await spec.start({
          config,
          log: clog,
          rootLog: log,
          stateDir,
          running: engine.running,
          engineReadiness: () => engine.readiness(),
          engineStatus: () => engine.describe(),
        });
        engine.running.set(spec.name, c);
        engine.order.push(spec.name);
        clog.info(c.describe(), `${spec.name} started`);
      } catch (err) {
        log.error({ err, component: spec.name }, `${spec.name} failed to start; stopping what started`);
        await engine.stop(10_000);
        throw err;
      }
    }
    return engine;
  }

  component(name: string): RunningComponent | undefined {
    return this.running.get(name);
  }

  readiness(): Readiness {
    const reasons: string[] = [];
    for (const name of this.order) {
      const r = this.running.get(name)!.readiness();
      for (const why of r.reasons) reasons.push(`${name}: ${why}`);
      if (!r.ready && r.reasons.length === 0) reasons.push(`${name}: not ready`);
    }
    return { ready: reasons.length === 0, reasons };
  }

  describe(): Record<string, unknown> {
    const out: Record<string, unknown> = { stateDir: this.stateDir, pid: process.pid, uptimeMs: Date.now() - this.startedAt };
    for (const name of this.order) out[name] = this.running.get(name)!.describe();
    return out;
  }

  /** Applies what can change without a restart: log level, then each component's own. */
  reload(config: Config): void {
    this.config = config;
    setLogLevel(this.log, config.log.level);
    for (const name of this.order) this.running.get(name)!.reload?.(config);
    this.log.info({ level: config.log.level }, 'configuration reloaded');
  }

  get currentConfig(): Config {
    return this.config;
  }

  /** Stops every component in reverse start order, each within its share of the deadline. */
  stop(deadlineMs: number): Promise<void> {
    if (this.stopping) return this.stopping;
    this.stopping = (async () => {
      const until = Date.now() + deadlineMs;
      for (const name of [...this.order].reverse()) {
        const left = Math.max(1_000, until - Date.now());
        try {
          await this.running.get(name)!.stop(left);
          this.log.info(`${name} stopped`);
        } catch (err) {
          this.log.error({ err, component: name }, `${name} did not stop cleanly`);
        }
        this.running.delete(name);
      }
      this.order.length = 0;
    })();
    return this.stopping;
  }
}
