import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { LatencyHistogram } from '../../src/core/metrics/histogram.js';
import { RawWsClient } from '../../bench/lib/raw-ws-client.js';
import { parsePromStrict, valueOf } from './prom-strict.js';
import { TOKEN, TestPushClient, startHarness, type Harness } from './harness.js';

const SEND_LIMIT = 64 * 1024;
const PAYLOAD_BYTES = 16 * 1024;
const MESSAGES = 600;
const KEY = 'sim:BTCUSDT';

function payload(seq: number): string {
  const head = `{"channel":"trades","seq":${seq},"pad":"`;
  return `${head}${'x'.repeat(PAYLOAD_BYTES - head.length - 2)}"}`;
}

const tick = () => new Promise<void>((r) => setImmediate(r));

/** Publishes `count` messages from `from`, letting the loop run between them; returns publish-call latencies. */
async function publishRun(h: Harness, from: number, count: number, fast: TestPushClient): Promise<{ publish: LatencyHistogram; flush: LatencyHistogram }> {
  const publish = new LatencyHistogram();
  const flush = new LatencyHistogram();
  const frames = Array.from({ length: count }, (_, i) => Buffer.from(payload(from + i)));
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    h.gw.publish('trades', KEY, frames[i]!);
    publish.record(Math.round((performance.now() - t0) * 1e6));
    // Fan-out timed on its own (normally the setImmediate after the publish does it).
    const t1 = performance.now();
    h.gw.hub.flush();
    flush.record(Math.round((performance.now() - t1) * 1e6));
    // Keep the fast client's reads flowing; bound the wait.
    // (its frames: the subscribe ack, then one per message)
    for (let spin = 0; spin < 200 && fast.frames.length < from + i + 2; spin++) await tick();
  }
  return { publish, flush };
}

