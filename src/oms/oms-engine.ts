/**
 * The oms thread's logic without the thread: intents in (risk → journal → command out
 * once durable), exec reports in (journal → state machine → strategy updates), and the
 * recovery sequence after a restart. oms-worker.ts drives it from rings; tests can drive
 * it in-process over the same rings.
 *
 * Durability gate: every command waits in `pending` with the WAL seq that must be durable
 * before it may leave (a NEW's own seq is its client order id; a cancel waits for its
 * CANCEL_SENT record). `pump()` moves ready commands to the orders-out ring in order.
 *
 * Recovery phases: REPLAYING (WalReader → OrderManager, nothing sent) → RESOLVING (every
 * non-final order gets TIMEOUT and a status QUERY; waits until none is in doubt) →
 * RECONCILING (RECONCILE: the io thread lists open venue orders, then a RECONCILE_DONE
 * control record; an order one side has open and the other not freezes its strategy)
 * → LIVE. Intents are not read before LIVE, so no new order can go out earlier.
 */
import type { InstrumentRegistry } from '../core/instruments/registry.js';
import { ControlKind, EventType, ExecType, IntentAction, IntentFlag, OrderFlag, OrderState, RejectReason, SchemaLimits } from '../core/schema/constants.js';
import { EventBuffer } from '../core/schema/event-buffer.js';
import { CONTROL, EXEC_REPORT, ORDER_INTENT, ORDER_UPDATE } from '../core/schema/offsets.js';
import type { SpscProducer } from '../core/ring/spsc-producer.js';
import { RingStatus } from '../core/ring/status.js';
import { readIntent, RiskIntent } from '../risk/intent.js';
import type { WalWriter } from '../wal/wal-writer.js';
import type { WalRecordView } from '../wal/wal-reader.js';
import { decodeClientOrderId, strategyIdOfTag } from './client-order-id.js';
import { readExecReport } from './exec-report.js';
import { EXEC_PAYLOAD_BYTES, INTENT_PAYLOAD_BYTES, JournalType, SeqPayload } from './oms-journal.js';
import { Order, OrderEvent, OrderEventKind } from './order.js';
import { OrderCommandAction, ORDER_COMMAND_SLOT_BYTES, writeOrderCommand } from './order-command.js';
import { Effect } from './order-state-machine.js';
import { OrderManager, SubmitResult } from './order-manager.js';

export const OmsPhase = { REPLAYING: 0, RESOLVING: 1, RECONCILING: 2, LIVE: 3 } as const;
export type OmsPhase = (typeof OmsPhase)[keyof typeof OmsPhase];

/** ExecReport flag the io thread sets on STATUS reports that answer a RECONCILE. */
export const RECONCILE_REPORT_REASON = 0xfffe;

export interface OmsUpdateSink {
  producer: SpscProducer;
  buf: EventBuffer;
}

export interface OmsEngineOptions {
  manager: OrderManager;
  registry: InstrumentRegistry;
  wal: WalWriter;
  ordersOut: SpscProducer;
  /** Owning strategy id → its update ring. */
  updates: Map<number, OmsUpdateSink>;
  assetName: (id: number) => string;
  nowNs: () => number;
  /** Commands held back for durability or a full orders-out ring. Default 4096. */
  pendingCapacity?: number;
}

export class OmsCounters {
  intents = 0;
  rejected = 0;
  commandsSent = 0;
  reportsJournaled = 0;
  reportsNotOurs = 0;
  reportsBad = 0;
  updatesDropped = 0;
  queries = 0;
  mismatches = 0;
}

export interface ReconcileMismatch {
  kind: 'omsOpenVenueNot' | 'venueOpenOmsNot';
  strategyId: number;
  clientOrderId: string;
  seq: number;
}

