/**
 * Public market-data REST endpoints. Spot mode: /api/v3/{ping,time,exchangeInfo,depth};
 * USD-M mode: /fapi/v1/{ping,time,exchangeInfo,depth}. Depth snapshots are taken between
 * book batches, so lastUpdateId is exactly the u of the last diff the book has emitted.
 */
import type { Instrument } from '../../../core/instruments/instrument.js';
import type { MatchingEngine } from '../matching/engine.js';
import type { PriceLevel } from '../matching/price-level.js';
import { exchangeInfo } from '../market/exchange-info.js';
import { formatMantissa, type BinanceFormat, type SimMarketMode } from '../market/format.js';
import { checkParams, invalidParam, optionalUint, ParamError, requireSymbol, withParams } from './params.js';
import { binanceError, jsonResponse, type SimClock, type SimHttpResponse } from './plugin.js';
import type { SimHttpRouter } from './router.js';

const USDM_DEPTH_LIMITS = [5, 10, 20, 50, 100, 500, 1000];
const SPOT_MAX_DEPTH = 5000;

export interface MarketRoutesContext {
  router: SimHttpRouter;
  engine: MatchingEngine;
  mode: SimMarketMode;
  format: BinanceFormat;
  clock: SimClock;
  instruments: readonly Instrument[];
}

/** Aggregated levels of one side, best first, as [["price","qty"], ...]. */
export function levelsArray(inst: Instrument, f: BinanceFormat, levels: readonly PriceLevel[], limit: number): [string, string][] {
  const out: [string, string][] = [];
  const pd = f.priceDigits(inst);
  const qd = f.qtyDigits(inst);
  for (let i = levels.length - 1; i >= 0 && out.length < limit; i--) {
    const l = levels[i] as PriceLevel;
    out.push([formatMantissa(l.price, inst.priceScale, pd), formatMantissa(l.total, inst.qtyScale, qd)]);
  }
  return out;
}

export function installMarketRoutes(ctx: MarketRoutesContext): void {
  const { router, engine, mode, format, clock } = ctx;
  const prefix = mode === 'spot' ? '/api/v3' : '/fapi/v1';
  const isSymbol = (s: string): boolean => engine.hasSymbol(s);

  router.add('GET', `${prefix}/ping`, (req) => withParams(() => (checkParams(req, []), jsonResponse(200, {}))));
  router.add('GET', `${prefix}/time`, (req) => withParams(() => (checkParams(req, []), jsonResponse(200, { serverTime: clock.nowMs() }))));

  router.add('GET', `${prefix}/exchangeInfo`, (req) =>
    withParams(() => {
      checkParams(req, ['symbol', 'symbols', 'permissions', 'showPermissionSets', 'symbolStatus']);
      let list = ctx.instruments;
      const one = req.query.get('symbol');
      const many = req.query.get('symbols');
      if (one !== null && many !== null) throw new ParamError(binanceError(400, -1128, 'Combination of optional parameters invalid.'));
      if (one !== null) {
        requireSymbol(req, isSymbol);
        list = list.filter((i) => i.symbol === one);
      } else if (many !== null) {
        let names: unknown;
        try {
          names = JSON.parse(many);
        } catch {
          throw invalidParam('symbols');
        }
        if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) throw invalidParam('symbols');
        for (const n of names as string[]) if (!isSymbol(n)) throw new ParamError(binanceError(400, -1121, 'Invalid symbol.'));
        list = list.filter((i) => (names as string[]).includes(i.symbol));
      }
      return jsonResponse(200, exchangeInfo(mode, list, format, clock.nowMs()));
    }),
  );

  router.add('GET', `${prefix}/depth`, (req) =>
    withParams((): SimHttpResponse => {
      checkParams(req, ['symbol', 'limit']);
      const symbol = requireSymbol(req, isSymbol);
      let limit = optionalUint(req, 'limit') ?? (mode === 'spot' ? 100 : 500);
      if (mode === 'spot') {
        if (limit < 1) throw invalidParam('limit');
        limit = Math.min(limit, SPOT_MAX_DEPTH); // Binance truncates larger limits to 5000
      } else if (!USDM_DEPTH_LIMITS.includes(limit)) {
        throw invalidParam('limit');
      }
      const book = engine.book(symbol);
      const inst = engine.instrument(symbol);
      const bids = levelsArray(inst, format, book.bids.levels, limit);
      const asks = levelsArray(inst, format, book.asks.levels, limit);
      if (mode === 'spot') return jsonResponse(200, { lastUpdateId: book.lastUpdateId, bids, asks });
      return jsonResponse(200, { lastUpdateId: book.lastUpdateId, E: clock.nowMs(), T: book.lastBatchTimeMs, bids, asks });
    }),
  );
}
