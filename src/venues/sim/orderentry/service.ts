/**
 * Order entry behind both transports (REST and the WebSocket API): places, cancels and
 * queries orders for sim accounts against the matching engine, keeps balances in step
 * with every order update (locks, fills, fees, releases), and queues the account's
 * executionReport / outboundAccountPosition events.
 *
 * Everything runs synchronously inside one request or one engine batch. Events are held
 * while a request runs; the transport flushes them after (or, with the exec-before-ack
 * fault, before) writing the reply. Engine activity outside a request (generated flow
 * filling a resting order) flushes at the end of the engine's batch.
 *
 * newClientOrderId rule (Binance's): unique among the account's OPEN orders on the
 * symbol; reusing the id of an open order is -2010 "Duplicate order sent.", reusing one
 * of a finished order is allowed (lookups by origClientOrderId then find the newest).
 */
import { randomBytes } from 'node:crypto';
import type { Instrument } from '../../../core/instruments/instrument.js';
import type { AccountRegistry } from '../account/registry.js';
import type { Reservation, SimAccount } from '../account/account.js';
import { releaseReservation, reservationFor, reservationKey, settleFill } from '../account/settlement.js';
import type { SimFaults } from '../faults.js';
import type { BinanceFormat } from '../market/format.js';
import type { Fill, MatchingListener, OrderStatus, OrderView, SimMatchingEngine } from '../matching/types.js';
import type { SimClock, SimLog } from '../server/plugin.js';
import { ApiErrors, BinanceApiError } from './errors.js';
import type { NewOrderParams } from './order-params.js';
import { ResponseBuilder, type ReplyFill } from './responses.js';
import { UserStreams } from './user-streams.js';

/** Binance's MAX_NUM_ORDERS default: open orders per account per symbol. */
export const DEFAULT_MAX_OPEN_ORDERS = 200;
/** Levels read when estimating what a MARKET order will cost. */
const MARKET_WALK_DEPTH = 5000;

export interface OrderEntryServiceDeps {
  engine: SimMatchingEngine;
  accounts: AccountRegistry;
  clock: SimClock;
  format: BinanceFormat;
  instrument(symbol: string): Instrument | undefined;
  faults: SimFaults;
  log: SimLog;
  maxOpenOrdersPerSymbol?: number;
}

interface Placing {
  owner: string;
  symbol: string;
  clientOrderId: string;
  reservation: Reservation;
  registered: boolean;
  orderId: number;
  fills: ReplyFill[];
}

interface Canceling {
  owner: string;
  symbol: string;
  orderId: number;
  cancelClientOrderId: string;
}

export interface OrderEntryCounters {
  ordersAccepted: number;
  ordersRefused: number;
  cancels: number;
  executionReports: number;
  accountPositions: number;
  listenerErrors: number;
}

