import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { listSegments, replayWal, WalReader, WalWriter } from '../../src/wal/index.js';
import { payloadFor, scratchDir } from './wal-fixtures.js';

const OPTS = { fsync: 'none', flusher: 'inline', segmentBytes: 16 * 1024, maxPayloadBytes: 4096 } as const;
type Coded = Error & { code?: string; file?: string; offset?: number; seq?: number };

async function buildLog(dir: string, count: number): Promise<Map<number, { file: string; offset: number }>> {
  const w = await WalWriter.open({ dir, ...OPTS });
  for (let s = 1; s <= count; s++) w.append(1, payloadFor(s));
  await w.close();
  const where = new Map<number, { file: string; offset: number }>();
  const r = WalReader.open({ dir });
  for (const rec of r.records()) where.set(rec.seq, { file: rec.file, offset: rec.offset });
  r.close();
  return where;
}

function readAll(dir: string): number[] {
  const r = WalReader.open({ dir });
  const out: number[] = [];
  try {
    for (const rec of r.records()) out.push(rec.seq);
  } finally {
    r.close();
  }
  return out;
}

test('corruption in the middle of a sealed segment is an error naming the file and offset, never skipped', async () => {
  const s = scratchDir('sealed');
  try {
    const where = await buildLog(s.dir, 600);
    const segs = listSegments(s.dir);
    assert.ok(segs.length >= 4);
    // A record in the middle of the second segment.
    const inSecond = [...where.entries()].filter(([, w]) => w.file === segs[1]!.path);
    const [seq, at] = inSecond[Math.floor(inSecond.length / 2)]!;
    const bytes = readFileSync(at.file);
    const b = Buffer.from(bytes);
    b[at.offset + 30]! ^= 0x10;
    writeFileSync(at.file, b);

    const seen: number[] = [];
    const r = WalReader.open({ dir: s.dir });
    assert.throws(
      () => {
        for (const rec of r.records()) seen.push(rec.seq);
      },
      (e: Coded) => {
        assert.equal(e.code, 'WAL_CORRUPT');
        assert.equal(e.file, at.file);
        assert.equal(e.offset, at.offset);
        assert.equal(e.seq, seq);
        assert.ok(e.message.includes(at.file) && e.message.includes(`offset ${at.offset}`), e.message);
        assert.match(e.message, /crc32c mismatch.*sealed segment/);
        return true;
      },
    );
    r.close();
    assert.deepEqual(seen, Array.from({ length: seq - 1 }, (_, i) => i + 1), 'every record before the damage, none after');
    assert.throws(() => replayWal({ dir: s.dir, toSeq: 600 }, () => {}), (e: Coded) => e.code === 'WAL_CORRUPT');

    // A sealed segment cut short at its end is corruption too (its successor exists).
    writeFileSync(at.file, bytes);
    const third = segs[2]!.path;
    const t = readFileSync(third);
    writeFileSync(third, t.subarray(0, t.length - 10));
    assert.throws(() => readAll(s.dir), (e: Coded) => e.code === 'WAL_CORRUPT' && e.file === third && /record cut short/.test(e.message));
  } finally {
    s.cleanup();
  }
});

test('a missing segment is a gap the reader reports', async () => {
  const s = scratchDir('gap');
  try {
    await buildLog(s.dir, 600);
    const segs = listSegments(s.dir);
    unlinkSync(segs[2]!.path);
    assert.throws(
      () => readAll(s.dir),
      (e: Coded) =>
        e.code === 'WAL_CORRUPT' && e.file === segs[3]!.path && e.message.includes(`records ${segs[2]!.baseSeq}..${segs[3]!.baseSeq - 1} are missing`),
    );
  } finally {
    s.cleanup();
  }
});

test('in the live segment a damaged record at or below the durable position is corruption; without it the reader waits', async () => {
  const s = scratchDir('live');
  try {
    const w = await WalWriter.open({ dir: s.dir, fsync: 'group', segmentBytes: 1024 * 1024, maxPayloadBytes: 4096 });
    for (let q = 1; q <= 100; q++) w.append(1, payloadFor(q));
    await w.flush();
    const where = new Map<number, { file: string; offset: number }>();
    const r0 = WalReader.open({ dir: s.dir, durable: w.durablePosition });
    for (const rec of r0.records()) where.set(rec.seq, { file: rec.file, offset: rec.offset });
    r0.close();
    assert.equal(where.size, 100);
    const at = where.get(40)!;
    const b = readFileSync(at.file);
    b[at.offset + 4]! ^= 1; // the stored CRC
    writeFileSync(at.file, b);

    const plain = WalReader.open({ dir: s.dir });
    const seen: number[] = [];
    for (const rec of plain.records()) seen.push(rec.seq);
    assert.equal(seen.length, 39, 'a tailing reader cannot tell damage from a write in progress: it stops before it');
    assert.equal(plain.next(), null);
    plain.close();

    const bounded = WalReader.open({ dir: s.dir, durable: w.durablePosition.sab });
    assert.throws(
      () => {
        for (const _ of bounded.records()) void _;
      },
      (e: Coded) => e.code === 'WAL_CORRUPT' && e.offset === at.offset && /though it is durable/.test(e.message),
    );
    bounded.close();
    await w.close();
  } finally {
    s.cleanup();
  }
});
