/**
 * The market-data pipeline (src/md): venue feed and native decode on the io thread, the
 * book worker thread, shared-memory books. Ready only when every book is in sync with
 * the venue. Today it serves the embedded sim venue; a real Binance venue also needs its
 * instruments from exchangeInfo, which the engine does not load yet.
 */
import type { Instrument } from '../../core/instruments/instrument.js';
import { InstrumentRegistry } from '../../core/instruments/registry.js';
import { MarketDataPipeline } from '../../md/pipeline.js';
import { instrumentDefinition, resolveSymbols } from '../../venues/sim/market/catalog.js';
import type { ComponentSpec, RunningComponent } from '../component.js';
import { EMBEDDED_SIM, type EmbeddedSim } from './embedded-sim.js';

export const MARKET_DATA = 'marketData';

export interface MarketDataComponent extends RunningComponent {
  readonly pipeline: MarketDataPipeline;
  readonly instruments: readonly Instrument[];
}

export const marketDataComponent: ComponentSpec = {
  name: MARKET_DATA,
  async start({ config, running, log }): Promise<MarketDataComponent> {
    const embedded = running.get(EMBEDDED_SIM) as EmbeddedSim | undefined;
    if (!embedded) {
      throw new Error('market data: only the embedded sim venue is wired into `veloz run` so far (Binance venues need exchangeInfo-loaded instruments)');
    }
    const registry = InstrumentRegistry.from(resolveSymbols(config.sim.symbols).map((s) => instrumentDefinition(s, 'spot')));
    const instruments = registry.all();
    const t = config.threads.book;
    const pipeline = await MarketDataPipeline.start({
      venue: { kind: 'binance', wsUrl: embedded.sim.wsUrl, restUrl: embedded.sim.url },
      instruments,
      threads: {
        io: { waitStrategy: config.threads.io.waitStrategy },
        book: { waitStrategy: t.waitStrategy, ...(t.cpus ? { cpus: t.cpus } : {}), ...(t.schedFifo ? { schedFifo: t.schedFifo } : {}) },
      },
      logger: log,
    });
    return {
      pipeline,
      instruments,
      describe: () => {
        const lat = pipeline.latency();
        return {
          venue: pipeline.venueName,
          books: `${pipeline.validCount()}/${instruments.length} valid`,
          decoder: pipeline.io.venue.decoderImplementation ?? 'unknown',
          receiveToBookP99Us: Math.round(lat.p99 / 1000),
        };
      },
      readiness: () => {
        const n = pipeline.validCount();
        return n === instruments.length ? { ready: true, reasons: [] } : { ready: false, reasons: [`${instruments.length - n} of ${instruments.length} books not valid yet`] };
      },
      stop: () => pipeline.stop(),
    };
  },
};
