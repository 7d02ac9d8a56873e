import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { SharedBookReader } from '../../src/book/index.js';
import { MetricsRegistry, PrometheusExporter, engineMetricDefinitions } from '../../src/core/metrics/index.js';
import { MapBookDirectory, startGateway } from '../../src/gateway/index.js';
import { RawWsClient } from '../../bench/lib/raw-ws-client.js';
import { parsePromStrict, valueOf } from './prom-strict.js';
import { TOKEN, TOPOLOGY, TestPushClient, startHarness } from './harness.js';

const WRITER = new URL('./fixtures/book-writer.worker.js', import.meta.url);

/** A book writer on its own thread, as the book worker would be. */
async function bookThread(): Promise<{ worker: Worker; buffer: SharedArrayBuffer; burst(from: number, count: number, everyMs: number): Promise<number> }> {
  const worker = new Worker(WRITER);
  const { buffer } = await new Promise<{ buffer: SharedArrayBuffer }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    worker,
    buffer,
    burst: (from, count, everyMs) =>
      new Promise((resolve, reject) => {
        worker.once('message', (m: { done: number }) => resolve(m.done));
        worker.once('error', reject);
        worker.postMessage({ burst: true, from, count, everyMs });
      }),
  };
}

async function gatewayOver(buffer: SharedArrayBuffer, bookIntervalMs: number) {
  const registry = MetricsRegistry.create(engineMetricDefinitions(TOPOLOGY));
  const exporter = new PrometheusExporter(registry, { sampleIntervalMs: 0, defaultMetrics: false });
  const books = new MapBookDirectory([{ venue: 'sim', symbol: 'BTCUSDT', reader: new SharedBookReader(buffer), priceScale: 2, qtyScale: 3 }]);
  const gw = await startGateway({
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    metrics: { registry, exporter },
    ready: () => ({ ready: true, reasons: [] }),
    books,
    push: { bookIntervalMs },
  });
  return { gw, exporter, close: async () => (await gw.stop(), exporter.close()) };
}

type Frame = Record<string, unknown>;
const isBook = (f: Frame) => f['channel'] === 'book';

test('push: books written by another thread reach a subscriber, consistent and conflated; unsubscribe stops them', async () => {
  const book = await bookThread();
  await book.burst(1, 1, 0);
  const g = await gatewayOver(book.buffer, 10);
  const client = await TestPushClient.connect(g.gw.port);
  try {
    client.send({ op: 'subscribe', id: 1, channel: 'book', venue: 'sim', symbol: 'btcusdt', depth: 3 });
    const ack = await client.next((f) => f['id'] === 1);
    assert.deepEqual(ack, { op: 'subscribed', id: 1, sub: 'book:sim:BTCUSDT:3' });
    const snapshot = await client.next(isBook);
    assert.equal(snapshot['lastUpdateId'], 1, 'the current state arrives right after subscribing');

    const last = await book.burst(2, 400, 1);
    const final = await client.next((f) => isBook(f) && f['lastUpdateId'] === last);
    assert.equal(final['sub'], 'book:sim:BTCUSDT:3');

    const frames = client.frames.filter(isBook);
    let prev = 0;
    for (const f of frames) {
      const id = f['lastUpdateId'] as number;
      assert.ok(id > prev, `updates arrive in order (${prev} then ${id})`);
      prev = id;
      const bids = f['bids'] as Array<[string, string]>;
      const asks = f['asks'] as Array<[string, string]>;
      // A torn copy would mix two batches: here every level written by batch i has qty i.
      const qty = (id / 1000).toFixed(3);
      assert.equal(bids[0]![1], qty, `bid qty of update ${id}`);
      assert.equal(asks[0]![1], qty, `ask qty of update ${id}`);
      assert.ok(bids.length <= 3 && asks.length <= 3);
      assert.ok(Number(bids[0]![0]) < Number(asks[0]![0]), 'never crossed');
      for (let i = 1; i < bids.length; i++) assert.ok(Number(bids[i]![0]) < Number(bids[i - 1]![0]), 'bids best first');
    }
    // ~400 updates over ≥ 400 ms sampled every 10 ms: far fewer frames than updates.
    assert.ok(frames.length < 200, `conflated: ${frames.length} frames for 400 updates`);
    assert.ok(frames.length >= 5, `but it kept pushing: ${frames.length} frames`);

    client.send({ op: 'unsubscribe', id: 2, sub: 'book:sim:BTCUSDT:3' });
    await client.next((f) => f['id'] === 2 && f['op'] === 'unsubscribed');
    const count = client.frames.filter(isBook).length;
    await book.burst(1000, 30, 1);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(client.frames.filter(isBook).length, count, 'no book frames after unsubscribe');
    assert.equal(g.gw.hub.totals.subscriptions, 0);
  } finally {
    await client.close();
    await g.close();
    await book.worker.terminate();
  }
});

