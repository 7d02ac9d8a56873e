import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventBuffer } from '../../src/core/schema/event-buffer.js';
import { writeRecord } from '../../src/core/schema/record-io.js';
import { EventType, ExecType, IdSentinel, OrderFlag, OrderState, Sentinel } from '../../src/core/schema/constants.js';
import { ExecReadStatus, readExecReport } from '../../src/oms/exec-report.js';
import { OrderEvent, OrderEventKind as K } from '../../src/oms/order.js';

const buf = new EventBuffer(new ArrayBuffer(256));
const assets = ['', 'USDT', 'BTC'];
const base = {
  type: EventType.EXEC_REPORT,
  execType: ExecType.TRADE,
  flags: OrderFlag.OURS | OrderFlag.FILL | OrderFlag.MAKER | OrderFlag.BUY,
  instrument: 1,
  status: OrderState.PARTIALLY_FILLED,
  clientOrderId: 4242n,
  venueOrderId: 77n,
  price: 6_000_000n,
  qty: 100n,
  cumQty: 40n,
  lastPx: 5_999_000n,
  lastQty: 40n,
  fee: 123n,
  feeAsset: 1,
  tradeId: 9n,
  recvTimeNs: 5_000n,
  clientOrderIdText: 'vz1a39u',
};

function read(values: object): [number, OrderEvent] {
  writeRecord(buf, 128, 'ExecReport', { ...base, ...values });
  const ev = new OrderEvent();
  return [readExecReport(buf, 128, ev, (id) => assets[id]!), ev];
}

describe('exec report → order event', () => {
  it('reads a fill', () => {
    const [seq, ev] = read({});
    assert.equal(seq, 4242);
    assert.deepEqual(
      [ev.kind, ev.timeNs, ev.tradeId, ev.lastQty, ev.lastPx, ev.cumQty, ev.fee, ev.feeAsset, ev.maker, ev.venueOrderId],
      [K.TRADE, 5000, 9n, 40n, 5_999_000n, 40n, 123n, 'USDT', true, 77n],
    );
  });

  it('maps exec types, including the cancel/amend reject and not-found conventions', () => {
    const cases: [number, number, number][] = [
      [ExecType.NEW, OrderState.NEW, K.ACK],
      [ExecType.CANCELED, OrderState.CANCELED, K.CANCELED],
      [ExecType.EXPIRED, OrderState.EXPIRED, K.EXPIRED],
      [ExecType.REPLACED, OrderState.NEW, K.REPLACED],
      [ExecType.REJECTED, OrderState.REJECTED, K.REJECTED],
      [ExecType.REJECTED, OrderState.PENDING_CANCEL, K.CANCEL_REJECTED],
      [ExecType.REJECTED, OrderState.PENDING_REPLACE, K.REPLACE_REJECTED],
      [ExecType.STATUS, OrderState.FILLED, K.STATUS],
      [ExecType.STATUS, OrderState.UNKNOWN, K.NOT_FOUND],
    ];
    for (const [execType, status, kind] of cases) {
      const [seq, ev] = read({ execType, status, flags: OrderFlag.OURS, tradeId: IdSentinel.TRADE_ID_UNDEF, lastPx: Sentinel.PRICE_UNDEF, lastQty: 0n });
      assert.equal(seq, 4242);
      assert.equal(ev.kind, kind, `exec type ${execType} status ${status}`);
      assert.equal(ev.tradeId, IdSentinel.TRADE_ID_UNDEF);
      assert.equal(ev.status, status);
    }
  });

  it('refuses reports that are not ours or have an unknown exec type', () => {
    assert.equal(read({ flags: OrderFlag.FILL })[0], ExecReadStatus.NOT_OURS);
    assert.equal(read({ execType: 99 })[0], ExecReadStatus.BAD_EXEC_TYPE);
  });
});
