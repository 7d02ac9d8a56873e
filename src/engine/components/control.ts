/**
 * The control socket (src/control): a 0600 unix socket at control.socketPath serving
 * NDJSON commands to `veloz ctl`. Commands owned by later parts (strategy.*, risk.*,
 * orders.*) register themselves on `registry` when those parts start.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { CommandRegistry, ControlServer, MapBookDirectory, registerCoreCommands } from '../../control/index.js';
import type { ComponentSpec, RunningComponent } from '../component.js';
import { MARKET_DATA, type MarketDataComponent } from './market-data.js';

export const CONTROL = 'control';

export interface ControlComponent extends RunningComponent {
  readonly registry: CommandRegistry;
  readonly books: MapBookDirectory;
}

function packageVersion(): string {
  const pkg = createRequire(import.meta.url)('../../../../package.json') as { version?: string };
  return pkg.version ?? 'unknown';
}

export const controlComponent: ComponentSpec = {
  name: CONTROL,
  async start({ config, rootLog, running }): Promise<ControlComponent> {
    const registry = new CommandRegistry();
    const books = new MapBookDirectory();
    const md = running.get(MARKET_DATA) as MarketDataComponent | undefined;
    if (md) for (const inst of md.instruments) books.add(inst.venue, inst, md.pipeline.books.reader(inst.id));
    const path = resolve(config.control.socketPath);
    let server: ControlServer | null = null;
    registerCoreCommands(registry, {
      status: { engine: config.engine.name, version: packageVersion(), startedAtMs: Date.now(), control: () => server!.stats() },
      log: { logger: rootLog },
      books,
    });
    server = new ControlServer({ path, registry });
    await server.start();
    return {
      registry,
      books,
      describe: () => ({ socket: path, ctl: `veloz ctl --socket ${path} status` }),
      readiness: () => ({ ready: true, reasons: [] }),
      stop: async () => {
        await server!.close();
      },
    };
  },
};