async function subscribedSlowClient(port: number): Promise<RawWsClient> {
  const slow = await RawWsClient.connect(port, { headers: { Authorization: `Bearer ${TOKEN}` }, keepPayloads: true });
  slow.sendText(JSON.stringify({ op: 'subscribe', id: 1, channel: 'trades', venue: 'sim', symbol: 'BTCUSDT' }));
  for (let i = 0; i < 200 && !slow.texts.some((t) => t.includes('"subscribed"')); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(slow.texts.some((t) => t.includes('"subscribed"')), 'slow client subscribed');
  slow.pause();
  return slow;
}

test('a client that stops reading loses messages (counted) while a fast client gets every one and publish stays fast', async () => {
  const h = await startHarness({ push: { sendLimitBytes: SEND_LIMIT } });
  const fast = await TestPushClient.connect(h.gw.port);
  let slow: RawWsClient | null = null;
  try {
    fast.send({ op: 'subscribe', id: 1, channel: 'trades', venue: 'sim', symbol: 'BTCUSDT' });
    await fast.next((f) => f['id'] === 1);

    const alone = await publishRun(h, 0, MESSAGES, fast);
    slow = await subscribedSlowClient(h.gw.port);
    const withSlow = await publishRun(h, MESSAGES, MESSAGES, fast);
    await fast.next((f) => f['seq'] === 2 * MESSAGES - 1, 5000);

    // The fast client: everything, in order, up to the last message published.
    const seqs = fast.frames.filter((f) => f['seq'] !== undefined).map((f) => f['seq']);
    assert.equal(seqs.length, 2 * MESSAGES);
    seqs.forEach((s, i) => assert.equal(s, i));

    // The slow one: what did not fit under its send limit was dropped and counted.
    const stats = h.gw.hub.clientStats();
    const slowStats = stats.find((c) => c.dropped > 0);
    assert.ok(slowStats, `the slow client dropped messages: ${JSON.stringify(stats)}`);
    const fastStats = stats.find((c) => c !== slowStats)!;
    assert.equal(fastStats.dropped, 0);
    assert.equal(slowStats.sent + slowStats.dropped, MESSAGES, 'every message is either sent or counted as dropped');
    assert.ok(slowStats.dropped > MESSAGES / 10, `a meaningful share was dropped (${slowStats.dropped})`);
    assert.ok(
      slowStats.maxBufferedBytes <= SEND_LIMIT + PAYLOAD_BYTES + 64,
      `the server never held more than the limit plus one message for it (${slowStats.maxBufferedBytes} bytes)`,
    );
    const e = parsePromStrict(await h.exporter.metrics());
    assert.equal(valueOf(e, 'veloz_gateway_push_messages_dropped_total', { reason: 'backpressure' }), slowStats.dropped);
    assert.equal(h.gw.hub.totals.dropped, slowStats.dropped);

    const a = alone.publish.summary();
    const b = withSlow.publish.summary();
    const fa = alone.flush.summary();
    const fb = withSlow.flush.summary();
    const us = (ns: number) => (ns / 1000).toFixed(1);
    // publish() only stores the payload on its topic: a stuck client cannot make it slower.
    // Bounds are loose because a 2-core VM shared with other jobs is noisy.
    assert.ok(b.p50 <= 3 * a.p50 + 5_000, `publish p50 ${us(b.p50)} µs with the slow client vs ${us(a.p50)} µs without`);
    assert.ok(b.p99 <= 5 * a.p99 + 50_000, `publish p99 ${us(b.p99)} µs with the slow client vs ${us(a.p99)} µs without`);
    console.log(
      `# publish p50/p99 ${us(a.p50)}/${us(a.p99)} µs alone, ${us(b.p50)}/${us(b.p99)} µs with a stuck client; ` +
        `fan-out p50/p99 ${us(fa.p50)}/${us(fa.p99)} µs vs ${us(fb.p50)}/${us(fb.p99)} µs; slow client sent ${slowStats.sent}, dropped ${slowStats.dropped}`,
    );
  } finally {
    slow?.destroy();
    await fast.close();
    await h.close();
  }
});

test('a client over its drop budget is disconnected and counted; the others carry on', async () => {
  const h = await startHarness({ push: { sendLimitBytes: SEND_LIMIT, dropBudget: 5 } });
  const fast = await TestPushClient.connect(h.gw.port);
  let slow: RawWsClient | null = null;
  try {
    fast.send({ op: 'subscribe', id: 1, channel: 'trades', venue: 'sim', symbol: 'BTCUSDT' });
    await fast.next((f) => f['id'] === 1);
    slow = await subscribedSlowClient(h.gw.port);
    await publishRun(h, 0, MESSAGES, fast);
    await fast.next((f) => f['seq'] === MESSAGES - 1, 5000);
    assert.equal(h.gw.hub.totals.slowDisconnects, 1);
    assert.equal(h.gw.hub.totals.clients, 1);
    const e = parsePromStrict(await h.exporter.metrics());
    assert.equal(valueOf(e, 'veloz_gateway_push_disconnects_total', { reason: 'slow_consumer' }), 1);
    assert.equal(valueOf(e, 'veloz_gateway_push_clients'), 1);
    for (let i = 0; i < 100 && !slow.closed; i++) {
      slow.resume();
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(slow.closed, 'the server closed the slow socket');
  } finally {
    slow?.destroy();
    await fast.close();
    await h.close();
  }
});

test('books conflate for a slow client: once it reads again it gets the latest state, not the backlog', async () => {
  const h = await startHarness({ push: { sendLimitBytes: SEND_LIMIT, bookIntervalMs: 1000 } });
  let slow: RawWsClient | null = null;
  try {
    slow = await RawWsClient.connect(h.gw.port, { headers: { Authorization: `Bearer ${TOKEN}` }, keepPayloads: true });
    slow.sendText(JSON.stringify({ op: 'subscribe', id: 1, channel: 'book', venue: 'sim', symbol: 'BTCUSDT', depth: 1 }));
    for (let i = 0; i < 200 && slow.texts.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(slow.texts.length, 2, 'subscribed + snapshot');
    slow.pause();
    // Big book frames published straight into the topic, as the sampler would, until drops start.
    const pad = 'y'.repeat(32 * 1024);
    let seq = 0;
    while (h.gw.hub.totals.dropped < 20 && seq < 5000) {
      h.gw.publish('book', 'sim:BTCUSDT:1', `{"channel":"book","seq":${++seq},"pad":"${pad}"}`);
      h.gw.hub.flush();
      if (seq % 16 === 0) await tick();
    }
    assert.ok(h.gw.hub.totals.dropped >= 20, `drops started (${h.gw.hub.totals.dropped} after ${seq} frames)`);
    const lastSeq = seq;
    slow.resume();
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !slow.texts.some((t) => t.includes(`"seq":${lastSeq},`))) await new Promise((r) => setTimeout(r, 10));
    const seqs = slow.texts.map((t) => /"seq":(\d+)/.exec(t)?.[1]).filter((s) => s !== undefined).map(Number);
    assert.equal(seqs[seqs.length - 1], lastSeq, 'the latest state arrives after the backlog drains');
    assert.ok(seqs.length < lastSeq, `${seqs.length} frames received for ${lastSeq} published: older states were skipped`);
  } finally {
    slow?.destroy();
    await h.close();
  }
});
