import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deleteSegmentsShippedThrough, listSegments, segmentsShippedThrough, WalReader, WalWriter } from '../../src/wal/index.js';
import { payloadFor, scratchDir } from './wal-fixtures.js';

const OPTS = { fsync: 'none', flusher: 'inline', segmentBytes: 16 * 1024, maxPayloadBytes: 8192 } as const;

test('segments wholly at or below the shipped seq are listed and deleted; the newest is always kept', async () => {
  const s = scratchDir('retention');
  try {
    let w = await WalWriter.open({ dir: s.dir, ...OPTS });
    for (let q = 1; q <= 500; q++) w.append(1, payloadFor(q));
    await w.close();
    const segs = listSegments(s.dir);
    assert.ok(segs.length >= 5);
    const lastOf = (i: number) => segs[i + 1]!.baseSeq - 1;

    assert.deepEqual(segmentsShippedThrough(s.dir, 0), []);
    assert.deepEqual(segmentsShippedThrough(s.dir, lastOf(0) - 1), [], 'one record of the first segment not shipped yet');
    assert.deepEqual(segmentsShippedThrough(s.dir, lastOf(0)).map((x) => x.name), [segs[0]!.name]);
    assert.deepEqual(segmentsShippedThrough(s.dir, lastOf(2)).map((x) => x.name), segs.slice(0, 3).map((x) => x.name));
    assert.equal(segmentsShippedThrough(s.dir, 10_000).length, segs.length - 1, 'never the newest segment');

    const deleted = deleteSegmentsShippedThrough(s.dir, lastOf(2));
    assert.equal(deleted.length, 3);
    assert.deepEqual(listSegments(s.dir).map((x) => x.name), segs.slice(3).map((x) => x.name));

    // Readers start at the oldest kept seq; below it is a clear error.
    const r = WalReader.open({ dir: s.dir });
    assert.equal(r.next()!.seq, segs[3]!.baseSeq);
    r.close();
    assert.throws(() => WalReader.open({ dir: s.dir, fromSeq: lastOf(2) }), (e: Error & { code?: string }) => e.code === 'WAL_SEQ_UNAVAILABLE');

    // Everything shipped: only the newest remains, and the writer still continues from it.
    deleteSegmentsShippedThrough(s.dir, 500);
    assert.equal(listSegments(s.dir).length, 1);
    w = await WalWriter.open({ dir: s.dir, ...OPTS });
    assert.equal(w.nextSeq, 501);
    await w.close();
  } finally {
    s.cleanup();
  }
});
