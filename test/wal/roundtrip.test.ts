import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listSegments, replayWal, segmentFileName, WalReader, WalWriter, type FsyncPolicy } from '../../src/wal/index.js';
import { payloadFor, samePayload, scratchDir, typeFor } from './wal-fixtures.js';

const SMALL = { segmentBytes: 64 * 1024, maxPayloadBytes: 8192 };

function appendRange(w: WalWriter, from: number, to: number): void {
  const buf = new Uint8Array(8192);
  for (let s = from; s <= to; s++) assert.equal(w.append(typeFor(s), payloadFor(s, buf)), s);
}

function checkAll(dir: string, through: number): number {
  let n = 0;
  const t0 = BigInt(Date.now() - 600_000) * 1_000_000n;
  const t1 = BigInt(Date.now() + 60_000) * 1_000_000n;
  replayWal({ dir, toSeq: through }, (r) => {
    n++;
    assert.equal(r.seq, n);
    assert.equal(r.type, typeFor(r.seq));
    assert.equal(r.flags, 0);
    assert.ok(samePayload(r.seq, r.payload), `payload of seq ${r.seq}`);
    assert.ok(r.tsNs > t0 && r.tsNs < t1, `timestamp of seq ${r.seq}: ${r.tsNs}`);
  });
  return n;
}

const modes: Array<[FsyncPolicy, 'thread' | 'inline', number]> = [
  ['group', 'thread', 4000],
  ['group', 'inline', 4000],
  ['none', 'thread', 4000],
  ['always', 'inline', 150],
];

for (const [fsync, flusher, count] of modes) {
  test(`${fsync}/${flusher}: ${count} records over several segment rolls read back intact, seqs continue across reopen`, async () => {
    const s = scratchDir(`rt-${fsync}`);
    try {
      const segBytes = fsync === 'always' ? 8 * 1024 + 64 : SMALL.segmentBytes;
      let w = await WalWriter.open({ dir: s.dir, fsync, flusher, ...SMALL, segmentBytes: segBytes });
      assert.equal(w.nextSeq, 1);
      appendRange(w, 1, count);
      if (fsync === 'always') assert.equal(w.durableSeq, count, "'always' is durable on return");
      await w.flush();
      assert.equal(w.durableSeq, count);
      await w.close();
      const segs = listSegments(s.dir);
      assert.ok(segs.length >= 4, `expected several rolls, got ${segs.length} segments`);
      for (let i = 1; i < segs.length; i++) assert.ok(segs[i]!.baseSeq > segs[i - 1]!.baseSeq);
      assert.equal(checkAll(s.dir, count), count);

      w = await WalWriter.open({ dir: s.dir, fsync, flusher, ...SMALL, segmentBytes: segBytes });
      assert.equal(w.recovery.cuts.length, 0);
      assert.equal(w.lastSeq, count);
      assert.equal(w.durableSeq, count);
      appendRange(w, count + 1, count + 50);
      await w.close();
      assert.equal(checkAll(s.dir, count + 50), count + 50);
      const st = w.stats.snapshot();
      assert.equal(st.appends, 50);
      assert.ok(fsync === 'none' ? st.fsyncs === 0 : st.fsyncs >= 1, `fsyncs ${st.fsyncs}`);
    } finally {
      s.cleanup();
    }
  });
}

test('group commit batches: far fewer fsyncs than records, each durable promise resolves in order', async () => {
  const s = scratchDir('batch');
  try {
    const w = await WalWriter.open({ dir: s.dir, fsync: 'group', groupCommitMaxDelayUs: 2000 });
    const order: number[] = [];
    const done: Promise<void>[] = [];
    for (let i = 1; i <= 2000; i++) {
      done.push(w.appendDurable(1, payloadFor(i)).then((seq) => void order.push(seq)));
    }
    const advances: number[] = [];
    const off = w.onDurable((seq) => advances.push(seq));
    await Promise.all(done);
    off();
    assert.deepEqual(order, Array.from({ length: 2000 }, (_, i) => i + 1));
    const st = w.stats.snapshot();
    assert.ok(st.fsyncs >= 1 && st.fsyncs < 200, `fsyncs ${st.fsyncs} for 2000 records`);
    assert.equal(st.fsyncLatencyNs.count, st.fsyncs);
    for (let i = 1; i < advances.length; i++) assert.ok(advances[i]! > advances[i - 1]!);
    assert.equal(w.durable(2000), true);
    await w.close();
  } finally {
    s.cleanup();
  }
});

