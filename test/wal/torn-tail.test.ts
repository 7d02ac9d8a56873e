import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { listSegments, segmentFileName, WalReader, WalWriter, type WalWriterOptions } from '../../src/wal/index.js';
import { lastSegmentPath, payloadFor, prng, samePayload, scratchDir } from './wal-fixtures.js';

const N = 40;
const OPTS = { fsync: 'none', flusher: 'inline', segmentBytes: 16 * 1024, maxPayloadBytes: 4096 } as const;
const code = (e: unknown) => (e as { code?: string }).code;

/** N records (several segments); returns the last segment's path, bytes and where each record starts in it. */
async function build(dir: string, extra: Partial<WalWriterOptions> = {}): Promise<{ path: string; bytes: Buffer; offsets: Map<number, number> }> {
  const w = await WalWriter.open({ dir, ...OPTS, ...extra });
  for (let s = 1; s < N; s++) w.append(1, payloadFor(s));
  w.append(1, new Uint8Array(150).fill(0xab)); // the last record: 28 + 150 + 6 pad = 184 bytes
  await w.close();
  const path = lastSegmentPath(dir);
  const offsets = new Map<number, number>();
  const r = WalReader.open({ dir });
  for (const rec of r.records()) if (rec.file === path) offsets.set(rec.seq, rec.offset);
  r.close();
  return { path, bytes: readFileSync(path), offsets };
}

/** Reads everything; returns the seqs, checking payloads of seqs below N. */
function readSeqs(dir: string, intactBelow = N): number[] {
  const r = WalReader.open({ dir });
  const seqs: number[] = [];
  for (const rec of r.records()) {
    if (rec.seq < intactBelow) assert.ok(samePayload(rec.seq, rec.payload), `payload of ${rec.seq}`);
    seqs.push(rec.seq);
  }
  r.close();
  return seqs;
}

/** Reopens after damage; checks the cut and that the next append continues the seqs. */
async function reopenExpect(dir: string, lastSeq: number, cutAt: number | null, path: string): Promise<void> {
  const w = await WalWriter.open({ dir, ...OPTS });
  try {
    assert.equal(w.lastSeq, lastSeq);
    if (cutAt === null) assert.equal(w.recovery.cuts.length, 0);
    else {
      assert.equal(w.recovery.cuts.length, 1, JSON.stringify(w.recovery.cuts));
      assert.equal(w.recovery.cuts[0]!.offset, cutAt);
      assert.equal(w.recovery.cuts[0]!.file, path);
      assert.equal(statSync(path).size, cutAt, 'file truncated to the last good record');
      assert.equal(w.stats.snapshot().tornTailCuts, 1);
    }
    assert.equal(w.append(9, new Uint8Array([1, 2, 3])), lastSeq + 1);
  } finally {
    await w.close();
  }
  const seqs = readSeqs(dir, Math.min(N, lastSeq + 1));
  assert.deepEqual(seqs, Array.from({ length: lastSeq + 1 }, (_, i) => i + 1));
}

test('a tail cut at every byte offset of the last record is truncated; the next append takes the next seq', async () => {
  const s = scratchDir('torn-every');
  try {
    const { path, bytes, offsets } = await build(s.dir);
    const last = offsets.get(N)!;
    assert.equal(bytes.length - last, 184);
    for (let k = last; k < bytes.length; k++) {
      writeFileSync(path, bytes.subarray(0, k));
      // A reader (no durable position) stops at the last complete, CRC-valid record.
      assert.deepEqual(readSeqs(s.dir).at(-1), N - 1, `reader at cut ${k}`);
      await reopenExpect(s.dir, N - 1, k === last ? null : last, path);
    }
  } finally {
    s.cleanup();
  }
});