export function isOpen(status: OrderStatus): boolean {
  return status === 'NEW' || status === 'PARTIALLY_FILLED';
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 12 random characters per process, then a base-62 counter: unique without a syscall per id. */
const ID_PREFIX = Array.from(randomBytes(12), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
let idCounter = 0;

/** A 22-character id in the style Binance generates ("6gCrw2kRUAF9CvJDGP16IP"). */
export function generateClientOrderId(): string {
  let n = ++idCounter;
  let tail = '';
  for (let i = 0; i < 10; i++) {
    tail = ID_ALPHABET[n % 62] + tail;
    n = Math.floor(n / 62);
  }
  return ID_PREFIX + tail;
}

export class OrderEntryService {
  readonly streams = new UserStreams();
  readonly responses: ResponseBuilder;
  readonly counters: OrderEntryCounters = { ordersAccepted: 0, ordersRefused: 0, cancels: 0, executionReports: 0, accountPositions: 0, listenerErrors: 0 };
  private readonly maxOpen: number;
  private holdDepth = 0;
  private executionId = 0;
  private placing: Placing | null = null;
  private canceling: Canceling | null = null;
  private readonly dirty = new Set<SimAccount>();
  private readonly removeListener: () => void;

  constructor(private readonly deps: OrderEntryServiceDeps) {
    this.responses = new ResponseBuilder(deps.format);
    this.maxOpen = deps.maxOpenOrdersPerSymbol ?? DEFAULT_MAX_OPEN_ORDERS;
    const listener: MatchingListener = {
      ignoreFlowOrders: true,
      onOrderUpdate: (order, fill) => this.onOrderUpdate(order, fill),
      onBatchEnd: () => {
        if (this.holdDepth === 0) {
          this.finishBatch();
          this.streams.flush();
        }
      },
    };
    this.removeListener = deps.engine.addListener(listener);
  }

  close(): void {
    this.removeListener();
  }

  /**
   * Runs one request's work with events held; afterwards the account positions of the
   * batch are queued behind its execution reports. The caller flushes (flushEvents).
   */
  request<T>(fn: () => T): T {
    this.holdDepth++;
    try {
      return fn();
    } finally {
      this.holdDepth--;
      this.finishBatch();
    }
  }

  flushEvents(): void {
    this.streams.flush();
  }

  instrument(symbol: string): Instrument | undefined {
    return this.deps.instrument(symbol);
  }

  placeOrder(account: SimAccount, p: NewOrderParams): Record<string, unknown> {
    const { engine, clock, faults } = this.deps;
    const inst = p.inst;
    const symbol = inst.symbol;
    const reject = faults.take('orderReject', { symbol });
    if (reject) {
      this.counters.ordersRefused++;
      throw new BinanceApiError(reject.code ?? -2010, reject.msg ?? 'Account has insufficient balance for requested action.');
    }
    const clientOrderId = p.clientOrderId ?? generateClientOrderId();
    const existing = engine.getOrderByClientId(symbol, account.name, clientOrderId);
    if (existing && isOpen(existing.status)) {
      this.counters.ordersRefused++;
      throw ApiErrors.duplicateOrder();
    }
    if (account.openCount(symbol) >= this.maxOpen) {
      this.counters.ordersRefused++;
      throw new BinanceApiError(-1013, 'Filter failure: MAX_NUM_ORDERS');
    }
    let quantity = p.quantity;
    let marketCost: bigint | undefined;
    if (p.type === 'MARKET') {
      const est = this.estimateMarket(inst, p);
      marketCost = est.cost;
      if (p.side === 'SELL' && p.quoteOrderQty !== undefined) quantity = est.qty;
      if (est.cost > 0n && est.cost < inst.minNotional) {
        this.counters.ordersRefused++;
        throw ApiErrors.filter('NOTIONAL');
      }
    }
    const reservation = reservationFor(account, inst, p.side, p.type === 'MARKET' ? 0n : p.price, quantity, marketCost);
    if (!account.balances.tryLock(reservation.asset, reservation.amount)) {
      this.counters.ordersRefused++;
      throw ApiErrors.insufficientBalance();
    }
    this.dirty.add(account);
    const now = clock.nowMs();
    account.updateTime = now;
    const placing: Placing = { owner: account.name, symbol, clientOrderId, reservation, registered: false, orderId: -1, fills: [] };
    this.placing = placing;
    let result;
    try {
      const req = { symbol, owner: account.name, clientOrderId, side: p.side, type: p.type, timeInForce: p.timeInForce, price: p.price, quantity: p.quantity, timeMs: now } as Parameters<SimMatchingEngine['submit']>[0];
      if (p.quoteOrderQty !== undefined) req.quoteOrderQty = p.quoteOrderQty;
      result = engine.submit(req);
    } catch (err) {
      if (!placing.registered) releaseReservation(account, reservation);
      throw err;
    } finally {
      this.placing = null;
    }
    const order = result.order;
    if (order.orderId < 0 || (result.rejectReason !== undefined && !placing.registered)) {
      if (!placing.registered) releaseReservation(account, reservation);
      // Locked and released within this request: no balance change to report.
      account.balances.takeChanged();
      this.dirty.delete(account);
      this.counters.ordersRefused++;
      if (result.rejectReason === 'WOULD_CROSS') throw ApiErrors.wouldMatch();
      if (result.rejectReason === 'NO_LIQUIDITY') throw ApiErrors.newOrderRejected('Order book liquidity is less than symbol minimum quantity.');
      throw ApiErrors.newOrderRejected('Order would not be filled completely.');
    }
    if (!placing.registered) {
      // The engine reported nothing for this order (defensive): settle its lock here.
      if (isOpen(order.status)) account.addReservation(symbol, order.orderId, reservation);
      else releaseReservation(account, reservation);
    }
    this.counters.ordersAccepted++;
    return this.responses.newOrder(inst, order, p.respType, now, placing.fills);
  }

  /** POST /api/v3/order/test: everything a placement checks except the book and balances. */
  testOrder(account: SimAccount, p: NewOrderParams): Record<string, unknown> {
    void account;
    void p;
    return {};
  }

  cancelOrder(account: SimAccount, inst: Instrument, ref: { orderId?: number; origClientOrderId?: string }, cancelClientOrderId?: string): Record<string, unknown> {
    const view = this.findOwn(account, inst, ref);
    if (!view || !isOpen(view.status)) throw ApiErrors.cancelRejected();
    return this.cancelView(account, inst, view, cancelClientOrderId ?? generateClientOrderId());
  }

  cancelAll(account: SimAccount, inst: Instrument): Record<string, unknown>[] {
    const open = this.deps.engine.openOrders(account.name, inst.symbol);
    if (open.length === 0) throw ApiErrors.cancelRejected();
    const out: Record<string, unknown>[] = [];
    for (const o of open) out.push(this.cancelView(account, inst, o, generateClientOrderId()));
    return out;
  }

  queryOrder(account: SimAccount, inst: Instrument, ref: { orderId?: number; origClientOrderId?: string }): Record<string, unknown> {
    const view = this.findOwn(account, inst, ref);
    if (!view) throw ApiErrors.noSuchOrder();
    return this.responses.queryOrder(inst, view);
  }

  openOrders(account: SimAccount, inst?: Instrument): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const o of this.deps.engine.openOrders(account.name, inst?.symbol)) {
      const i = inst ?? this.deps.instrument(o.symbol);
      if (i) out.push(this.responses.queryOrder(i, o));
    }
    return out;
  }

  accountInfo(account: SimAccount, omitZeroBalances: boolean): Record<string, unknown> {
    const uid = 1000 + this.deps.accounts.all().indexOf(account);
    return this.responses.account(account, omitZeroBalances, uid);
  }

  myTrades(account: SimAccount, inst: Instrument, q: { orderId?: number; fromId?: number; startTime?: number; endTime?: number; limit: number }): Record<string, unknown>[] {
    const scales = account.balances.scales;
    const out: Record<string, unknown>[] = [];
    for (const t of account.trades) {
      if (t.symbol !== inst.symbol) continue;
      if (q.orderId !== undefined && t.orderId !== q.orderId) continue;
      if (q.fromId !== undefined && t.id < q.fromId) continue;
      if (q.startTime !== undefined && t.time < q.startTime) continue;
      if (q.endTime !== undefined && t.time > q.endTime) continue;
      out.push(this.responses.trade(inst, t, scales.of(t.commissionAsset)));
    }
    // Without fromId Binance returns the most recent `limit` trades, oldest first.
    return q.fromId !== undefined ? out.slice(0, q.limit) : out.slice(Math.max(0, out.length - q.limit));
  }

  /** Ground truth for GET /sim/balances. */
  balancesSnapshot(): Record<string, Record<string, { free: string; locked: string }>> {
    const out: Record<string, Record<string, { free: string; locked: string }>> = {};
    for (const a of this.deps.accounts.all()) {
      const bal: Record<string, { free: string; locked: string }> = {};
      for (const asset of a.balances.assets().sort()) {
        const b = a.balances.get(asset);
        bal[asset] = { free: a.balances.format(asset, b.free), locked: a.balances.format(asset, b.locked) };
      }
      out[a.name] = bal;
    }
    return out;
  }

  private findOwn(account: SimAccount, inst: Instrument, ref: { orderId?: number; origClientOrderId?: string }): OrderView | undefined {
    const { engine } = this.deps;
    const view =
      ref.orderId !== undefined ? engine.getOrder(inst.symbol, ref.orderId) : engine.getOrderByClientId(inst.symbol, account.name, ref.origClientOrderId as string);
    if (!view || view.owner !== account.name) return undefined;
    if (ref.orderId !== undefined && ref.origClientOrderId !== undefined && view.clientOrderId !== ref.origClientOrderId) return undefined;
    return view;
  }

  private cancelView(account: SimAccount, inst: Instrument, view: OrderView, cancelClientOrderId: string): Record<string, unknown> {
    const now = this.deps.clock.nowMs();
    this.canceling = { owner: account.name, symbol: inst.symbol, orderId: view.orderId, cancelClientOrderId };
    let final: OrderView | undefined;
    try {
      final = this.deps.engine.cancel(inst.symbol, view.orderId, now);
    } finally {
      this.canceling = null;
    }
    if (!final) throw ApiErrors.cancelRejected();
    // Defensive: an engine that reports no update for the cancel still frees the lock.
    const key = reservationKey(inst.symbol, final.orderId);
    const res = account.reservations.get(key);
    if (res) {
      releaseReservation(account, res);
      account.removeReservation(inst.symbol, final.orderId);
      this.dirty.add(account);
    }
    this.counters.cancels++;
    return this.responses.cancel(inst, final, cancelClientOrderId, now);
  }

  /**
   * What a MARKET order will cost (quote, at priceScale + qtyScale) and fill (base), read
   * from the opposite side of the book the way the engine will walk it.
   */
  private estimateMarket(inst: Instrument, p: NewOrderParams): { cost: bigint; qty: bigint } {
    const book = this.deps.engine.bookSnapshot(inst.symbol, MARKET_WALK_DEPTH);
    const levels = p.side === 'BUY' ? book.asks : book.bids;
    let cost = 0n;
    let qty = 0n;
    for (const l of levels) {
      if (p.quoteOrderQty !== undefined) {
        const left = p.quoteOrderQty - cost;
        if (left <= 0n) break;
        let take = left / l.price;
        take -= take % inst.stepSize;
        if (take > l.quantity) take = l.quantity;
        if (take <= 0n) break;
        cost += take * l.price;
        qty += take;
      } else {
        const left = p.quantity - qty;
        if (left <= 0n) break;
        const take = left < l.quantity ? left : l.quantity;
        cost += take * l.price;
        qty += take;
      }
    }
    return { cost, qty };
  }

  private onOrderUpdate(order: OrderView, fill: Fill | null): void {
    const account = this.deps.accounts.byOwner(order.owner);
    if (!account) return;
    const inst = this.deps.instrument(order.symbol);
    if (!inst) return;
    try {
      const key = reservationKey(order.symbol, order.orderId);
      let res = account.reservations.get(key);
      const placing = this.placing;
      if (!res && placing && !placing.registered && placing.owner === order.owner && placing.symbol === order.symbol && placing.clientOrderId === order.clientOrderId) {
        res = placing.reservation;
        placing.registered = true;
        placing.orderId = order.orderId;
        account.addReservation(order.symbol, order.orderId, res);
      }
      let trade: { commission: bigint; commissionAsset: string; commissionScale: number } | null = null;
      let isMaker = false;
      if (fill) {
        const s = settleFill(account, inst, order, fill, res);
        trade = s;
        isMaker = s.isMaker;
        account.recordTrade({
          symbol: order.symbol,
          id: fill.tradeId,
          orderId: order.orderId,
          price: fill.price,
          qty: fill.quantity,
          quoteQty: fill.price * fill.quantity,
          commission: s.commission,
          commissionAsset: s.commissionAsset,
          time: fill.timeMs,
          isBuyer: order.side === 'BUY',
          isMaker: s.isMaker,
        });
        if (placing && placing.orderId === order.orderId && placing.symbol === order.symbol) {
          placing.fills.push({ price: fill.price, qty: fill.quantity, commission: s.commission, commissionAsset: s.commissionAsset, commissionScale: s.commissionScale, tradeId: fill.tradeId });
        }
      }
      if (!isOpen(order.status) && res) {
        releaseReservation(account, res);
        account.removeReservation(order.symbol, order.orderId);
      }
      account.updateTime = this.deps.clock.nowMs();
      this.dirty.add(account);
      let c = order.clientOrderId;
      let C = '';
      const cx = this.canceling;
      if (order.status === 'CANCELED' && cx && cx.orderId === order.orderId && cx.symbol === order.symbol) {
        c = cx.cancelClientOrderId;
        C = order.clientOrderId;
      }
      this.counters.executionReports++;
      this.streams.push(
        account.name,
        this.responses.executionReport(inst, order, fill, trade, {
          eventTime: this.deps.clock.nowMs(),
          executionId: ++this.executionId,
          clientOrderId: c,
          origClientOrderId: C,
          isMaker,
        }),
      );
    } catch (err) {
      this.counters.listenerErrors++;
      this.deps.log.error('sim order entry: order update failed', { symbol: order.symbol, orderId: order.orderId, err: (err as Error).message });
    }
  }

  /** Queues one outboundAccountPosition per account whose balances changed. */
  private finishBatch(): void {
    if (this.dirty.size === 0) return;
    const now = this.deps.clock.nowMs();
    for (const account of this.dirty) {
      const changed = account.balances.takeChanged();
      if (changed.length === 0) continue;
      this.counters.accountPositions++;
      this.streams.push(account.name, this.responses.outboundAccountPosition(account, changed, now));
    }
    this.dirty.clear();
  }
}
