/**
 * Parsing of Binance depth JSON for replay and tools (not the hot path: the native
 * decoder does this in production). REST snapshot: {lastUpdateId, [E, T,] bids, asks};
 * diff: a depthUpdate event, raw or wrapped as {"stream": …, "data": …}.
 * Every shape error is a BookError REPLAY_INPUT naming what was wrong and where.
 */
import { BookError, BookErrorCode } from '../errors.js';

export type RawLevel = [string, string];

export interface DepthSnapshotJson {
  lastUpdateId: number;
  /** USD-M transaction time T (or E), ms; 0 on spot, whose snapshot carries no time. */
  time: number;
  bids: RawLevel[];
  asks: RawLevel[];
}

export interface DepthDiffJson {
  symbol: string;
  firstUpdateId: number;
  finalUpdateId: number;
  /** USD-M `pu`; -1 when absent (spot). */
  prevFinalUpdateId: number;
  /** Transaction time T when present (USD-M), else event time E; ms. */
  time: number;
  bids: RawLevel[];
  asks: RawLevel[];
}

function fail(where: string, what: string): never {
  throw new BookError(BookErrorCode.REPLAY_INPUT, `${where}: ${what}`);
}

function parseJson(text: string, where: string): unknown {
  if (typeof text !== 'string') fail(where, `expected JSON text, got ${typeof text}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    return fail(where, `not JSON (${(e as Error).message})`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function id(obj: Record<string, unknown>, key: string, where: string): number {
  const v = obj[key];
  // JSON.parse rounds integers above 2^53, which then fail isSafeInteger: no silent loss.
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(where, `"${key}" must be a non-negative integer below 2^53, got ${JSON.stringify(v)}`);
  return v;
}

function levels(obj: Record<string, unknown>, key: string, where: string): RawLevel[] {
  const v = obj[key];
  if (!Array.isArray(v)) fail(where, `"${key}" must be an array of [price, qty]`);
  return v.map((l: unknown, i) => {
    if (!Array.isArray(l) || l.length < 2 || typeof l[0] !== 'string' || typeof l[1] !== 'string') {
      fail(where, `"${key}"[${i}] must be ["price", "qty"] strings, got ${JSON.stringify(l)}`);
    }
    return [l[0], l[1]] as RawLevel;
  });
}

export function parseDepthSnapshot(text: string): DepthSnapshotJson {
  const where = 'depth snapshot';
  const obj = parseJson(text, where);
  if (!isObject(obj)) fail(where, 'expected an object');
  const time = obj['T'] ?? obj['E'];
  return {
    lastUpdateId: id(obj, 'lastUpdateId', where),
    time: typeof time === 'number' && Number.isSafeInteger(time) && time >= 0 ? time : 0,
    bids: levels(obj, 'bids', where),
    asks: levels(obj, 'asks', where),
  };
}

/** A depthUpdate diff, or null for another event on the same stream (e.g. serverShutdown). */
export function parseDepthDiff(text: string, where: string): DepthDiffJson | null {
  let obj = parseJson(text, where);
  if (isObject(obj) && 'stream' in obj && 'data' in obj) obj = obj['data'];
  if (!isObject(obj)) fail(where, 'expected an object');
  if (obj['e'] !== 'depthUpdate') return null;
  const symbol = obj['s'];
  if (typeof symbol !== 'string' || symbol.length === 0) fail(where, `"s" must be the symbol, got ${JSON.stringify(symbol)}`);
  const hasPu = obj['pu'] !== undefined;
  const time = obj['T'] !== undefined ? id(obj, 'T', where) : id(obj, 'E', where);
  return {
    symbol,
    firstUpdateId: id(obj, 'U', where),
    finalUpdateId: id(obj, 'u', where),
    prevFinalUpdateId: hasPu ? id(obj, 'pu', where) : -1,
    time,
    bids: levels(obj, 'b', where),
    asks: levels(obj, 'a', where),
  };
}

/** Digits after the decimal point as written ("60000.0" → 1, "0.500" → 3, "10" → 0). */
export function writtenScale(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}
