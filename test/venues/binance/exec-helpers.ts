/** Shared set-up of the execution adapter tests: a real sim on 127.0.0.1 and adapter options for it. */
import { SimExchange } from '../../../src/venues/sim/server/exchange.js';
import { orderEntryPlugin, type OrderEntryOptions, type OrderEntryPlugin } from '../../../src/venues/sim/orderentry/index.js';
import type { SimAccountConfig } from '../../../src/venues/sim/account/config.js';
import type { SimClock } from '../../../src/venues/sim/server/plugin.js';
import type { BinanceExecOptions } from '../../../src/venues/binance/exec/index.js';

export const ALICE: SimAccountConfig & { name: string } = {
  name: 'alice',
  apiKey: 'aliceKey0123456789',
  apiSecret: 'alice-S3CRET-0123456789abcdef',
  balances: { BTC: '10', USDT: '1000000' },
};
export const BOB: SimAccountConfig & { name: string } = {
  name: 'bob',
  apiKey: 'bobKey0123456789',
  apiSecret: 'bob-S3CRET-0123456789abcdef',
  balances: { BTC: '10', USDT: '1000000' },
};

export const quietSimLog = { debug() {}, info() {}, warn() {}, error() {} };

export interface SimHandle {
  sim: SimExchange;
  plugin: OrderEntryPlugin;
}

export async function startSim(opts: { accounts?: SimAccountConfig[]; orderEntry?: Omit<OrderEntryOptions, 'accounts'>; clock?: SimClock; symbols?: string[] } = {}): Promise<SimHandle> {
  const accounts = opts.accounts ?? [ALICE, BOB];
  const plugin = orderEntryPlugin({ accounts, ...opts.orderEntry });
  const sim = await SimExchange.start({
    symbols: opts.symbols ?? ['BTCUSDT'],
    rate: 0,
    seedBooks: false,
    accounts,
    log: quietSimLog,
    plugins: [plugin],
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  return { sim, plugin };
}

export function adapterOptions(sim: SimExchange, account: SimAccountConfig, over: Partial<BinanceExecOptions> = {}): BinanceExecOptions {
  return {
    restBaseUrl: sim.url,
    wsApiUrl: `${sim.wsUrl}/ws-api/v3`,
    credentials: { apiKey: account.apiKey, apiSecret: account.apiSecret },
    instruments: sim.instruments.all().map((i) => ({ symbol: i.venueSymbol, priceScale: i.priceScale, qtyScale: i.qtyScale })),
    requestTimeoutMs: 1000,
    clockSyncIntervalMs: 0,
    reconnect: { initialMs: 20, maxMs: 200 },
    ...over,
  };
}

export interface SimOrder {
  symbol: string;
  orderId: number;
  owner: string;
  clientOrderId: string;
  side: string;
  type: string;
  price: string;
  origQty: string;
  executedQty: string;
  status: string;
}

/** Ground truth: every order the sim's engine holds (open and finished). */
export async function simOrders(sim: SimExchange, query: Record<string, string> = {}): Promise<SimOrder[]> {
  const q = new URLSearchParams(query).toString();
  const res = await fetch(`${sim.url}/sim/orders${q ? `?${q}` : ''}`);
  return ((await res.json()) as { orders: SimOrder[] }).orders;
}

export async function simBalances(sim: SimExchange): Promise<Record<string, Record<string, { free: string; locked: string }>>> {
  return (await (await fetch(`${sim.url}/sim/balances`)).json()) as Record<string, Record<string, { free: string; locked: string }>>;
}

/**
 * A reader of how many HTTP requests the sim's router has served (order entry and market
 * REST; WS API frames are not HTTP requests), not counting the reader's own /sim/stats calls.
 */
export function httpRequestCounter(sim: SimExchange): () => Promise<number> {
  let own = 0;
  return async () => {
    own++;
    const s = (await (await fetch(`${sim.url}/sim/stats`)).json()) as { http: { requests: number } };
    return s.http.requests - own;
  };
}

/** WS API frames the sim has received. */
export function wsRequests(h: SimHandle): number {
  return h.plugin.handle()!.stats().wsRequests as number;
}

/** Waits until `pred()` holds, polling; bounded by time. */
export async function until(pred: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until the wall clock is at least `marginMs` away from the next `intervalMs` boundary (and 100 ms past the last). */
export async function awayFromBoundary(intervalMs: number, marginMs: number, nowMs: () => number = Date.now): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const pos = nowMs() % intervalMs;
    if (pos >= 100 && intervalMs - pos >= marginMs) return;
    await sleep(Math.min(intervalMs - pos + 120, 200));
  }
}

/** JSON for assertion messages (bigints as strings). */
export function show(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x));
}