test('push: protocol errors are answered with codes and request ids; bad tokens are refused at upgrade', async () => {
  const h = await startHarness();
  const c = await TestPushClient.connect(h.gw.port);
  try {
    const cases: Array<[Record<string, unknown> | string, string]> = [
      [{ op: 'subscribe', id: 10, channel: 'book', venue: 'sim', symbol: 'ETHUSDT' }, 'UNKNOWN_BOOK'],
      [{ op: 'subscribe', id: 11, channel: 'book', venue: 'sim', symbol: 'BTCUSDT', depth: 0 }, 'BAD_REQUEST'],
      [{ op: 'subscribe', id: 12, channel: 'candles' }, 'UNKNOWN_CHANNEL'],
      [{ op: 'subscribe', id: 13, channel: 'trades', venue: 'sim' }, 'BAD_REQUEST'],
      [{ op: 'subscribe', id: 14, channel: 'orders', symbol: 'BTCUSDT' }, 'BAD_REQUEST'],
      [{ op: 'unsubscribe', id: 15, sub: 'book:sim:BTCUSDT:10' }, 'NOT_SUBSCRIBED'],
      [{ op: 'dance', id: 16 }, 'UNKNOWN_OP'],
      [{ op: 'ping', id: 17, extra: 1 }, 'BAD_REQUEST'],
    ];
    for (const [msg, code] of cases) {
      const id = (msg as Record<string, unknown>)['id'];
      c.send(msg as Record<string, unknown>);
      const reply = await c.next((f) => f['id'] === id);
      assert.equal(reply['op'], 'error', JSON.stringify(msg));
      assert.equal((reply['error'] as { code: string }).code, code, JSON.stringify(msg));
    }
    c.ws.send('{not json');
    const badJson = await c.next((f) => (f['error'] as { code?: string } | undefined)?.code === 'BAD_JSON');
    assert.equal(badJson['id'], null);
    c.send({ op: 'ping', id: 'p1' });
    assert.deepEqual(await c.next((f) => f['id'] === 'p1'), { op: 'pong', id: 'p1' });

    const e = parsePromStrict(await h.exporter.metrics());
    assert.equal(valueOf(e, 'veloz_gateway_push_protocol_errors_total'), cases.length + 1);

    await assert.rejects(TestPushClient.connect(h.gw.port, null), /401/);
    await assert.rejects(TestPushClient.connect(h.gw.port, 'wrong'), /401/);
    const viaQuery = await RawWsClient.connect(h.gw.port, { path: `/ws?token=${TOKEN}` });
    viaQuery.destroy();
    await assert.rejects(RawWsClient.connect(h.gw.port, { path: '/ws?token=nope' }), /401/);
  } finally {
    await c.close();
    await h.close();
  }
});

