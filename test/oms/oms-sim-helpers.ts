/** The order path (oms worker thread + io gateway + exec adapter) against a real sim on 127.0.0.1. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventType, IntentAction, IntentFlag, OrderType, SchemaLimits, TimeInForce } from '../../src/core/schema/constants.js';
import { ORDER_INTENT, ORDER_UPDATE } from '../../src/core/schema/offsets.js';
import { instrumentDefinition, SIM_CATALOG } from '../../src/venues/sim/market/catalog.js';
import { OrderPath, type StrategyPorts } from '../../src/oms/io/order-path.js';
import type { SimAccountConfig } from '../../src/venues/sim/account/config.js';
import type { RiskLimitsConfig } from '../../src/risk/limits.js';

export const LIMITS: RiskLimitsConfig = {
  defaults: { maxOrderQty: '1', maxOrderNotional: '100000', maxPosition: '5', maxTotalPosition: '10', priceBandBps: 2000 },
  orderRate: { perStrategy: { perSecond: 1000, burst: 200 }, global: { perSecond: 2000, burst: 400 } },
  maxOpenOrders: { perStrategy: 200, global: 400 },
  dailyLoss: { USDT: '1000000' },
  maxStrategies: 8,
};

export function newStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'veloz-oms-'));
}

export interface PathParams {
  simUrl: string;
  simWsUrl: string;
  account: SimAccountConfig;
  stateDir: string;
  strategyIds?: number[];
  limits?: RiskLimitsConfig;
  requestTimeoutMs?: number;
  recvWindowMs?: number;
  notFoundGraceNs?: number;
  onSent?: (action: number, seq: number) => void;
}

export async function startPath(p: PathParams): Promise<OrderPath> {
  return OrderPath.start({
    adapter: {
      restBaseUrl: p.simUrl,
      wsApiUrl: `${p.simWsUrl}/ws-api/v3`,
      credentials: { apiKey: p.account.apiKey, apiSecret: p.account.apiSecret },
      instruments: [{ symbol: 'BTCUSDT', priceScale: 2, qtyScale: 5 }],
      requestTimeoutMs: p.requestTimeoutMs ?? 1000,
      clockSyncIntervalMs: 0,
      ...(p.recvWindowMs ? { recvWindowMs: p.recvWindowMs } : {}),
      reconnect: { initialMs: 20, maxMs: 200 },
    },
    worker: {
      walDir: join(p.stateDir, 'wal'),
      fsync: 'group',
      instruments: [instrumentDefinition(SIM_CATALOG.BTCUSDT!, 'spot')],
      limits: p.limits ?? LIMITS,
      marks: { BTCUSDT: '6000000' },
      notFoundGraceNs: p.notFoundGraceNs ?? 1_500_000_000,
      dumpPath: join(p.stateDir, 'dump.json'),
    },
    strategyIds: p.strategyIds ?? [1],
    onSent: p.onSent,
  });
}

export interface IntentSpec {
  action?: number;
  side: 'BUY' | 'SELL';
  price: bigint;
  qty: bigint;
  strategyOrderId: number;
  tif?: number;
  orderType?: number;
}

/** Writes one ORDER_INTENT; false when the ring is full. */
export function sendIntent(s: StrategyPorts, i: IntentSpec, instrument = 1): boolean {
  const at = s.intents.tryClaim();
  if (at < 0) return false;
  const b = s.intentsBuf;
  b.clear(at, 64);
  b.setU8(at + ORDER_INTENT.type, EventType.ORDER_INTENT);
  b.setU8(at + ORDER_INTENT.action, i.action ?? IntentAction.NEW);
  b.setU16(at + ORDER_INTENT.flags, i.side === 'BUY' ? IntentFlag.BUY : IntentFlag.SELL);
  b.setU32(at + ORDER_INTENT.instrument, instrument);
  b.setU32(at + ORDER_INTENT.strategyId, s.id);
  b.setU8(at + ORDER_INTENT.orderType, i.orderType ?? OrderType.LIMIT);
  b.setU8(at + ORDER_INTENT.tif, i.tif ?? TimeInForce.GTC);
  b.setI64Number(at + ORDER_INTENT.intentId, i.strategyOrderId);
  b.setI64Number(at + ORDER_INTENT.clientOrderId, i.strategyOrderId);
  b.setI64(at + ORDER_INTENT.price, i.price);
  b.setI64(at + ORDER_INTENT.qty, i.qty);
  s.intents.commit();
  return true;
}

export interface Update {
  state: number;
  reason: number;
  flags: number;
  strategyOrderId: number;
  filledQty: bigint;
  lastQty: bigint;
}

export function drainUpdates(s: StrategyPorts, into: Update[]): void {
  const b = s.updatesBuf;
  s.updates.poll((_v, at) => {
    into.push({
      state: b.getU8(at + ORDER_UPDATE.state),
      reason: b.getU16(at + ORDER_UPDATE.reason),
      flags: b.getU16(at + ORDER_UPDATE.flags),
      strategyOrderId: b.getU64Number(at + ORDER_UPDATE.clientOrderId),
      filledQty: b.getI64(at + ORDER_UPDATE.filledQty),
      lastQty: b.getI64(at + ORDER_UPDATE.lastQty),
    });
  });
}

export { SchemaLimits };
