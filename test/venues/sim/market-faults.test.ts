/** Every injected fault must be visible to a client over a real socket. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimExchange } from '../../../src/venues/sim/server/exchange.js';
import { SimFaults, FaultSpecError } from '../../../src/venues/sim/faults.js';
import { getJson, postJson, RecordingClient, sleep, startSim } from './market-helpers.js';

/** U/u pairs of the parseable depth diffs a client received. */
function diffs(c: RecordingClient): { U: number; u: number }[] {
  return c.messages().filter((m) => m.e === 'depthUpdate');
}

describe('stream faults', () => {
  let sim: SimExchange;
  before(async () => {
    sim = await startSim({ seed: 31, symbols: ['BTCUSDT'] });
  });
  after(() => sim.stop());

  async function subscribed(path = '/ws/btcusdt@depth'): Promise<RecordingClient> {
    const c = await RecordingClient.open(sim.wsUrl + path);
    sim.generator.step(5);
    await c.waitFor(() => c.frames.length >= 5, 3000, 'first diffs');
    return c;
  }

  test('gap: the next diff is swallowed, so U != prev u + 1', async () => {
    const c = await subscribed();
    const r = await postJson(`${sim.url}/sim/faults`, { kind: 'gap', stream: 'btcusdt@depth' });
    assert.equal(r.status, 200);
    sim.generator.step(10);
    await c.waitFor(() => diffs(c).length >= 12, 3000, 'diffs after gap');
    const d = diffs(c);
    const breaks = d.filter((e, i) => i > 0 && e.U !== d[i - 1]!.u + 1);
    assert.equal(breaks.length, 1);
    c.close();
  });

  test('duplicate: one diff arrives twice', async () => {
    const c = await subscribed();
    sim.faults.inject({ kind: 'duplicate', count: 2 });
    sim.generator.step(10);
    await c.waitFor(() => diffs(c).length >= 17, 3000, 'diffs');
    const d = diffs(c);
    assert.equal(d.filter((e, i) => i > 0 && e.u === d[i - 1]!.u).length, 2);
    c.close();
  });

  test('reorder: two diffs arrive swapped', async () => {
    const c = await subscribed();
    sim.faults.inject({ kind: 'reorder' });
    sim.generator.step(10);
    await c.waitFor(() => diffs(c).length >= 15, 3000, 'diffs');
    const d = diffs(c);
    const back = d.filter((e, i) => i > 0 && e.U < d[i - 1]!.U);
    assert.equal(back.length, 1);
    const sorted = [...d].sort((a, b) => a.U - b.U);
    for (let i = 1; i < sorted.length; i++) assert.equal(sorted[i]!.U, sorted[i - 1]!.u + 1, 'nothing lost, only swapped');
    c.close();
  });

  test('malformed and truncated frames do not parse; the data around them is intact', async () => {
    const c = await subscribed();
    const before = c.frames.length;
    sim.faults.inject({ kind: 'malformed' });
    sim.faults.inject({ kind: 'truncated' });
    sim.generator.step(6);
    await c.waitFor(() => c.frames.length >= before + 8, 3000, 'frames');
    const bad = c.frames.slice(before).filter((f) => {
      try {
        JSON.parse(f);
        return false;
      } catch {
        return true;
      }
    });
    assert.equal(bad.length, 2);
    const truncated = bad.find((f) => f.startsWith('{"e":"depthUpdate","E":1'));
    assert.ok(truncated && c.frames.some((f) => f !== truncated && f.startsWith(truncated)), 'a truncated copy of a real frame');
    const d = diffs(c);
    for (let i = 1; i < d.length; i++) assert.equal(d[i]!.U, d[i - 1]!.u + 1);
    c.close();
  });

  test('stall: the socket stays open but silent for the stall, then the held data arrives', async () => {
    const c = await subscribed();
    sim.faults.inject({ kind: 'stall', ms: 400 });
    const n = c.frames.length;
    const t0 = Date.now();
    sim.generator.step(10);
    await sleep(250);
    assert.equal(c.frames.length, n, 'nothing during the stall');
    assert.equal(c.closed, null);
    await c.waitFor(() => c.frames.length >= n + 10, 3000, 'held frames');
    assert.ok(Date.now() - t0 >= 380, 'released after the stall');
    const d = diffs(c);
    for (let i = 1; i < d.length; i++) assert.equal(d[i]!.U, d[i - 1]!.u + 1, 'stalled, not lost');
    c.close();
  });

  test('drop closes matching connections only, abruptly', async () => {
    const btc = await subscribed();
    const other = await RecordingClient.open(`${sim.wsUrl}/ws/btcusdt@trade`);
    sim.faults.inject({ kind: 'drop', stream: 'btcusdt@depth' });
    await btc.waitFor(() => btc.closed !== null, 3000, 'close');
    assert.equal(btc.closed!.code, 1006, 'no close frame');
    await sleep(50);
    assert.equal(other.closed, null);
    other.close();
  });

  test('serverShutdown: the event, then the close', async () => {
    const c = await subscribed('/stream?streams=btcusdt@depth');
    sim.faults.inject({ kind: 'serverShutdown', ms: 50 });
    await c.waitFor(() => c.closed !== null, 3000, 'close');
    assert.ok(c.messages().some((m) => m.stream === '!serverShutdown' && m.data.e === 'serverShutdown'));
  });
});

