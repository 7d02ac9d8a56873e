/**
 * Shared pieces of the pipeline tests: a sim on an ephemeral loopback port, a pipeline
 * pointed at it, the sim's ground truth (the whole book at a quiescent moment, and the
 * top of every book at every update id), and book comparisons in mantissas.
 */
import assert from 'node:assert/strict';
import { parseDecimal } from '../../src/core/fixed/decimal.js';
import type { Instrument } from '../../src/core/instruments/instrument.js';
import { BookLevels } from '../../src/book/book-levels.js';
import { MarketDataPipeline, type MarketDataPipelineOptions } from '../../src/md/pipeline.js';
import { SimExchange, type SimExchangeOptions } from '../../src/venues/sim/server/exchange.js';
import { stderrLog } from '../../src/venues/sim/server/log.js';
import type { RuntimeLogger } from '../../src/core/threads/logger.js';

export function startSim(options: SimExchangeOptions = {}): Promise<SimExchange> {
  return SimExchange.start({ port: 0, plugins: [], log: stderrLog('error'), ...options });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor(pred: () => boolean, timeoutMs: number, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(10);
  }
}

/** Collects what the runtime and io log, so a test can show it when something fails. */
export class CaptureLogger implements RuntimeLogger {
  readonly lines: string[] = [];
  info(obj: object, msg: string): void {
    this.lines.push(`info ${msg} ${JSON.stringify(obj)}`);
  }
  warn(obj: object, msg: string): void {
    this.lines.push(`warn ${msg} ${JSON.stringify(obj)}`);
  }
  error(obj: object, msg: string): void {
    this.lines.push(`error ${msg} ${JSON.stringify(obj)}`);
  }
}

export function startPipeline(sim: SimExchange, extra: Partial<MarketDataPipelineOptions> & { feed?: Record<string, unknown> } = {}): Promise<MarketDataPipeline> {
  const { feed, ...rest } = extra;
  return MarketDataPipeline.start({
    venue: {
      kind: sim.market === 'spot' ? 'binance' : 'binance-usdm',
      wsUrl: sim.wsUrl,
      restUrl: sim.url,
      streams: ['depth@100ms', 'trade'],
      feed: { backoff: { initialMs: 50, maxMs: 400, seed: 5 }, ...feed },
      snapshot: { maxAttempts: 3, timeoutMs: 2000 },
    },
    instruments: sim.instruments.all(),
    threads: { io: { waitStrategy: 'block' }, book: { waitStrategy: 'block' } },
    book: { windowTicks: 4096 },
    snapshotRetryMs: { initial: 100, max: 1000 },
    logger: new CaptureLogger(),
    ...rest,
  });
}

export interface SideLevels {
  bids: [bigint, bigint][];
  asks: [bigint, bigint][];
}

/** The sim's ground truth, GET /sim/book (the whole book), in mantissas, with its update id. */
export async function truthBook(sim: SimExchange, inst: Instrument): Promise<SideLevels & { lastUpdateId: number }> {
  const res = await fetch(`${sim.url}/sim/book?symbol=${inst.symbol}&depth=0`);
  assert.equal(res.status, 200);
  const body = (await res.json()) as { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] };
  const side = (levels: [string, string][]): [bigint, bigint][] => levels.map(([p, q]) => [parseDecimal(p, inst.priceScale), parseDecimal(q, inst.qtyScale)]);
  return { lastUpdateId: body.lastUpdateId, bids: side(body.bids), asks: side(body.asks) };
}

/** The pipeline's copy of a book. */
export function pipelineBook(md: MarketDataPipeline, id: number): SideLevels & { lastUpdateId: number; valid: boolean } {
  const levels = new BookLevels(8192);
  assert.ok(md.books.reader(id).readFull(levels), 'book read');
  return { ...levels.toArrays(), lastUpdateId: levels.lastUpdateId, valid: levels.valid };
}

/**
 * Pauses the sim's flow, waits until every book has caught up with the sim's last update
 * id, and asserts each equals the sim's book level for level. Resumes the flow at `rate`.
 */
export async function assertBooksEqualTruth(sim: SimExchange, md: MarketDataPipeline, rate: number, what: string): Promise<void> {
  await md.whenAllValid(15_000).catch((err: Error) => {
    throw new Error(`${what}: ${err.message}; ${JSON.stringify(md.counters())}`);
  });
  sim.generator.setRate(0);
  try {
    const insts = sim.instruments.all();
    await waitFor(
      () => insts.every((i) => pipelineBook(md, i.id).lastUpdateId === sim.engine.book(i.symbol).lastUpdateId),
      10_000,
      () => `${what}: books at the sim's update ids: ${insts.map((i) => `${i.symbol} ${pipelineBook(md, i.id).lastUpdateId}/${sim.engine.book(i.symbol).lastUpdateId}`).join(', ')}`,
    );
    for (const inst of insts) {
      const mine = pipelineBook(md, inst.id);
      const truth = await truthBook(sim, inst);
      assert.equal(mine.valid, true, `${what}: ${inst.symbol} valid`);
      assert.equal(mine.lastUpdateId, truth.lastUpdateId, `${what}: ${inst.symbol} update id`);
      assert.deepEqual(mine.bids, truth.bids, `${what}: ${inst.symbol} bids`);
      assert.deepEqual(mine.asks, truth.asks, `${what}: ${inst.symbol} asks`);
      assert.ok(truth.bids.length > 5 && truth.asks.length > 5, `${what}: ${inst.symbol} is a real book`);
    }
  } finally {
    sim.generator.setRate(rate);
  }
}
