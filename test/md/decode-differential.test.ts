/**
 * Native vs TS decoder, byte for byte: the same return code, the same ring bytes and the
 * same result record for the fixtures, every truncation of them, generated messages and
 * over 100k damaged ones; and neither writes a byte outside the slots it reports. The
 * rings are filled with a canary pattern, so a stray write anywhere shows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DECODE_STATUS_COUNT, DECODE_STATUS_NAMES, decodeStatusName } from '../../src/venues/binance/decode/index.js';
import { GENERATED_KINDS, Rng, allFixtures, garbage, generateMessage, mutate, type GeneratedKind } from './decode-corpus.js';
import { decodeOne, makePair, sameOutcome, show, strayWrite, type Pair, type Placement } from './decode-harness.js';

const pairs: Record<'binance' | 'usdm', Pair> = { binance: makePair('binance'), usdm: makePair('binance-usdm') };

interface Tally {
  inputs: number;
  failures: string[];
  outcomes: Map<string, number>;
}

function newTally(): Tally {
  return { inputs: 0, failures: [], outcomes: new Map() };
}

function compare(t: Tally, pair: Pair, input: Uint8Array, at: Placement, label: string): void {
  t.inputs++;
  const n = decodeOne(pair.native, input, at);
  const nStray = strayWrite(n, at);
  const nRet = n.ret;
  const nRing = Buffer.from(n.ring);
  const nResult = Buffer.from(n.result);
  const s = decodeOne(pair.ts, input, at);
  const name = decodeStatusName(nRet);
  t.outcomes.set(name, (t.outcomes.get(name) ?? 0) + 1);
  const same = sameOutcome({ ret: nRet, ring: nRing, result: nResult }, s);
  if ((!same || nStray || strayWrite(s, at)) && t.failures.length < 5) {
    t.failures.push(
      `${label}: native ${nRet} ts ${s.ret}${same ? '' : ' (bytes differ)'}${nStray ? ' native stray write' : ''} at ${JSON.stringify(at)} input ${show(input)}`,
    );
  }
}

function report(t: Tally, what: string): void {
  assert.deepEqual(t.failures, [], `${what}: ${t.failures.length} disagreement(s)`);
}

const placements = (rng: Rng, snapshotOf?: number): Placement => ({
  startPos: rng.chance(0.3) ? 50 + rng.int(14) : rng.int(2 ** 40),
  freeSlots: rng.chance(0.1) ? rng.int(4) : 64,
  ...(snapshotOf !== undefined ? { snapshotOf } : {}),
});

function isSnapshotFixture(name: string): boolean {
  return name.includes('rest_depth') || name.includes('partial_depth');
}

test('fixtures and every truncation of them decode identically', () => {
  const t = newTally();
  const rng = new Rng(7);
  for (const { name, bytes } of allFixtures()) {
    for (const venue of ['binance', 'usdm'] as const) {
      for (const snapshotOf of isSnapshotFixture(name) ? [undefined, 1, 3] : [undefined]) {
        for (let end = 0; end <= bytes.length; end++) {
          compare(t, pairs[venue], bytes.subarray(0, end), placements(rng, snapshotOf), `${name} cut at ${end}`);
        }
        // Wrapping around the ring end, and too little room.
        compare(t, pairs[venue], bytes, { startPos: 63, freeSlots: 64, ...(snapshotOf ? { snapshotOf } : {}) }, `${name} wrapped`);
        compare(t, pairs[venue], bytes, { startPos: 5, freeSlots: 1, ...(snapshotOf ? { snapshotOf } : {}) }, `${name} short of room`);
      }
    }
  }
  report(t, 'fixtures');
  assert.ok(t.inputs > 5000, `${t.inputs} inputs`);
});

function generated(rng: Rng): { input: Uint8Array; snapshotOf?: number; kind: GeneratedKind } {
  const kind = rng.pick(GENERATED_KINDS);
  const input = Buffer.from(generateMessage(rng, kind));
  return kind === 'snapshot' ? { input, snapshotOf: rng.pick([1, 3, 4]), kind } : { input, kind };
}

test('generated messages (shuffled keys, whitespace, unknown fields, escapes) decode identically', () => {
  const t = newTally();
  const rng = new Rng(20260101);
  const kinds = new Map<string, number>();
  for (let i = 0; i < 20_000; i++) {
    const g = generated(rng);
    const pair = rng.chance(0.5) ? pairs.binance : pairs.usdm;
    compare(t, pair, g.input, placements(rng, g.snapshotOf), `generated ${g.kind} #${i}`);
    kinds.set(g.kind, (kinds.get(g.kind) ?? 0) + 1);
  }
  report(t, 'generated');
  // The generator must mostly produce decodable messages, or it tests only error paths.
  assert.ok((t.outcomes.get('OK') ?? 0) > t.inputs * 0.4, JSON.stringify([...t.outcomes]));
  for (const name of ['MALFORMED_JSON', 'UNKNOWN_SYMBOL', 'BAD_DECIMAL', 'PRECISION', 'DUPLICATE_FIELD', 'MISSING_FIELD', 'BAD_TYPE', 'BAD_NUMBER']) {
    assert.ok((t.outcomes.get(name) ?? 0) > 0, `no ${name} among ${JSON.stringify([...t.outcomes])}`);
  }
});

test('over 100k mutated, truncated and garbage inputs decode identically and never write out of bounds', () => {
  const t = newTally();
  const rng = new Rng(4242);
  const fixtures = allFixtures();
  const deadline = Date.now() + 40_000;
  let i = 0;
  for (; i < 110_000 && Date.now() < deadline; i++) {
    const r = rng.next();
    let input: Uint8Array;
    let snapshotOf: number | undefined;
    if (r < 0.45) {
      const f = rng.pick(fixtures);
      input = mutate(rng, f.bytes);
      if (isSnapshotFixture(f.name)) snapshotOf = 1;
    } else if (r < 0.95) {
      const g = generated(rng);
      input = mutate(rng, g.input);
      snapshotOf = g.snapshotOf;
    } else {
      input = garbage(rng);
      if (rng.chance(0.2)) snapshotOf = 1;
    }
    compare(t, rng.chance(0.5) ? pairs.binance : pairs.usdm, input, placements(rng, snapshotOf), `mutation #${i}`);
  }
  report(t, 'mutations');
  assert.ok(t.inputs >= 100_000, `only ${t.inputs} inputs within the time budget`);
});

test('both decoders counted the same outcomes', () => {
  for (const pair of Object.values(pairs)) {
    const a = pair.native.readCounters();
    const b = pair.ts.readCounters();
    assert.equal(a.length, DECODE_STATUS_COUNT);
    const named = (c: BigUint64Array) => Object.fromEntries(DECODE_STATUS_NAMES.map((n, i) => [n, c[i]]));
    assert.deepEqual(named(a), named(b));
    assert.ok(a[0]! > 0n && a[1]! > 0n);
  }
});