export class OmsEngine {
  phase: OmsPhase = OmsPhase.REPLAYING;
  readonly counters = new OmsCounters();
  readonly manager: OrderManager;
  /** Strategies halted by a failed reconciliation: their NEW intents are refused. */
  readonly frozen = new Set<number>();
  readonly mismatches: ReconcileMismatch[] = [];
  private readonly wal: WalWriter;
  private readonly registry: InstrumentRegistry;
  private readonly out: SpscProducer;
  private readonly outBuf: EventBuffer;
  private readonly updates: Map<number, OmsUpdateSink>;
  private readonly assetName: (id: number) => string;
  private readonly now: () => number;
  private readonly intent = new RiskIntent();
  private readonly result = new SubmitResult();
  private readonly ev = new OrderEvent();
  private readonly seqPayload = new SeqPayload();
  /** Two cache lines (EventBuffer's alignment rule); the journaled payload is the first 72 bytes. */
  private readonly intentScratchBuf = new EventBuffer(new ArrayBuffer(128));
  private readonly intentScratch = new Uint8Array(this.intentScratchBuf.u8.buffer, 0, INTENT_PAYLOAD_BYTES + 8);
  private readonly execScratch = new Uint8Array(EXEC_PAYLOAD_BYTES);
  private readonly execScratchBuf = new EventBuffer(this.execScratch.buffer);
  private readonly pendingBuf: EventBuffer;
  private readonly pendingGate: Float64Array;
  private readonly pendingCap: number;
  private pendingHead = 0;
  private pendingCount = 0;
  private readonly awaiting = new Set<number>();
  private readonly reconcileSeen = new Set<number>();

  constructor(o: OmsEngineOptions) {
    this.manager = o.manager;
    this.registry = o.registry;
    this.wal = o.wal;
    this.out = o.ordersOut;
    this.outBuf = new EventBuffer(o.ordersOut.view.buffer as SharedArrayBuffer);
    this.updates = o.updates;
    this.assetName = o.assetName;
    this.now = o.nowNs;
    this.pendingCap = o.pendingCapacity ?? Math.max(4096, 2 * o.manager.risk.index.capacity + 64);
    this.pendingBuf = new EventBuffer(new ArrayBuffer(this.pendingCap * ORDER_COMMAND_SLOT_BYTES));
    this.pendingGate = new Float64Array(this.pendingCap);
  }

  /** Room for the commands one intent can cause (a NEW, or a kill switch's cancels). */
  canTakeIntent(): boolean {
    return this.phase === OmsPhase.LIVE && this.pendingCount + 1 + this.manager.risk.index.capacity < this.pendingCap;
  }

  get pending(): number {
    return this.pendingCount;
  }

  // ---- replay ------------------------------------------------------------------------

  /** Applies one journaled record (start-up replay). */
  replayRecord(r: WalRecordView): void {
    const p = r.payload;
    switch (r.type) {
      case JournalType.ORDER_NEW: {
        this.intentScratch.set(p.subarray(0, INTENT_PAYLOAD_BYTES + 8));
        readIntent(this.intentScratchBuf, 0, this.intent);
        this.manager.restoreNew(this.intent, r.seq, this.intentScratchBuf.getI64Number(INTENT_PAYLOAD_BYTES));
        return;
      }
      case JournalType.CANCEL_SENT:
        this.manager.onEvent(SeqPayload.read(p), this.ev.reset(OrderEventKind.CANCEL_SENT, this.ev.timeNs));
        return;
      case JournalType.TIMEOUT:
        this.manager.onEvent(SeqPayload.read(p), this.ev.reset(OrderEventKind.TIMEOUT, this.ev.timeNs));
        return;
      case JournalType.EXEC_REPORT: {
        this.execScratch.set(p.subarray(0, EXEC_PAYLOAD_BYTES));
        const seq = readExecReport(this.execScratchBuf, 0, this.ev, this.assetName);
        if (seq >= 1) this.manager.onEvent(seq, this.ev);
        return;
      }
      default:
        throw new RangeError(`oms journal: unknown record type ${r.type} at seq ${r.seq}`);
    }
  }

  /** After replay: every non-final order is in doubt until the venue answers a query. */
  startRecovery(): void {
    const now = this.now();
    for (const o of this.manager.orders.values()) {
      if (o.isFinal) continue;
      this.journalSeq(JournalType.TIMEOUT, o.seq);
      this.manager.onEvent(o.seq, this.ev.reset(OrderEventKind.TIMEOUT, now));
      this.awaiting.add(o.seq);
      this.enqueue(OrderCommandAction.QUERY, o, 0);
    }
    this.phase = OmsPhase.RESOLVING;
    this.advanceRecovery();
  }