test('push: queueing channels deliver every message in order; publish to an unwatched key is a no-op; metrics count clients and sends', async () => {
  const h = await startHarness();
  const a = await TestPushClient.connect(h.gw.port);
  const b = await TestPushClient.connect(h.gw.port);
  try {
    a.send({ op: 'subscribe', id: 1, channel: 'trades', venue: 'sim', symbol: 'BTCUSDT' });
    b.send({ op: 'subscribe', id: 1, channel: 'orders' });
    assert.equal((await a.next((f) => f['id'] === 1))['sub'], 'trades:sim:BTCUSDT');
    assert.equal((await b.next((f) => f['id'] === 1))['sub'], 'orders:all');
    assert.equal(h.gw.publish('trades', 'sim:ETHUSDT', '{"x":1}'), false);
    for (let i = 0; i < 50; i++) assert.equal(h.gw.publish('trades', 'sim:BTCUSDT', `{"channel":"trades","n":${i}}`), true);
    h.gw.publish('orders', 'all', '{"channel":"orders","state":"new"}');
    await a.next((f) => f['n'] === 49);
    await b.next((f) => f['state'] === 'new');
    assert.deepEqual(
      a.frames.filter((f) => f['channel'] === 'trades').map((f) => f['n']),
      Array.from({ length: 50 }, (_, i) => i),
    );
    const e = parsePromStrict(await h.exporter.metrics());
    assert.equal(valueOf(e, 'veloz_gateway_push_clients'), 2);
    assert.equal(valueOf(e, 'veloz_gateway_push_subscriptions'), 2);
    assert.equal(valueOf(e, 'veloz_gateway_push_messages_sent_total', { channel: 'trades' }), 50);
    assert.equal(valueOf(e, 'veloz_gateway_push_messages_sent_total', { channel: 'orders' }), 1);
    await a.close();
    await new Promise((r) => setTimeout(r, 30));
    const after = parsePromStrict(await h.exporter.metrics());
    assert.equal(valueOf(after, 'veloz_gateway_push_clients'), 1);
    assert.equal(valueOf(after, 'veloz_gateway_push_disconnects_total', { reason: 'client' }), 1);
    assert.equal(h.gw.hasSubscribers('trades', 'sim:BTCUSDT'), false);
  } finally {
    await a.close();
    await b.close();
    await h.close();
  }
});

test('push: fan-out to many clients runs in slices that yield to the event loop, and loses nothing', async () => {
  const h = await startHarness({ push: { sliceBudgetUs: 200 } });
  const clients: RawWsClient[] = [];
  try {
    for (let i = 0; i < 300; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, () => RawWsClient.connect(h.gw.port, { headers: { Authorization: `Bearer ${TOKEN}` }, keepPayloads: true })),
      );
      for (const c of batch) c.sendText(JSON.stringify({ op: 'subscribe', id: 1, channel: 'trades', venue: 'sim', symbol: 'BTCUSDT' }));
      clients.push(...batch);
    }
    for (let i = 0; i < 400 && h.gw.hub.totals.subscriptions < 300; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(h.gw.hub.totals.subscriptions, 300);
    // Timers keep firing while the fan-out runs: it yields between slices.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    for (let n = 0; n < 30; n++) {
      h.gw.publish('trades', 'sim:BTCUSDT', `{"channel":"trades","n":${n}}`);
      if (n % 3 === 0) await new Promise((r) => setImmediate(r));
    }
    const deadline = Date.now() + 10_000;
    const got = () => clients.filter((c) => c.texts.some((t) => t.includes('"n":29'))).length;
    while (got() < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    clearInterval(ticker);
    assert.equal(got(), 300, 'every client got the last message');
    for (const c of clients) {
      const ns = c.texts.map((t) => /"n":(\d+)/.exec(t)?.[1]).filter((x) => x !== undefined).map(Number);
      assert.deepEqual(ns, Array.from({ length: 30 }, (_, i) => i), 'all messages, in order');
    }
    const t = h.gw.hub.totals;
    assert.ok(t.slices > t.flushes, `a cycle took several slices (${t.slices} slices, ${t.flushes} cycles)`);
    assert.ok(ticks > 0, 'the event loop ran timers meanwhile');
  } finally {
    for (const c of clients) c.destroy();
    await h.close();
  }
});
