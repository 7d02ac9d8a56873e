import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nativeWallClock, WallClockNs, writeMsAsNs } from '../../src/wal/wall-clock.js';
import { prng } from './wal-fixtures.js';

function readNs(view: DataView, at: number): bigint {
  return view.getBigInt64(at, true);
}

test('writeMsAsNs splits ms into exact i64 ns words (checked against bigint arithmetic)', () => {
  const view = new DataView(new ArrayBuffer(8));
  const rnd = prng(99);
  for (let i = 0; i < 2000; i++) {
    const wholeMs = Math.floor(rnd() * 4_000_000_000_000); // up to the year 2096
    const micros = Math.floor(rnd() * 1000);
    const ms = wholeMs + micros / 1000;
    writeMsAsNs(view, 0, ms);
    const want = BigInt(wholeMs) * 1_000_000n + BigInt(micros) * 1000n;
    const got = readNs(view, 0);
    const diff = got > want ? got - want : want - got;
    assert.ok(diff <= 1000n, `ms ${ms}: got ${got}, want ${want}`); // float ms carries ~0.25 µs
  }
});

test('native and fallback stamps both read the wall clock', () => {
  assert.equal(nativeWallClock, true, 'the addon provides the allocation-free stamp');
  const bytes = new Uint8Array(24);
  const view = new DataView(bytes.buffer);
  const before = BigInt(Date.now()) * 1_000_000n;
  new WallClockNs(true).write(bytes, view, 0);
  new WallClockNs(false).write(bytes, view, 8);
  const after = BigInt(Date.now() + 1) * 1_000_000n;
  for (const at of [0, 8]) {
    const ns = readNs(view, at);
    assert.ok(ns >= before - 2_000_000n && ns <= after + 2_000_000n, `stamp at ${at}: ${ns} not within [${before}, ${after}]`);
  }
  assert.deepEqual([...bytes.subarray(16)], [0, 0, 0, 0, 0, 0, 0, 0], 'writes exactly 8 bytes');
});