  private advanceRecovery(): void {
    if (this.phase === OmsPhase.RESOLVING) {
      for (const seq of this.awaiting) {
        const o = this.manager.orders.get(seq);
        if (o === undefined || o.isFinal || !o.inDoubt) this.awaiting.delete(seq);
      }
      if (this.awaiting.size > 0) return;
      this.phase = OmsPhase.RECONCILING;
      this.reconcileSeen.clear();
      this.enqueueRaw(OrderCommandAction.RECONCILE, 0, 0, 0, 0, 0, 0, 0n, 0n, 0);
    }
  }

  private finishReconcile(): void {
    for (const o of this.manager.orders.values()) {
      if (o.isFinal || this.reconcileSeen.has(o.seq)) continue;
      this.mismatch('omsOpenVenueNot', o.strategyId, o.seq, '');
    }
    this.phase = OmsPhase.LIVE;
  }

  private mismatch(kind: ReconcileMismatch['kind'], strategyId: number, seq: number, text: string): void {
    this.counters.mismatches++;
    this.mismatches.push({ kind, strategyId, seq, clientOrderId: text });
    if (strategyId > 0) this.frozen.add(strategyId);
  }

  // ---- live input --------------------------------------------------------------------

  /** One ORDER_INTENT slot from a strategy ring. Returns the RejectReason (NONE if accepted). */
  onIntent(buf: EventBuffer, at: number): number {
    this.counters.intents++;
    const it = readIntent(buf, at, this.intent);
    const now = this.now();
    let reason: number;
    if (it.action === IntentAction.AMEND) {
      // The venue path has no amend yet (Binance spot would need cancelReplace).
      reason = RejectReason.INVALID_INTENT;
      this.manager.risk.counters[reason]!++;
    } else if (this.frozen.has(it.strategyId) && it.action === IntentAction.NEW) {
      reason = RejectReason.KILL_SWITCH;
      this.manager.risk.counters[reason]!++;
    } else {
      const seq = this.wal.nextSeq;
      const res = this.result;
      reason = this.manager.submit(it, seq, now, res);
      if (reason === RejectReason.NONE && res.send && res.order !== null) {
        if (it.action === IntentAction.NEW) {
          buf.copySlot(at, 0, INTENT_PAYLOAD_BYTES, this.intentScratchBuf);
          this.intentScratchBuf.setI64Number(INTENT_PAYLOAD_BYTES, now);
          const got = this.wal.append(JournalType.ORDER_NEW, this.intentScratch);
          if (got !== seq) throw new Error(`oms: WAL seq ${got} differs from the order seq ${seq}`);
          this.enqueue(OrderCommandAction.NEW, res.order, seq);
        } else if (it.action === IntentAction.CANCEL) {
          this.enqueue(OrderCommandAction.CANCEL, res.order, this.journalSeq(JournalType.CANCEL_SENT, res.order.seq));
        }
      }
      this.flushCancels();
    }
    if (reason !== RejectReason.NONE) {
      this.counters.rejected++;
      this.rejectToStrategy(it, reason);
    }
    return reason;
  }

