import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/binance/', import.meta.url));

interface Scenario {
  snapshot: unknown;
  events: { msg: unknown }[];
  expected_book_before_gap: { lastUpdateId: number; bids: string[][]; asks: string[][] };
}

function capture(name: string, upTo: number, combined = false): { snap: string; diffs: string } {
  const s = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Scenario;
  const dir = mkdtempSync(join(tmpdir(), 'veloz-replay-'));
  const snap = join(dir, 'snap.json');
  const diffs = join(dir, 'diffs.ndjson');
  writeFileSync(snap, JSON.stringify(s.snapshot));
  const lines = s.events.slice(0, upTo).map((e) => {
    const m = e.msg as { s: string };
    return JSON.stringify(combined ? { stream: `${m.s.toLowerCase()}@depth`, data: m } : m);
  });
  writeFileSync(diffs, lines.join('\n') + '\n');
  return { snap, diffs };
}

function run(args: string[]): { status: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, 'book', 'replay', ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('replays the documented spot sync up to the gap and prints the expected book', () => {
  const s = JSON.parse(readFileSync(join(FIXTURES, 'spot_book_sync_scenario.synthetic.json'), 'utf8')) as Scenario;
  const { snap, diffs } = capture('spot_book_sync_scenario.synthetic.json', 3, true);
  const r = run(['--venue', 'binance', '--snapshot', snap, '--diffs', diffs]);
  assert.equal(r.status, 0, r.err);
  const book = JSON.parse(r.out);
  assert.equal(book.symbol, 'BNBBTC');
  assert.equal(book.valid, true);
  assert.deepEqual(book.gaps, []);
  assert.equal(book.lastUpdateId, s.expected_book_before_gap.lastUpdateId);
  assert.deepEqual(book.bids, s.expected_book_before_gap.bids);
  assert.deepEqual(book.asks, s.expected_book_before_gap.asks);
});

test('a gap in the capture is reported and the book is not valid', () => {
  const { snap, diffs } = capture('spot_book_sync_scenario.synthetic.json', 4);
  const r = run(['--venue', 'binance', '--snapshot', snap, '--diffs', diffs, '--depth', '1']);
  assert.equal(r.status, 0, r.err);
  const book = JSON.parse(r.out);
  assert.equal(book.valid, false);
  assert.equal(book.gaps.length, 1);
  assert.equal(book.gaps[0].expected, 171);
  assert.equal(book.gaps[0].received, 175);
});

test('bad options and unreadable input fail with a clear message', () => {
  assert.equal(run(['--venue', 'kraken', '--snapshot', 'a', '--diffs', 'b']).status, 2);
  const missing = run(['--venue', 'binance']);
  assert.equal(missing.status, 2);
  assert.match(missing.err, /missing --snapshot, --diffs/);
  const nofile = run(['--venue', 'binance', '--snapshot', '/nonexistent/s.json', '--diffs', '/nonexistent/d']);
  assert.equal(nofile.status, 1);
  assert.match(nofile.err, /ENOENT/);
});
