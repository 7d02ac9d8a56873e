/**
 * SimExchange: the simulated Binance venue in one process, on one port. Market data
 * (REST + WebSocket), the matching engine, the flow generator, fault injection, ground
 * truth under /sim/, and the order-entry plugin, all on one uWebSockets.js app.
 *
 *   const sim = await SimExchange.start({ port: 0, seed: 7, symbols: ['BTCUSDT'] });
 *   … sim.url, sim.wsUrl, sim.engine, sim.faults, sim.generator …
 *   await sim.stop();
 */
import type { TemplatedApp, us_listen_socket, WebSocketBehavior } from '@btc-vision/uwebsockets.js';
import { uws } from '../../../net/uws.js';
import type { Instrument } from '../../../core/instruments/instrument.js';
import { InstrumentRegistry } from '../../../core/instruments/registry.js';
import { MatchingEngine } from '../matching/engine.js';
import { SimFaults } from '../faults.js';
import { DEFAULT_SIM_SYMBOLS, instrumentDefinition, resolveSymbols, SIM_VENUE, SimConfigError, type SimSymbolConfig } from '../market/catalog.js';
import { binanceFormat, type BinanceFormat, type SimMarketMode } from '../market/format.js';
import { MarketGenerator, type FlowRate } from '../market/generator.js';
import { MarketPublisher, resolveDepthIntervals } from '../market/publisher.js';
import { ReplaySender, type ReplayResult } from '../market/replay.js';
import { installMarketRoutes } from './market-routes.js';
import { MdSocketServer } from './md-socket.js';
import type { OrderEntryPluginFactory, SimAccountConfig, SimClock, SimLog, SimPlugin, SimPluginContext } from './plugin.js';
import { SimHttpRouter } from './router.js';
import { installSimRoutes } from './sim-routes.js';
import { stderrLog } from './log.js';

export interface SimExchangeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Seed of the flow generator. Default 1. */
  seed?: number;
  /** Catalogue names or full symbol configs. Default BTCUSDT, ETHUSDT, DOGEUSDT. */
  symbols?: (string | SimSymbolConfig)[];
  /** 'spot' (default): Binance spot paths. 'usdm': USD-M futures paths and sequencing. */
  market?: SimMarketMode;
  /** Generated events per second per symbol, 'max', or 0 for none. Default 50. */
  rate?: FlowRate;
  /**
   * Diff-depth aggregation: 0 (default) = one event per book batch on every depth stream;
   * a number = that interval in ms for every depth stream; 'binance' = Binance's own
   * (spot @depth 1000 ms, @depth@100ms 100 ms; USD-M 250/100/250/500 ms); or a table by
   * stream suffix, e.g. { '': 1000, '@100ms': 100 }.
   */
  depthInterval?: number | 'binance' | Record<string, number>;
  /** Interval of partial-depth streams (@depth5 …); default Binance's per stream. */
  partialDepthIntervalMs?: number;
  /** Default 24 h. */
  connectionLifetimeMs?: number;
  /** Server ping period; default 20 s (spot) / 180 s (USD-M). */
  pingIntervalMs?: number;
  /** Close when our ping is not answered in this time; default 60 s (spot) / 600 s (USD-M). */
  pongTimeoutMs?: number;
  /** Incoming WS messages per second per connection; default 5 (spot) / 10 (USD-M); 0 = unlimited. */
  maxIncomingPerSec?: number;
  /** Put an initial ladder on every book before listening. Default true. */
  seedBooks?: boolean;
  /** Flow orders each book tends towards. Default 1500. */
  targetOrders?: number;
  accounts?: SimAccountConfig[];
  /** Plugins to install; default: the order-entry plugin when its module exists. */
  plugins?: SimPlugin[];
  clock?: SimClock;
  log?: SimLog;
  /** Directory POST /sim/replay may read ndjson files from; unset = file replay disabled. */
  replayDir?: string;
}

const DAY_MS = 24 * 3600 * 1000;

function checkInt(name: string, v: number | undefined, min: number, max: number): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) || v < min || v > max) throw new SimConfigError(`sim option ${name} must be an integer in [${min}, ${max}], got ${v}`);
}