  /** One record from the exec-in ring (ExecReport, or the RECONCILE_DONE control record). */
  onExecRecord(buf: EventBuffer, at: number): void {
    const type = buf.getU8(at);
    if (type === EventType.CONTROL) {
      if (buf.getU8(at + CONTROL.kind) === ControlKind.ACK && this.phase === OmsPhase.RECONCILING) this.finishReconcile();
      return;
    }
    if (type !== EventType.EXEC_REPORT) {
      this.counters.reportsBad++;
      return;
    }
    const reconcile = buf.getU16(at + EXEC_REPORT.reason) === RECONCILE_REPORT_REASON;
    if (reconcile) buf.setU16(at + EXEC_REPORT.reason, 0);
    buf.copySlot(at, 0, EXEC_PAYLOAD_BYTES, this.execScratchBuf);
    this.wal.append(JournalType.EXEC_REPORT, this.execScratch);
    this.counters.reportsJournaled++;
    const seq = readExecReport(buf, at, this.ev, this.assetName);
    if (seq < 1) {
      if (reconcile && this.phase === OmsPhase.RECONCILING) {
        // Open at the venue under an id that is not ours as numbers: ours by prefix means a lost order.
        const text = buf.getAscii(at + EXEC_REPORT.clientOrderIdText, SchemaLimits.CLIENT_ORDER_ID_TEXT_BYTES);
        const d = decodeClientOrderId(text);
        if (d !== null) this.mismatch('venueOpenOmsNot', strategyIdOfTag(d.tag), Number(d.seq), text);
      }
      this.counters.reportsNotOurs++;
      return;
    }
    const o = this.manager.orders.get(seq);
    if (reconcile && this.phase === OmsPhase.RECONCILING) {
      this.reconcileSeen.add(seq);
      if (o === undefined) {
        const text = buf.getAscii(at + EXEC_REPORT.clientOrderIdText, SchemaLimits.CLIENT_ORDER_ID_TEXT_BYTES);
        const d = decodeClientOrderId(text);
        this.mismatch('venueOpenOmsNot', d === null ? 0 : strategyIdOfTag(d.tag), seq, text);
        return;
      }
    }
    const eff = this.manager.onEvent(seq, this.ev);
    if (o === undefined) return;
    if ((eff & Effect.QUERY) !== 0) this.enqueue(OrderCommandAction.QUERY, o, 0);
    if ((eff & Effect.UPDATE) !== 0) this.updateToStrategy(o, eff);
    this.flushCancels();
    if (this.phase === OmsPhase.RESOLVING) this.advanceRecovery();
  }

  /** Kill switch by command: every open order gets a cancel. */
  tripKillSwitch(): void {
    this.manager.tripKillSwitch(1 as never, this.now());
    this.flushCancels();
  }

  private flushCancels(): void {
    const cancels = this.manager.takeCancels();
    if (cancels === null) return;
    for (const c of cancels) {
      const o = this.manager.orders.get(c.seq);
      if (o !== undefined) this.enqueue(OrderCommandAction.CANCEL, o, this.journalSeq(JournalType.CANCEL_SENT, c.seq));
    }
  }

  private journalSeq(type: number, seq: number): number {
    return this.wal.append(type, this.seqPayload.of(seq));
  }

  // ---- output ------------------------------------------------------------------------

  private enqueue(action: number, o: Order, gate: number): void {
    if (action === OrderCommandAction.QUERY) this.counters.queries++;
    this.enqueueRaw(action, o.seq, o.strategyId, o.instrument, o.flags & IntentFlag.SIDE_MASK, o.orderType, o.tif, o.price, o.qty, gate);
  }

  private enqueueRaw(action: number, seq: number, strategyId: number, instrument: number, flags: number, orderType: number, tif: number, price: bigint, qty: bigint, gate: number): void {
    if (this.pendingCount >= this.pendingCap) throw new RangeError(`oms: ${this.pendingCap} commands pending (orders-out ring stalled?)`);
    const i = (this.pendingHead + this.pendingCount) % this.pendingCap;
    this.pendingCount++;
    this.pendingGate[i] = gate;
    writeOrderCommand(this.pendingBuf, i * ORDER_COMMAND_SLOT_BYTES, action, seq, strategyId, instrument, flags, orderType, tif, price, qty);
  }

  /** Moves the commands whose journal records are durable to orders-out, in order. Returns how many. */
  pump(): number {
    let n = 0;
    const durable = this.wal.durableSeq;
    while (this.pendingCount > 0) {
      const i = this.pendingHead;
      if (this.pendingGate[i]! > durable) break;
      const at = this.out.tryClaim();
      if (at < 0) break;
      this.pendingBuf.copySlot(i * ORDER_COMMAND_SLOT_BYTES, at, ORDER_COMMAND_SLOT_BYTES, this.outBuf);
      this.out.commit();
      this.pendingHead = (i + 1) % this.pendingCap;
      this.pendingCount--;
      n++;
    }
    this.counters.commandsSent += n;
    return n;
  }