test('bad input is refused with a stable code and counted; a closed writer says so', async () => {
  const s = scratchDir('input');
  try {
    const w = await WalWriter.open({ dir: s.dir, fsync: 'none', flusher: 'inline', maxPayloadBytes: 1024 });
    const code = (e: unknown) => (e as { code?: string }).code;
    assert.throws(() => w.append(1, new Uint8Array(1025)), (e) => code(e) === 'WAL_RECORD_TOO_LARGE');
    assert.throws(() => w.append(70000, new Uint8Array(1)), (e) => code(e) === 'WAL_RECORD_TYPE');
    assert.throws(() => w.append(-1, new Uint8Array(1)), (e) => code(e) === 'WAL_RECORD_TYPE');
    assert.throws(() => w.append(1.5, new Uint8Array(1)), (e) => code(e) === 'WAL_RECORD_TYPE');
    assert.equal(w.stats.snapshot().rejected, 4);
    assert.equal(w.append(0, new Uint8Array(0)), 1, 'empty payload and type 0 are fine; rejected appends used no seq');
    assert.equal(w.append(65535, new Uint8Array(1024)), 2);
    await assert.rejects(WalWriter.open({ dir: s.dir, fsync: 'none' }), (e) => code(e) === 'WAL_LOCKED');
    await w.close();
    assert.throws(() => w.append(1, new Uint8Array(1)), (e) => code(e) === 'WAL_CLOSED');
    await assert.rejects(WalWriter.open({ dir: s.dir, fsync: 'sometimes' as FsyncPolicy }), (e) => code(e) === 'WAL_CONFIG');
    await assert.rejects(WalWriter.open({ dir: s.dir, fsync: 'group', ringBytes: 100_000 }), (e) => code(e) === 'WAL_CONFIG');
    await assert.rejects(WalWriter.open({ dir: s.dir, fsync: 'group', segmentBytes: 1000 }), (e) => code(e) === 'WAL_CONFIG');
    const w2 = await WalWriter.open({ dir: s.dir, fsync: 'none', flusher: 'inline' });
    assert.equal(w2.nextSeq, 3);
    await w2.close();
    assert.ok(!readdirSync(s.dir).includes('wal.lock'), 'lock released on close');
  } finally {
    s.cleanup();
  }
});

test('initialSeq numbers an empty directory; a reader positioned at fromSeq skips earlier records', async () => {
  const s = scratchDir('initial');
  try {
    const w = await WalWriter.open({ dir: s.dir, fsync: 'none', flusher: 'inline', initialSeq: 1000, ...SMALL });
    for (let i = 0; i < 3000; i++) w.append(2, payloadFor(1000 + i));
    await w.close();
    const r = WalReader.open({ dir: s.dir, fromSeq: 2500 });
    let expect = 2500;
    for (const rec of r.records()) {
      assert.equal(rec.seq, expect);
      assert.ok(samePayload(rec.seq, rec.payload));
      expect++;
    }
    assert.equal(expect, 4000);
    r.close();
    assert.throws(() => WalReader.open({ dir: s.dir, fromSeq: 999 }), (e) => (e as { code?: string }).code === 'WAL_SEQ_UNAVAILABLE');
  } finally {
    s.cleanup();
  }
});

