/**
 * The simulated exchange run in-process: the embedded default venue of `veloz run`
 * (config `venues.<name>.kind = "sim"` without URLs).
 */
import { SimExchange } from '../../venues/sim/server/exchange.js';
import type { ComponentSpec, RunningComponent } from '../component.js';

export const EMBEDDED_SIM = 'sim';

/** Whether any configured venue points at the embedded sim. */
export function wantsEmbeddedSim(venues: Record<string, { kind: string; wsUrl?: string | undefined }>): boolean {
  return Object.values(venues).some((v) => v.kind === 'sim' && v.wsUrl === undefined);
}

export interface EmbeddedSim extends RunningComponent {
  readonly sim: SimExchange;
}

export const embeddedSimComponent: ComponentSpec = {
  name: EMBEDDED_SIM,
  async start({ config }): Promise<EmbeddedSim> {
    const s = config.sim;
    const sim = await SimExchange.start({
      port: s.port,
      host: '127.0.0.1',
      seed: s.seed,
      symbols: s.symbols,
      // config.sim.rate counts every symbol together; the sim paces per symbol.
      rate: Math.max(1, Math.round(s.rate / s.symbols.length)),
    });
    return {
      sim,
      describe: () => ({ url: sim.url, wsUrl: sim.wsUrl, symbols: s.symbols, groundTruth: `${sim.url}/sim/book?symbol=${s.symbols[0]}` }),
      readiness: () => ({ ready: true, reasons: [] }),
      stop: async () => {
        await sim.stop();
      },
    };
  },
};
