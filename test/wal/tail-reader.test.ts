import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { listSegments, WalReader, WalWriter } from '../../src/wal/index.js';
import { payloadFor, scratchDir } from './wal-fixtures.js';

const WORKER = new URL('./fixtures/tail-worker.js', import.meta.url);

test('a record appearing a few bytes at a time is returned only once complete; the reader resumes where it stopped', async () => {
  const src = scratchDir('tail-src');
  const dst = scratchDir('tail-dst');
  try {
    const w = await WalWriter.open({ dir: src.dir, fsync: 'none', flusher: 'inline', segmentBytes: 8 * 1024, maxPayloadBytes: 4096 });
    for (let s = 1; s <= 120; s++) w.append(1, payloadFor(s));
    await w.close();
    const segs = listSegments(src.dir);
    assert.ok(segs.length >= 3);
    const r = WalReader.open({ dir: dst.dir, fromSeq: 1 });
    assert.equal(r.next(), null, 'no segment yet');
    let seen = 0;
    const drain = (): void => {
      for (let rec = r.next(); rec !== null; rec = r.next()) assert.equal(rec.seq, ++seen);
    };
    // Expose the segments in 61-byte slices (never aligned with records), reading after each.
    for (const seg of segs) {
      const bytes = readFileSync(seg.path);
      const out = join(dst.dir, seg.name);
      writeFileSync(out, '');
      drain(); // a successor whose header is not written yet: wait on the old segment, do not start over
      for (let at = 0; at < bytes.length; at += 61) {
        appendFileSync(out, bytes.subarray(at, Math.min(bytes.length, at + 61)));
        const before = seen;
        drain();
        assert.ok(seen >= before);
      }
      drain();
    }
    assert.equal(seen, 120);
    assert.equal(r.next(), null);
    r.close();
  } finally {
    src.cleanup();
    dst.cleanup();
  }
});

interface TailResult {
  seen: number;
  empties: number;
  aheadOfDurable: number;
  error: string | null;
}

function tail(dir: string, durableSab: SharedArrayBuffer | null, expect: number): { result: Promise<TailResult>; worker: Worker } {
  const worker = new Worker(WORKER, { workerData: { dir, durableSab, expect, deadlineMs: 20_000 } });
  const result = new Promise<TailResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { result, worker };
}

for (const bounded of [true, false]) {
  test(`a reader thread tails live segments while the writer appends (${bounded ? 'bounded by the durable position' : 'raw, up to the last complete record'})`, async () => {
    const s = scratchDir('tail-live');
    try {
      const TOTAL = 12_000;
      const w = await WalWriter.open({ dir: s.dir, fsync: 'group', segmentBytes: 64 * 1024, maxPayloadBytes: 8192, groupCommitMaxDelayUs: 300 });
      const { result, worker } = tail(s.dir, bounded ? w.durablePosition.sab : null, TOTAL);
      let got: TailResult;
      try {
        const buf = new Uint8Array(8192);
        for (let seq = 1; seq <= TOTAL; ) {
          for (let k = 0; k < 200 && seq <= TOTAL; k++, seq++) w.append(1, payloadFor(seq, buf));
          await sleep(1);
        }
        await w.flush();
        got = await result;
      } finally {
        await worker.terminate();
        await w.close();
      }
      assert.equal(got.error, null);
      assert.equal(got.seen, TOTAL);
      if (bounded) assert.equal(got.aheadOfDurable, 0, 'never returned a record above the durable position');
      assert.ok(listSegments(s.dir).length > 20, 'the reader crossed many segment rolls');
    } finally {
      s.cleanup();
    }
  });
}