for (const flusher of ['thread', 'inline'] as const) {
  test(`${flusher}: the append ring wraps many times, with records ending exactly at its end and with PAD markers`, async () => {
    const s = scratchDir(`wrap-${flusher}`);
    try {
      const w = await WalWriter.open({ dir: s.dir, fsync: 'none', flusher, ringBytes: 64 * 1024, groupCommitMaxBytes: 8192, maxPayloadBytes: 8192, segmentBytes: 256 * 1024 });
      const fixed = new Uint8Array(100).fill(7); // 128-byte records tile the ring exactly
      let seq = 0;
      for (let i = 0; i < 3000; i++) seq = w.append(1, fixed);
      for (let i = 0; i < 3000; i++) seq = w.append(1, payloadFor(seq + 1));
      await w.close();
      let n = 0;
      replayWal({ dir: s.dir, toSeq: seq }, (r) => {
        n++;
        if (r.seq <= 3000) assert.deepEqual(r.payload, fixed);
        else assert.ok(samePayload(r.seq, r.payload), `payload of ${r.seq}`);
      });
      assert.equal(n, 6000);
    } finally {
      s.cleanup();
    }
  });

  test(`${flusher}: a flusher failure (segment cannot be created) surfaces as WAL_IO naming the file, and rejects waiters`, async () => {
    const s = scratchDir(`fail-${flusher}`);
    try {
      const w = await WalWriter.open({ dir: s.dir, fsync: 'group', flusher, segmentBytes: 4096, maxPayloadBytes: 1024, groupCommitMaxDelayUs: 100 });
      // 31 records of 128 bytes fill the first segment; the roll to seq 32 will find this file.
      const blocker = join(s.dir, segmentFileName(32));
      writeFileSync(blocker, 'in the way');
      const p = new Uint8Array(100);
      const firstDurable = w.appendDurable(1, p);
      let failure: (Error & { code?: string; file?: string }) | null = null;
      const waiters: Promise<number>[] = [];
      for (let i = 0; i < 200 && failure === null; i++) {
        try {
          const d = w.appendDurable(1, p);
          d.catch(() => {}); // judged below with allSettled
          waiters.push(d);
        } catch (err) {
          failure = err as Error & { code?: string; file?: string };
        }
        if (i % 10 === 9) await new Promise((r) => setTimeout(r, 2));
      }
      assert.equal(await firstDurable, 1);
      const settled = await Promise.allSettled(waiters);
      const rejected = settled.filter((x) => x.status === 'rejected') as PromiseRejectedResult[];
      assert.ok(rejected.length > 0, 'records after the failure never become durable');
      const err = (failure ?? rejected[0]!.reason) as Error & { code?: string; file?: string };
      assert.equal(err.code, 'WAL_IO');
      assert.equal(err.file, blocker);
      assert.match(err.message, /EEXIST/);
      assert.throws(() => w.append(1, p), (e: Error & { code?: string }) => e.code === 'WAL_IO');
      await w.close().catch(() => {});
    } finally {
      s.cleanup();
    }
  });
}

for (const flusher of ['thread', 'inline'] as const) {
  test(`${flusher}: without flush(), a record becomes durable by itself within the batch delay, batch after batch`, async () => {
    const s = scratchDir(`delay-${flusher}`);
    try {
      const w = await WalWriter.open({ dir: s.dir, fsync: 'group', flusher, groupCommitMaxDelayUs: 500 });
      const within = (p: Promise<number>, ms: number) =>
        Promise.race([p, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`not durable within ${ms} ms`)), ms).unref())]);
      for (let round = 0; round < 5; round++) {
        const seq = w.append(1, payloadFor(round + 1));
        assert.equal(await within(w.whenDurable(seq), 3000), seq);
        if (round === 2) {
          // flush() in between must not leave the batch timer unable to fire again.
          w.append(1, payloadFor(99));
          await w.flush();
        }
      }
      await w.close();
    } finally {
      s.cleanup();
    }
  });
}
