/**
 * Ground truth and control under /sim/ (never subject to injected HTTP faults):
 *   GET  /sim/book?symbol=&depth=     the book the venue believes in, with lastUpdateId
 *   GET  /sim/orders?symbol=&owner=&open=true
 *   GET  /sim/stats                   messages per stream, connections, flow, faults, HTTP
 *   GET  /sim/faults                  armed faults and counters
 *   POST /sim/faults                  a FaultSpec, an array of them, or {"clear":true}
 *   POST /sim/flow                    {"rate": n | "max"} and/or {"step": n}
 *   POST /sim/replay                  {"file": "<name in replayDir>" | "generate": n, "repeat"?, "stream"?}
 *   GET  /sim/replay                  replay progress
 * GET /sim/balances belongs to order entry (registered by its plugin).
 */
import { resolve, sep } from 'node:path';
import type { MatchingEngine } from '../matching/engine.js';
import type { OrderView } from '../matching/types.js';
import { FaultSpecError, type FaultSpec, type SimFaults } from '../faults.js';
import type { BinanceFormat } from '../market/format.js';
import type { MarketGenerator } from '../market/generator.js';
import type { MarketPublisher } from '../market/publisher.js';
import { loadNdjsonFrames, pregenerateDepthFrames, type ReplaySender } from '../market/replay.js';
import type { SimSymbolConfig } from '../market/catalog.js';
import { levelsArray } from './market-routes.js';
import { checkParams, invalidParam, optionalUint, ParamError, requireSymbol, withParams } from './params.js';
import { binanceError, jsonResponse, type SimHttpRequest, type SimHttpResponse } from './plugin.js';
import type { SimHttpRouter } from './router.js';

const MAX_STEP = 1_000_000;
const MAX_GENERATE = 5_000_000;

export interface SimRoutesContext {
  router: SimHttpRouter;
  engine: MatchingEngine;
  format: BinanceFormat;
  faults: SimFaults;
  generator: MarketGenerator;
  publisher: MarketPublisher;
  replay: ReplaySender;
  symbols: readonly SimSymbolConfig[];
  seed: number;
  mode: 'spot' | 'usdm';
  replayDir: string | undefined;
  extraStats: () => Record<string, unknown>;
}

function parseBody(req: SimHttpRequest): unknown {
  try {
    return JSON.parse(req.body);
  } catch {
    throw new ParamError(binanceError(400, -1130, 'Request body is not valid JSON.'));
  }
}

