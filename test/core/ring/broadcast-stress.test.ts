/**
 * Broadcast stress: a producer and three consumers, each in its own worker. Two fast
 * consumers must see every record; a deliberately slow one must be lapped, told so,
 * resync, and never be handed a torn or out-of-order record.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BroadcastRing } from '../../../src/core/ring/index.js';
import type { BroadcastPeerConfig, BroadcastPeerResult } from './fixtures/broadcast-peer.js';
import { startWorker } from './fixtures/workers.js';

const PEER = new URL('./fixtures/broadcast-peer.js', import.meta.url);
const DEADLINE_MS = 25_000;

interface Run {
  name: string;
  seed: number;
  count: number;
  capacity: number;
  slotBytes: number;
  maxBatch: number;
  initialPosition?: number;
  /** The ring is small and the slow handler slow enough that slots are reclaimed mid-batch. */
  expectTorn?: boolean;
}

async function stress(run: Run): Promise<void> {
  const ring = BroadcastRing.create({ capacity: run.capacity, slotBytes: run.slotBytes, consumers: 3, initialPosition: run.initialPosition ?? 0 });
  const base = { buffer: ring.buffer, seed: run.seed, count: run.count, maxBatch: run.maxBatch, deadlineMs: DEADLINE_MS };
  const consumers = [
    { index: 0, slow: false, wait: { strategy: 'block' as const, parkTimeoutMs: DEADLINE_MS * 2 } },
    { index: 1, slow: false, wait: { strategy: 'backoff' as const } },
    { index: 2, slow: true },
  ].map((c) => startWorker<BroadcastPeerResult>(PEER, { ...base, role: 'consumer', ...c } satisfies BroadcastPeerConfig, DEADLINE_MS + 5000));
  await Promise.all(consumers.map((c) => c.signal('subscribed')));
  const producer = startWorker<BroadcastPeerResult>(
    PEER,
    { ...base, role: 'producer', paceOn: [0, 1], maxLag: run.capacity / 2 } satisfies BroadcastPeerConfig,
    DEADLINE_MS + 5000,
  );
  const p = await producer.result;
  assert.ok(p.ok, `producer: ${p.error}`);
  ring.close();
  const [fast0, fast1, slow] = await Promise.all(consumers.map((c) => c.result));
  for (const c of [fast0!, fast1!, slow!]) assert.ok(c.ok, `consumer ${c.index}: ${c.error}`);
  for (const c of [fast0!, fast1!]) {
    assert.equal(c.records, run.count, `fast consumer ${c.index} saw every record`);
    assert.equal(c.lapped, 0, `fast consumer ${c.index} was never lapped`);
  }
  assert.ok(slow!.lapped > 0, 'the slow consumer was lapped');
  assert.ok(slow!.lost > 0 && slow!.records > 0);
  if (run.expectTorn) assert.ok(slow!.torn! > 0, 'copies of reclaimed slots were made and discarded');
  console.log(
    `# ${run.name}: ${run.count} records in ${p.elapsedMs.toFixed(0)} ms; slow consumer read ${slow!.records}, ` +
      `lapped ${slow!.lapped} times, lost ${slow!.lost}, torn copies discarded ${slow!.torn}; producer notifies ${ring.producerNotifies}`,
  );
}

const RUNS: Run[] = [
  { name: '64-byte records, across 2^32', seed: 11, count: 4_000_000, capacity: 1024, slotBytes: 64, maxBatch: 64, initialPosition: 2 ** 32 - 1_500_000 },
  { name: '1 KiB records, 16-slot ring (overwrites during copies)', seed: 12, count: 100_000, capacity: 16, slotBytes: 1024, maxBatch: 8, expectTorn: true },
];

describe('broadcast ring across four threads', () => {
  for (const run of RUNS) {
    it(`${run.name}: fast consumers see all, the slow one is lapped and never sees a torn record`, () => stress(run));
  }
});