/** Loads ../orderentry/index.js if it exists; any other failure is an error. */
async function defaultPlugins(accounts: SimAccountConfig[]): Promise<SimPlugin[]> {
  let mod: { orderEntryPlugin?: OrderEntryPluginFactory };
  try {
    mod = (await import('../orderentry/index.js' as string)) as { orderEntryPlugin?: OrderEntryPluginFactory };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes('orderentry')) return [];
    throw err;
  }
  if (typeof mod.orderEntryPlugin !== 'function') throw new SimConfigError('../orderentry/index.js does not export orderEntryPlugin(options)');
  return [mod.orderEntryPlugin({ accounts })];
}

export class SimExchange {
  readonly url: string;
  readonly wsUrl: string;
  private stopped = false;

  private constructor(
    readonly port: number,
    readonly host: string,
    readonly market: SimMarketMode,
    readonly engine: MatchingEngine,
    readonly faults: SimFaults,
    readonly generator: MarketGenerator,
    readonly publisher: MarketPublisher,
    readonly instruments: InstrumentRegistry,
    readonly format: BinanceFormat,
    readonly clock: SimClock,
    private readonly replaySender: ReplaySender,
    private readonly app: TemplatedApp,
    private readonly listenSocket: us_listen_socket,
    private readonly sockets: MdSocketServer,
    private readonly plugins: SimPlugin[],
    private readonly log: SimLog,
  ) {
    this.url = `http://${host}:${port}`;
    this.wsUrl = `ws://${host}:${port}`;
  }