export function installSimRoutes(ctx: SimRoutesContext): void {
  const { router, engine, format, faults } = ctx;
  const isSymbol = (s: string): boolean => engine.hasSymbol(s);

  router.add('GET', '/sim/book', (req) =>
    withParams(() => {
      checkParams(req, ['symbol', 'depth']);
      const symbol = requireSymbol(req, isSymbol);
      const depth = optionalUint(req, 'depth') ?? 1000;
      const limit = depth === 0 ? Number.MAX_SAFE_INTEGER : depth;
      const book = engine.book(symbol);
      const inst = engine.instrument(symbol);
      return jsonResponse(200, {
        symbol,
        lastUpdateId: book.lastUpdateId,
        bids: levelsArray(inst, format, book.bids.levels, limit),
        asks: levelsArray(inst, format, book.asks.levels, limit),
        levels: { bids: book.bids.size, asks: book.asks.size },
        openOrders: book.open.size,
      });
    }),
  );

  router.add('GET', '/sim/orders', (req) =>
    withParams(() => {
      checkParams(req, ['symbol', 'owner', 'open']);
      const symbol = req.query.get('symbol');
      if (symbol !== null) requireSymbol(req, isSymbol);
      const owner = req.query.get('owner');
      const open = req.query.get('open');
      if (open !== null && open !== 'true' && open !== 'false') throw invalidParam('open');
      const list = engine.orders({ ...(symbol !== null ? { symbol } : {}), ...(owner !== null ? { owner } : {}), openOnly: open === 'true' });
      return jsonResponse(200, { orders: list.map((o) => orderJson(engine, format, o)) });
    }),
  );

  router.add('GET', '/sim/stats', (req) =>
    withParams(() => {
      checkParams(req, []);
      const byStream = ctx.publisher.messagesByStream();
      return jsonResponse(200, {
        messages: Object.values(byStream).reduce((a, b) => a + b, 0),
        messagesByStream: byStream,
        connections: ctx.publisher.stats.connections(),
        flow: { rate: ctx.generator.currentRate, events: ctx.generator.counts() },
        faults: faults.stats(),
        ...ctx.extraStats(),
      });
    }),
  );

  router.add('GET', '/sim/faults', () => jsonResponse(200, { pending: faults.pending(), ...faults.stats() }));

  router.add('POST', '/sim/faults', (req) =>
    withParams((): SimHttpResponse => {
      const body = parseBody(req);
      if (typeof body === 'object' && body !== null && !Array.isArray(body) && (body as { clear?: unknown }).clear === true) {
        faults.clear();
        return jsonResponse(200, { cleared: true });
      }
      const list = Array.isArray(body) ? body : [body];
      if (list.length === 0 || list.length > 100) throw invalidParam('faults');
      try {
        const armed = list.map((s) => faults.inject(s as FaultSpec));
        return jsonResponse(200, { armed });
      } catch (err) {
        if (err instanceof FaultSpecError) return jsonResponse(400, { code: -1130, msg: err.message, error: err.code });
        throw err;
      }
    }),
  );

  router.add('POST', '/sim/flow', (req) =>
    withParams(() => {
      const body = parseBody(req) as { rate?: unknown; step?: unknown; symbol?: unknown };
      if (typeof body !== 'object' || body === null) throw invalidParam('body');
      for (const k of Object.keys(body)) if (!['rate', 'step', 'symbol'].includes(k)) throw invalidParam(k);
      let stepped = 0;
      if (body.rate !== undefined) {
        if (!(body.rate === 'max' || (typeof body.rate === 'number' && Number.isFinite(body.rate) && body.rate >= 0 && body.rate <= 10_000_000))) throw invalidParam('rate');
        ctx.generator.setRate(body.rate as number | 'max');
      }
      if (body.symbol !== undefined && (typeof body.symbol !== 'string' || !isSymbol(body.symbol))) throw new ParamError(binanceError(400, -1121, 'Invalid symbol.'));
      if (body.step !== undefined) {
        if (typeof body.step !== 'number' || !Number.isInteger(body.step) || body.step < 1 || body.step > MAX_STEP) throw invalidParam('step');
        stepped = ctx.generator.step(body.step, body.symbol as string | undefined);
      }
      return jsonResponse(200, { rate: ctx.generator.currentRate, stepped, events: ctx.generator.counts() });
    }),
  );

  router.add('GET', '/sim/replay', () => jsonResponse(200, { replay: ctx.replay.status() }));

  router.add('POST', '/sim/replay', (req) =>
    withParams(() => {
      const body = parseBody(req) as { file?: unknown; generate?: unknown; repeat?: unknown; stream?: unknown; combined?: unknown };
      if (typeof body !== 'object' || body === null) throw invalidParam('body');
      for (const k of Object.keys(body)) if (!['file', 'generate', 'repeat', 'stream', 'combined'].includes(k)) throw invalidParam(k);
      const repeat = body.repeat ?? 1;
      if (typeof repeat !== 'number' || !Number.isInteger(repeat) || repeat < 1 || repeat > 10_000) throw invalidParam('repeat');
      if (body.stream !== undefined && typeof body.stream !== 'string') throw invalidParam('stream');
      let frames: (string | Uint8Array)[];
      if (typeof body.file === 'string') {
        if (!ctx.replayDir) return jsonResponse(403, { code: -2015, msg: 'Replay from files is disabled: start the sim with replayDir (--replay-dir).' });
        const root = resolve(ctx.replayDir);
        const path = resolve(root, body.file);
        if (!path.startsWith(root + sep)) throw invalidParam('file');
        try {
          frames = loadNdjsonFrames(path);
        } catch (err) {
          return jsonResponse(400, { code: -1130, msg: `Cannot read replay file: ${(err as Error).message}` });
        }
      } else if (body.generate !== undefined) {
        const n = body.generate;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_GENERATE) throw invalidParam('generate');
        frames = pregenerateDepthFrames({ seed: ctx.seed, symbols: ctx.symbols, count: n, mode: ctx.mode, combined: body.combined === true });
      } else {
        throw invalidParam('file');
      }
      if (ctx.replay.status()?.running) return jsonResponse(409, { code: -1, msg: 'A replay is already running.' });
      void ctx.replay.start(frames, { repeat, ...(typeof body.stream === 'string' ? { stream: body.stream } : {}) });
      return jsonResponse(200, { frames: frames.length, repeat, connections: ctx.replay.status()?.connections ?? 0 });
    }),
  );
}

function orderJson(engine: MatchingEngine, f: BinanceFormat, o: OrderView): Record<string, unknown> {
  const inst = engine.instrument(o.symbol);
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    owner: o.owner,
    clientOrderId: o.clientOrderId,
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce,
    price: f.price(inst, o.price),
    origQty: f.qty(inst, o.origQty),
    executedQty: f.qty(inst, o.executedQty),
    cummulativeQuoteQty: f.quote(inst, o.cumQuote),
    status: o.status,
    time: o.timeMs,
    updateTime: o.updateTimeMs,
  };
}