test('a flipped CRC byte, a flipped payload byte, a garbage length, zero fill and random garbage are all cut', async () => {
  const s = scratchDir('torn-kinds');
  try {
    const { path, bytes, offsets } = await build(s.dir);
    const last = offsets.get(N)!;
    const rnd = prng(7);
    const cases: Array<[string, () => Uint8Array, number, number | null]> = [
      ['crc byte', () => { const b = Buffer.from(bytes); b[last + 5]! ^= 0x40; return b; }, N - 1, last],
      ['payload byte', () => { const b = Buffer.from(bytes); b[last + 100]! ^= 0x01; return b; }, N - 1, last],
      ['seq byte', () => { const b = Buffer.from(bytes); b[last + 8]! ^= 0x02; return b; }, N - 1, last],
      ['length', () => { const b = Buffer.from(bytes); b.writeUInt32LE(0x7fffffff, last); return b; }, N - 1, last],
      ['zeroed last record', () => { const b = Buffer.from(bytes); b.fill(0, last); return b; }, N - 1, last],
      ['zero fill after the end', () => Buffer.concat([bytes, Buffer.alloc(8192)]), N, bytes.length],
      ['random garbage after the end', () => Buffer.concat([bytes, Buffer.from(Array.from({ length: 1000 }, () => (rnd() * 256) | 0))]), N, bytes.length],
      ['zero fill over the last two records', () => { const b = Buffer.from(bytes); b.fill(0, offsets.get(N - 1)!); return Buffer.concat([b, Buffer.alloc(4096)]); }, N - 2, offsets.get(N - 1)!],
    ];
    for (const [name, damage, lastSeq, cutAt] of cases) {
      writeFileSync(path, damage());
      try {
        await reopenExpect(s.dir, lastSeq, cutAt, path);
      } catch (err) {
        throw new Error(`case "${name}": ${(err as Error).message}`, { cause: err });
      }
      writeFileSync(path, bytes);
    }
  } finally {
    s.cleanup();
  }
});

test('damage followed by intact records beyond the torn window is corruption: the writer refuses to start', async () => {
  const s = scratchDir('torn-mid');
  try {
    const w = await WalWriter.open({ dir: s.dir, ...OPTS, segmentBytes: 1024 * 1024 });
    for (let seq = 1; seq <= 300; seq++) w.append(1, payloadFor(seq));
    await w.close();
    const path = lastSegmentPath(s.dir);
    const offsets = new Map<number, number>();
    const r = WalReader.open({ dir: s.dir });
    for (const rec of r.records()) offsets.set(rec.seq, rec.offset);
    r.close();
    const bytes = readFileSync(path);
    const at = offsets.get(20)!;
    const b = Buffer.from(bytes);
    b[at + 40]! ^= 0xff;
    writeFileSync(path, b);
    await assert.rejects(WalWriter.open({ dir: s.dir, ...OPTS, tornWindowBytes: 4096 }), (e: Error & { code?: string; file?: string; offset?: number }) => {
      assert.equal(e.code, 'WAL_CORRUPT');
      assert.equal(e.file, path);
      assert.equal(e.offset, at);
      assert.match(e.message, new RegExp(`offset ${at}.*intact record follows`));
      return true;
    });
    assert.equal(statSync(path).size, bytes.length, 'nothing was cut');
    // The same damage within the window (only a few records behind it) is a torn tail.
    const near = offsets.get(296)!;
    const b2 = Buffer.from(bytes);
    b2[near + 40]! ^= 0xff;
    writeFileSync(path, b2);
    const w2 = await WalWriter.open({ dir: s.dir, ...OPTS, tornWindowBytes: 4096 });
    assert.equal(w2.lastSeq, 295);
    assert.equal(w2.append(1, payloadFor(296)), 296);
    await w2.close();
  } finally {
    s.cleanup();
  }
});

test('a newest segment with a torn header is removed and the previous one continues; a big one is refused', async () => {
  const s = scratchDir('torn-header');
  try {
    await build(s.dir);
    const segs = listSegments(s.dir);
    const torn = join(s.dir, segmentFileName(N + 1));
    writeFileSync(torn, Buffer.from([0x56, 0x57, 0x41, 0x4c, 1, 0, 32])); // 7 bytes of a header
    const w = await WalWriter.open({ dir: s.dir, ...OPTS });
    assert.equal(w.lastSeq, N);
    assert.equal(w.recovery.cuts[0]!.file, torn);
    assert.equal(w.recovery.cuts[0]!.offset, 0);
    assert.equal(w.append(1, payloadFor(N + 1)), N + 1);
    await w.close();
    assert.ok(!existsSync(torn), 'the torn segment is gone; the record went to the previous one');
    assert.deepEqual(readSeqs(s.dir).length, N + 1);
    assert.equal(listSegments(s.dir).length, segs.length);

    const big = join(s.dir, segmentFileName(N + 2));
    writeFileSync(big, Buffer.alloc(3 * 1024 * 1024, 7));
    await assert.rejects(WalWriter.open({ dir: s.dir, ...OPTS }), (e: Error & { code?: string; file?: string }) => code(e) === 'WAL_CORRUPT' && e.file === big);
  } finally {
    s.cleanup();
  }
});