  static async start(options: SimExchangeOptions = {}): Promise<SimExchange> {
    const market = options.market ?? 'spot';
    if (market !== 'spot' && market !== 'usdm') throw new SimConfigError(`sim market must be 'spot' or 'usdm', got ${String(market)}`);
    checkInt('port', options.port, 0, 65535);
    checkInt('seed', options.seed, 0, 0xffff_ffff);
    checkInt('connectionLifetimeMs', options.connectionLifetimeMs, 10, 7 * DAY_MS);
    checkInt('pingIntervalMs', options.pingIntervalMs, 10, DAY_MS);
    checkInt('pongTimeoutMs', options.pongTimeoutMs, 10, DAY_MS);
    checkInt('maxIncomingPerSec', options.maxIncomingPerSec, 0, 1_000_000);
    checkInt('targetOrders', options.targetOrders, 10, 1_000_000);
    const rate = options.rate ?? 50;
    if (rate !== 'max' && !(typeof rate === 'number' && Number.isFinite(rate) && rate >= 0 && rate <= 10_000_000)) {
      throw new SimConfigError(`sim rate must be a number of events/s per symbol (0..1e7) or 'max', got ${String(rate)}`);
    }
    const host = options.host ?? '127.0.0.1';
    const seed = options.seed ?? 1;
    const log = options.log ?? stderrLog('warn');
    const clock: SimClock = options.clock ?? { nowMs: () => Date.now() };
    const symbols = resolveSymbols(options.symbols ?? DEFAULT_SIM_SYMBOLS);
    const instruments = InstrumentRegistry.from(symbols.map((s) => instrumentDefinition(s, market)));
    const list: Instrument[] = instruments.all();
    for (const inst of list) {
      if (inst.priceScale > 15 || inst.qtyScale > 15) throw new SimConfigError(`sim symbol ${inst.symbol}: price/qty scale above 15 is not supported`);
    }
    const format = binanceFormat(market);
    const engine = new MatchingEngine(list, market === 'usdm' ? { hiddenUpdatesEvery: 3 } : {});
    const faults = new SimFaults(() => clock.nowMs());
    // The publisher needs the socket server to close connections and vice versa.
    let sockets: MdSocketServer | null = null;
    const publisher = new MarketPublisher(engine, {
      mode: market,
      format,
      clock,
      faults,
      log,
      depthIntervals: resolveDepthIntervals(market, options.depthInterval),
      ...(options.partialDepthIntervalMs !== undefined ? { partialIntervalMs: options.partialDepthIntervalMs } : {}),
      close: (conn, reason) => sockets?.close(conn, reason),
    });
    const generator = new MarketGenerator(engine, {
      seed,
      rate,
      clock,
      symbols,
      ...(options.targetOrders !== undefined ? { targetOrders: options.targetOrders } : {}),
      isBackpressured: () => publisher.isBackpressured(),
      afterSlice: () => publisher.flush(),
    });
    if (options.seedBooks ?? true) generator.seedBooks();

    const u = uws();
    const app = u.App();
    const router = new SimHttpRouter(app, faults, log);
    sockets = new MdSocketServer(publisher, clock, log, {
      pingIntervalMs: options.pingIntervalMs ?? (market === 'spot' ? 20_000 : 180_000),
      pongTimeoutMs: options.pongTimeoutMs ?? (market === 'spot' ? 60_000 : 600_000),
      connectionLifetimeMs: options.connectionLifetimeMs ?? DAY_MS,
      maxIncomingPerSec: options.maxIncomingPerSec ?? (market === 'spot' ? 5 : 10),
      maxStreams: 1024,
    });
    sockets.install(app, market === 'spot' ? [''] : ['', '/public', '/market']);
    const replay = new ReplaySender(
      () => publisher.connections(),
      (n) => publisher.stats.sentExtra('replay', n),
    );
    installMarketRoutes({ router, engine, mode: market, format, clock, instruments: list });
    const sk = sockets;
    installSimRoutes({
      router,
      engine,
      format,
      faults,
      generator,
      publisher,
      replay,
      symbols,
      seed,
      mode: market,
      replayDir: options.replayDir,
      extraStats: () => ({ http: { ...router.counters }, ws: { ...sk.counters } }),
    });

    const accounts = options.accounts ?? [];
    const plugins = options.plugins ?? (await defaultPlugins(accounts));
    const ctx: SimPluginContext = {
      app,
      engine,
      faults,
      clock,
      instruments,
      venue: SIM_VENUE,
      instrument: (s) => instruments.byVenueSymbol(SIM_VENUE, s),
      market,
      format,
      accounts,
      log,
      registerRoute: (method, path, handler, opts) => router.add(method, path, handler, opts),
      registerWs: <UserData>(pattern: string, behavior: WebSocketBehavior<UserData>) => {
        if (pattern === '/ws' || pattern.startsWith('/ws/') || pattern === '/stream') throw new SimConfigError(`plugin WebSocket route ${pattern} collides with market data`);
        app.ws<UserData>(pattern, behavior);
      },
    };
    for (const p of plugins) await p.install(ctx);
    router.addFallback();

    const listenSocket = await new Promise<us_listen_socket>((resolve, reject) => {
      app.listen(host, options.port ?? 0, (s) => (s ? resolve(s) : reject(new SimConfigError(`sim could not listen on ${host}:${options.port ?? 0}`))));
    });
    const port = u.us_socket_local_port(listenSocket as unknown as Parameters<typeof u.us_socket_local_port>[0]);
    const sim = new SimExchange(port, host, market, engine, faults, generator, publisher, instruments, format, clock, replay, app, listenSocket, sockets, plugins, log);
    generator.start();
    log.info('sim listening', { url: sim.url, market, symbols: symbols.map((s) => s.symbol), seed, rate });
    return sim;
  }

  /** Sends pre-built frames (or ndjson-loaded ones) to market-data connections at full speed. */
  replay(frames: readonly (string | Uint8Array)[], options: { repeat?: number; stream?: string } = {}): Promise<ReplayResult> {
    return this.replaySender.start(frames, options);
  }

  /** Stops flow, optionally announces serverShutdown, closes every socket. Idempotent. */
  async stop(options: { announce?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.generator.stop();
    if (options.announce) this.publisher.announceShutdown();
    for (const p of this.plugins) {
      try {
        await p.stop?.();
      } catch (err) {
        this.log.error('sim plugin stop failed', { plugin: p.name, error: (err as Error).message });
      }
    }
    this.sockets.stop();
    this.publisher.stop();
    uws().us_listen_socket_close(this.listenSocket);
    this.app.close();
  }
}
