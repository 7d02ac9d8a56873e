/** Connection rules (pings, pong deadline, lifetime, incoming rate) and flow determinism. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pregenerateDepthFrames } from '../../../src/venues/sim/market/replay.js';
import { SIM_CATALOG } from '../../../src/venues/sim/market/catalog.js';
import { postJson, RecordingClient, sleep, startSim } from './market-helpers.js';

test('the server pings; a client that pongs stays, one that does not is closed after the pong timeout', async () => {
  const sim = await startSim({ seed: 41, symbols: ['BTCUSDT'], pingIntervalMs: 60, pongTimeoutMs: 200 });
  try {
    const good = await RecordingClient.open(`${sim.wsUrl}/ws/btcusdt@depth`);
    const mute = await RecordingClient.open(`${sim.wsUrl}/ws/btcusdt@depth`, { autoPong: false });
    const t0 = Date.now();
    await mute.waitFor(() => mute.closed !== null, 3000, 'pong-timeout close');
    const waited = Date.now() - t0;
    assert.ok(waited >= 200, `closed only after the pong timeout (${waited} ms)`);
    assert.ok(mute.pings >= 1, 'it was pinged');
    assert.equal(mute.closed!.code, 1008);
    await good.waitFor(() => good.pings >= 4, 3000, 'several pings');
    assert.equal(good.closed, null, 'answering pongs keeps the connection');
    good.close();
  } finally {
    await sim.stop();
  }
});

test('connections are closed when their lifetime is reached', async () => {
  const sim = await startSim({ seed: 42, symbols: ['BTCUSDT'], connectionLifetimeMs: 250 });
  try {
    const t0 = Date.now();
    const c = await RecordingClient.open(`${sim.wsUrl}/ws/btcusdt@depth`);
    await c.waitFor(() => c.closed !== null, 3000, 'lifetime close');
    assert.ok(Date.now() - t0 >= 240);
    assert.equal(c.closed!.code, 1000);
    assert.match(c.closed!.reason, /lifetime/);
  } finally {
    await sim.stop();
  }
});

test('more incoming messages per second than allowed closes the connection', async () => {
  const sim = await startSim({ seed: 43, symbols: ['BTCUSDT'], maxIncomingPerSec: 5 });
  try {
    const c = await RecordingClient.open(`${sim.wsUrl}/ws`);
    for (let i = 0; i < 8; i++) c.send({ method: 'LIST_SUBSCRIPTIONS', id: i });
    await c.waitFor(() => c.closed !== null, 3000, 'rate-limit close');
    assert.equal(c.messages().filter((m) => Array.isArray(m.result)).length, 5);
  } finally {
    await sim.stop();
  }
});

test('determinism: the same seed gives the same first events over the wire; another seed does not', async () => {
  const runs: string[][] = [];
  for (const seed of [77, 77, 78]) {
    const sim = await startSim({ seed, symbols: ['BTCUSDT', 'XRPUSDT'] });
    try {
      const c = await RecordingClient.open(`${sim.wsUrl}/stream?streams=btcusdt@depth/xrpusdt@depth/btcusdt@trade`);
      await sleep(20);
      const r = await postJson(`${sim.url}/sim/flow`, { step: 150 });
      assert.equal(r.status, 200);
      await c.waitFor(() => c.messages().filter((m) => m.data.e === 'depthUpdate').length >= 300, 3000, 'events');
      // Event times differ between runs; everything else must not.
      runs.push(c.messages().slice(0, 300).map((m) => JSON.stringify({ ...m, data: { ...m.data, E: 0, T: 0 } })));
      c.close();
    } finally {
      await sim.stop();
    }
  }
  assert.deepEqual(runs[0], runs[1]);
  assert.notDeepEqual(runs[0], runs[2]);
});

test('pre-generated replay frames are deterministic too', () => {
  const symbols = [SIM_CATALOG.BTCUSDT!, SIM_CATALOG.DOGEUSDT!];
  const strip = (bs: Buffer[]): string[] => bs.map((b) => String(b).replace(/"E":\d+/, '"E":0'));
  const a = strip(pregenerateDepthFrames({ seed: 5, symbols, count: 500 }));
  const b = strip(pregenerateDepthFrames({ seed: 5, symbols, count: 500 }));
  assert.equal(a.length, 500);
  assert.deepEqual(a, b);
});

test('replay sends pre-built frames to every connection, in order', async () => {
  const sim = await startSim({ seed: 44, symbols: ['BTCUSDT'] });
  try {
    const c = await RecordingClient.open(`${sim.wsUrl}/ws/btcusdt@depth`);
    const frames = Array.from({ length: 20_000 }, (_, i) => Buffer.from(`{"n":${i}}`));
    const res = await sim.replay(frames, { repeat: 2 });
    assert.equal(res.sent, 40_000);
    await c.waitFor(() => c.frames.length >= 40_000, 10_000, 'replayed frames');
    assert.equal(JSON.parse(c.frames[19_999]!).n, 19_999);
    assert.equal(JSON.parse(c.frames[20_000]!).n, 0);
    const r = await postJson(`${sim.url}/sim/replay`, { generate: 1000 });
    assert.equal(r.status, 200);
    assert.equal(r.body.frames, 1000);
    await c.waitFor(() => c.frames.length >= 41_000, 5000, 'generated replay');
    assert.equal(JSON.parse(c.frames[40_500]!).e, 'depthUpdate');
    const denied = await postJson(`${sim.url}/sim/replay`, { file: '../etc/passwd' });
    assert.equal(denied.status, 403, 'file replay needs replayDir');
    c.close();
  } finally {
    await sim.stop();
  }
});