describe('HTTP faults', () => {
  let sim: SimExchange;
  before(async () => {
    sim = await startSim({ seed: 32, symbols: ['BTCUSDT'] });
  });
  after(() => sim.stop());

  test('429 with Retry-After, then normal service', async () => {
    await postJson(`${sim.url}/sim/faults`, { kind: 'http429', count: 2, retryAfterSec: 7, route: '/api/v3/depth' });
    const time = await getJson(`${sim.url}/api/v3/time`);
    assert.equal(time.status, 200, 'other routes unaffected');
    for (let i = 0; i < 2; i++) {
      const r = await getJson(`${sim.url}/api/v3/depth?symbol=BTCUSDT`);
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '7');
      assert.equal(r.body.code, -1003);
    }
    assert.equal((await getJson(`${sim.url}/api/v3/depth?symbol=BTCUSDT`)).status, 200);
  });

  test('418 ban for a window on every route, /sim/ excepted', async () => {
    sim.faults.inject({ kind: 'http418', ms: 300, retryAfterSec: 1 });
    const a = await getJson(`${sim.url}/api/v3/exchangeInfo`);
    assert.equal(a.status, 418);
    assert.equal(a.headers.get('retry-after'), '1');
    assert.match(a.body.msg, /banned until/);
    assert.equal((await getJson(`${sim.url}/sim/stats`)).status, 200);
    await sleep(320);
    assert.equal((await getJson(`${sim.url}/api/v3/exchangeInfo`)).status, 200);
  });

  test('failing and slow snapshots', async () => {
    sim.faults.inject({ kind: 'snapshotError' });
    assert.equal((await getJson(`${sim.url}/api/v3/depth?symbol=BTCUSDT`)).status, 500);
    sim.faults.inject({ kind: 'snapshotDelay', ms: 250, symbol: 'BTCUSDT' });
    const t0 = Date.now();
    const r = await getJson(`${sim.url}/api/v3/depth?symbol=BTCUSDT&limit=5`);
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t0 >= 240, 'answered late');
    assert.equal((await getJson(`${sim.url}/api/v3/time`)).status, 200);
  });

  test('bad fault specs are refused with 400 and a reason', async () => {
    for (const body of [{ kind: 'meteor' }, { kind: 'stall' }, { kind: 'gap', count: -1 }, { kind: 'gap', extra: 1 }, 'x']) {
      const r = await postJson(`${sim.url}/sim/faults`, body);
      assert.equal(r.status, 400, JSON.stringify(body));
    }
    const r = await fetch(`${sim.url}/sim/faults`, { method: 'POST', body: '{oops' });
    assert.equal(r.status, 400);
  });
});

test('order faults are armed for order entry and taken once each, by symbol', () => {
  let now = 1000;
  const f = new SimFaults(() => now);
  f.inject({ kind: 'orderReject', symbol: 'ETHUSDT' });
  f.inject({ kind: 'lostAck', count: 2 });
  f.inject({ kind: 'execBeforeAck' });
  assert.equal(f.take('orderReject', { symbol: 'BTCUSDT' }), undefined, 'symbol filter');
  const rej = f.take('orderReject', { symbol: 'ethusdt' });
  assert.equal(rej?.code, -2010);
  assert.equal(f.take('orderReject', { symbol: 'ETHUSDT' }), undefined, 'used up');
  assert.ok(f.take('lostAck', { symbol: 'BTCUSDT' }));
  assert.ok(f.take('lostAck'));
  assert.equal(f.take('lostAck'), undefined);
  assert.ok(f.take('execBeforeAck', { symbol: 'X' }));
  assert.deepEqual(f.stats().fired, { orderReject: 1, lostAck: 2, execBeforeAck: 1 });
  f.inject({ kind: 'http418', ms: 100 });
  assert.equal(f.takeHttpFault('/api/v3/order')?.status, 418);
  now += 100;
  assert.equal(f.takeHttpFault('/api/v3/order'), undefined, 'ban over');
  assert.throws(() => f.inject({ kind: 'nope' as never }), FaultSpecError);
});
