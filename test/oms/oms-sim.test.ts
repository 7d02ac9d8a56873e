/**
 * The whole order path against the real sim over 127.0.0.1, with the oms on a real
 * worker thread: placed, filled, cancelled, refused by risk and by the venue, a lost ack
 * resolved by a status query (placed once), a fill that overtakes its ack.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { IntentAction, OrderState, RejectReason } from '../../src/core/schema/constants.js';
import type { OrderPath } from '../../src/oms/io/order-path.js';
import { ALICE, BOB, simOrders, startSim, until, type SimHandle } from '../venues/binance/exec-helpers.js';
import { drainUpdates, newStateDir, sendIntent, startPath, type Update } from './oms-sim-helpers.js';
import { BinanceExecAdapter } from '../../src/venues/binance/exec/index.js';
import { adapterOptions } from '../venues/binance/exec-helpers.js';

let h: SimHandle;
let path: OrderPath;
const updates: Update[] = [];

before(async () => {
  h = await startSim();
  path = await startPath({ simUrl: h.sim.url, simWsUrl: h.sim.wsUrl, account: ALICE, stateDir: newStateDir(), requestTimeoutMs: 400 });
  await path.ready();
});
after(async () => {
  await path.stop();
  await h.sim.stop();
});

const s = (): NonNullable<ReturnType<OrderPath['strategies']['get']>> => path.strategies.get(1)!;

async function waitUpdate(pred: (u: Update) => boolean, what: string): Promise<Update> {
  let found: Update | undefined;
  await until(() => {
    drainUpdates(s(), updates);
    found = updates.find(pred);
    return found !== undefined;
  }, what, 5000);
  return found!;
}

test('placed, then cancelled: the venue holds it once under a vz id; updates say NEW then CANCELED', async () => {
  assert.ok(sendIntent(s(), { side: 'BUY', price: 5_000_000n, qty: 1000n, strategyOrderId: 101 }));
  await waitUpdate((u) => u.strategyOrderId === 101 && u.state === OrderState.NEW, 'ack of 101');
  const mine = (await simOrders(h.sim)).filter((o) => o.clientOrderId.startsWith('vz11'));
  assert.equal(mine.length, 1);
  assert.equal(mine[0]!.status, 'NEW');
  assert.ok(sendIntent(s(), { action: IntentAction.CANCEL, side: 'BUY', price: 0n, qty: 0n, strategyOrderId: 101 }));
  await waitUpdate((u) => u.strategyOrderId === 101 && u.state === OrderState.CANCELED, 'cancel of 101');
  assert.equal((await simOrders(h.sim)).find((o) => o.clientOrderId === mine[0]!.clientOrderId)!.status, 'CANCELED');
});

test('filled against a resting order of another account: FILL updates up to FILLED', async () => {
  const bob = await BinanceExecAdapter.start(adapterOptions(h.sim, BOB));
  try {
    const r = await bob.place({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', clientOrderId: 'bob-ask-1', price: 6_000_000n, quantity: 2000n, timeInForce: 'GTC' });
    assert.equal(r.kind, 'ack');
    assert.ok(sendIntent(s(), { side: 'BUY', price: 6_000_000n, qty: 2000n, strategyOrderId: 102 }));
    const f = await waitUpdate((u) => u.strategyOrderId === 102 && u.state === OrderState.FILLED, 'fill of 102');
    assert.equal(f.filledQty, 2000n);
    assert.ok(updates.some((u) => u.strategyOrderId === 102 && (u.flags & 1) !== 0), 'a FILL update');
  } finally {
    await bob.stop();
  }
});

test('risk refuses an oversized order with MAX_QTY; nothing reaches the venue', async () => {
  const before = (await simOrders(h.sim)).length;
  assert.ok(sendIntent(s(), { side: 'BUY', price: 5_000_000n, qty: 500_000n, strategyOrderId: 103 }));
  const u = await waitUpdate((x) => x.strategyOrderId === 103, 'reject of 103');
  assert.deepEqual([u.state, u.reason], [OrderState.REJECTED, RejectReason.MAX_QTY]);
  assert.equal((await simOrders(h.sim)).length, before);
});

test('the venue refuses an order (injected): REJECTED with VENUE_REJECT', async () => {
  h.sim.faults.inject({ kind: 'orderReject' });
  assert.ok(sendIntent(s(), { side: 'BUY', price: 5_000_000n, qty: 1000n, strategyOrderId: 104 }));
  const u = await waitUpdate((x) => x.strategyOrderId === 104 && x.state === OrderState.REJECTED, 'venue reject of 104');
  assert.equal(u.reason, RejectReason.VENUE_REJECT);
});

test('a lost ack is resolved by a status query, never a resend: the venue holds the order once', async () => {
  const placed0 = path.io.counters.placeUnknown;
  const queries0 = path.io.counters.queries;
  h.sim.faults.inject({ kind: 'lostAck' });
  assert.ok(sendIntent(s(), { side: 'BUY', price: 5_000_100n, qty: 1000n, strategyOrderId: 105 }));
  await waitUpdate((x) => x.strategyOrderId === 105 && x.state === OrderState.NEW, 'resolution of 105');
  // The user-data NEW report may come first; the outcome turns UNKNOWN at the timeout and is queried.
  await until(() => path.io.counters.placeUnknown - placed0 === 1 && path.io.counters.queries > queries0, 'unknown outcome and its query', 5000);
  const at = (await simOrders(h.sim)).filter((o) => o.clientOrderId.startsWith('vz11') && o.price.startsWith('50001.'));
  assert.equal(at.length, 1);
});

test('a fill that overtakes its ack (execBeforeAck) still ends FILLED with the right quantity', async () => {
  const bob = await BinanceExecAdapter.start(adapterOptions(h.sim, BOB));
  try {
    await bob.place({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', clientOrderId: 'bob-ask-2', price: 6_000_000n, quantity: 1500n, timeInForce: 'GTC' });
    h.sim.faults.inject({ kind: 'execBeforeAck' });
    assert.ok(sendIntent(s(), { side: 'BUY', price: 6_000_000n, qty: 1500n, strategyOrderId: 106 }));
    const f = await waitUpdate((u) => u.strategyOrderId === 106 && u.state === OrderState.FILLED, 'fill of 106');
    assert.equal(f.filledQty, 1500n);
  } finally {
    await bob.stop();
  }
});
