/**
 * Two-thread SPSC stress: producer and consumer in their own workers, every record
 * checked for order and content, random batch sizes and pauses, each wait strategy.
 * The block runs use a park timeout longer than the test's deadline, so a lost wake-up
 * would hang the run and fail it rather than be hidden by a timed wake.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpscRing, type WaitOptions } from '../../../src/core/ring/index.js';
import type { SpscPeerConfig, SpscPeerResult } from './fixtures/spsc-peer.js';
import { startWorker } from './fixtures/workers.js';

const PEER = new URL('./fixtures/spsc-peer.js', import.meta.url);
const DEADLINE_MS = 25_000;

interface Run {
  name: string;
  seed: number;
  count: number;
  capacity: number;
  slotBytes?: number;
  wait: WaitOptions;
  maxBatch: number;
  pauseEvery: number;
  initialPosition?: number;
}

async function stress(run: Run): Promise<void> {
  const ring = SpscRing.create({
    capacity: run.capacity,
    slotBytes: run.slotBytes ?? 64,
    initialPosition: run.initialPosition ?? 0,
  });
  const base = { buffer: ring.buffer, seed: run.seed, count: run.count, wait: run.wait, maxBatch: run.maxBatch, pauseEvery: run.pauseEvery, deadlineMs: DEADLINE_MS };
  const consumer = startWorker<SpscPeerResult>(PEER, { ...base, role: 'consumer' } satisfies SpscPeerConfig, DEADLINE_MS + 5000);
  const producer = startWorker<SpscPeerResult>(PEER, { ...base, role: 'producer' } satisfies SpscPeerConfig, DEADLINE_MS + 5000);
  const p = await producer.result;
  assert.ok(p.ok, `producer: ${p.error}`);
  assert.equal(p.records, run.count);
  ring.close();
  const c = await consumer.result;
  assert.ok(c.ok, `consumer: ${c.error}`);
  assert.equal(c.records, run.count, 'every record consumed exactly once');
  const s = ring.stats();
  assert.equal(s.published, (run.initialPosition ?? 0) + run.count);
  assert.equal(s.consumed, s.published);
  const rate = (run.count / Math.max(p.elapsedMs, c.elapsedMs) / 1e3).toFixed(2);
  console.log(
    `# ${run.name}: ${run.count} records in ${c.elapsedMs.toFixed(0)} ms (${rate} M/s), ${c.polls} polls, ` +
      `full ${s.full}, parks p/c ${s.producerParks}/${s.consumerParks}, notifies p/c ${s.producerNotifies}/${s.consumerNotifies}`,
  );
}

const BLOCK: WaitOptions = { strategy: 'block', parkTimeoutMs: DEADLINE_MS * 2 };
const BACKOFF: WaitOptions = { strategy: 'backoff' };
const SPIN: WaitOptions = { strategy: 'spin' };

const RUNS: Run[] = [
  { name: 'block, seed 1, across 2^32', seed: 1, count: 6_000_000, capacity: 1024, wait: BLOCK, maxBatch: 64, pauseEvery: 2000, initialPosition: 2 ** 32 - 1_000_000 },
  { name: 'block, seed 2, small ring, frequent pauses', seed: 2, count: 1_000_000, capacity: 16, wait: BLOCK, maxBatch: 8, pauseEvery: 200 },
  { name: 'backoff, seed 3', seed: 3, count: 6_000_000, capacity: 4096, wait: BACKOFF, maxBatch: 256, pauseEvery: 2000 },
  { name: 'backoff, seed 4, 192-byte slots', seed: 4, count: 1_500_000, capacity: 1024, slotBytes: 192, wait: BACKOFF, maxBatch: 32, pauseEvery: 500 },
  { name: 'spin, seed 5', seed: 5, count: 400_000, capacity: 1024, wait: SPIN, maxBatch: 64, pauseEvery: 5000 },
];

describe('SPSC ring across two threads', () => {
  for (const run of RUNS) {
    it(`${run.name}: ${run.count} records, none lost, duplicated, reordered or torn`, () => stress(run));
  }
});