  private sink(strategyId: number): OmsUpdateSink | undefined {
    return this.updates.get(strategyId);
  }

  private rejectToStrategy(it: RiskIntent, reason: number): void {
    const s = this.sink(it.strategyId);
    const at = s === undefined ? -1 : s.producer.tryClaim();
    if (s === undefined || at < 0) {
      this.counters.updatesDropped++;
      return;
    }
    const b = s.buf;
    b.clear(at, 64);
    b.setU8(at + ORDER_UPDATE.type, EventType.ORDER_UPDATE);
    b.setU8(at + ORDER_UPDATE.state, OrderState.REJECTED);
    b.setU16(at + ORDER_UPDATE.flags, OrderFlag.FINAL | (it.flags & IntentFlag.SIDE_MASK));
    b.setU32(at + ORDER_UPDATE.instrument, it.instrument);
    b.setU32(at + ORDER_UPDATE.strategyId, it.strategyId);
    b.setU16(at + ORDER_UPDATE.reason, reason);
    b.setI64Number(at + ORDER_UPDATE.clientOrderId, it.strategyOrderId);
    b.setI64Number(at + ORDER_UPDATE.filledQty, 0);
    b.setI64Number(at + ORDER_UPDATE.leavesQty, 0);
    b.setUndef(at + ORDER_UPDATE.lastPx);
    s.producer.commit();
  }

  private updateToStrategy(o: Order, eff: number): void {
    const s = this.sink(o.strategyId);
    const at = s === undefined ? -1 : s.producer.tryClaim();
    if (s === undefined || at < 0) {
      this.counters.updatesDropped++;
      return;
    }
    const b = s.buf;
    const r = this.manager.result;
    const fill = (eff & Effect.FILL) !== 0;
    b.clear(at, 64);
    b.setU8(at + ORDER_UPDATE.type, EventType.ORDER_UPDATE);
    b.setU8(at + ORDER_UPDATE.state, o.state);
    b.setU16(at + ORDER_UPDATE.flags, (o.flags & IntentFlag.SIDE_MASK) | (fill ? OrderFlag.FILL : 0) | (o.isFinal ? OrderFlag.FINAL : 0) | (fill && r.maker ? OrderFlag.MAKER : 0));
    b.setU32(at + ORDER_UPDATE.instrument, o.instrument);
    b.setU32(at + ORDER_UPDATE.strategyId, o.strategyId);
    b.setU16(at + ORDER_UPDATE.reason, o.reason);
    b.setI64Number(at + ORDER_UPDATE.clientOrderId, o.strategyOrderId);
    b.setI64(at + ORDER_UPDATE.filledQty, o.cumQty);
    b.setI64(at + ORDER_UPDATE.leavesQty, o.leavesQty);
    if (fill) {
      b.setI64(at + ORDER_UPDATE.lastPx, r.fillPx);
      b.setI64(at + ORDER_UPDATE.lastQty, r.fillQty);
      b.setI64(at + ORDER_UPDATE.fee, r.fee);
    } else {
      b.setUndef(at + ORDER_UPDATE.lastPx);
    }
    s.producer.commit();
  }

  /** Orders and positions as plain data (tests, diagnostics, the crash harness). */
  snapshot(): { phase: number; frozen: number[]; mismatches: ReconcileMismatch[]; orders: Array<Record<string, string | number | boolean>>; positions: Array<Record<string, string | number>> } {
    const orders = [...this.manager.orders.values()].map((o) => ({
      seq: o.seq,
      strategyId: o.strategyId,
      strategyOrderId: o.strategyOrderId,
      instrument: o.instrument,
      side: o.side,
      state: o.state,
      qty: String(o.qty),
      price: String(o.price),
      cumQty: String(o.cumQty),
      venueCumQty: String(o.venueCumQty),
      inDoubt: o.inDoubt,
    }));
    const positions = [...this.manager.positions.all()].map((p) => ({ strategyId: p.strategyId, instrument: p.instrument.id, qty: String(p.qty), bought: String(p.bought), sold: String(p.sold) }));
    return { phase: this.phase, frozen: [...this.frozen], mismatches: this.mismatches, orders, positions };
  }
}

export { RingStatus };
