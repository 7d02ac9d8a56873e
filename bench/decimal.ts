/**
 * Decimal parse throughput on venue-style strings at scale 8 (Binance prices like
 * "65000.10000000" and "65000.1", quantities like "0.00012000"):
 *   native decimalParseBatch  — one call per 4096 values, bytes in, int64 out
 *   native decimalParse       — one call per string
 *   TS parseDecimalAscii      — bytes in, int64 words out, no allocation
 *   TS parseDecimal           — string in, bigint out
 *   parseFloat                — reference only: never allowed on prices (inexact)
 * plus heap bytes allocated per value and GC runs per million values, the proof that the
 * hot-path parsers allocate nothing.
 *
 * Run: node --expose-gc dist/bench/decimal.js [--ci]
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { parseDecimal } from '../src/core/fixed/decimal.js';
import { parseDecimalAscii } from '../src/core/fixed/decimal-ascii.js';
import { native } from '../src/native/load-addon.js';
import { isCiRun, markdownTable, writeResults, type BenchFigure } from './lib/results.js';

const CI = isCiRun();
const SCALE = 8;
const SET_SIZE = 4096;
/** Time per contender per repeat, and repeats (the median is reported). */
const ROUND_MS = CI ? 250 : 1000;
const REPEATS = CI ? 3 : 5;

function venueStrings(n: number): string[] {
  let seed = 12345;
  const rand = (k: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % k;
  };
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const cents = String(rand(100)).padStart(2, '0');
    switch (i % 4) {
      case 0: // Binance price: 8 decimals, trailing zeros
        out.push(`${60000 + rand(10000)}.${cents}000000`);
        break;
      case 1: // other venues: shortest form
        out.push(`${60000 + rand(10000)}.${cents.replace(/0$/, '')}`);
        break;
      case 2: // small quantity
        out.push(`0.${String(rand(100000)).padStart(5, '0')}000`);
        break;
      default: // lot quantity
        out.push(`${rand(50)}.${String(rand(1000)).padStart(3, '0')}00000`);
    }
  }
  return out;
}

const strings = venueStrings(SET_SIZE);
const bytes = Buffer.from(strings.join(''), 'latin1');
const starts = new Uint32Array(SET_SIZE);
const ends = new Uint32Array(SET_SIZE);
{
  let pos = 0;
  strings.forEach((s, i) => {
    starts[i] = pos;
    pos += s.length;
    ends[i] = pos;
  });
}
const out = new BigInt64Array(SET_SIZE);
const status = new Int32Array(SET_SIZE);
const addon = native();

// Each contender parses the whole set once per call and folds the results into a local,
// published to `sink` once per set (a module-level number written per value would
// allocate a HeapNumber each time and be billed to the parser).
const sink = new Float64Array(1);
const CONTENDERS: Record<string, () => void> = {
  'native decimalParseBatch': () => {
    if (addon.decimalParseBatch(bytes, starts, ends, SET_SIZE, SCALE, false, out, status) !== 0) throw new Error('batch failed');
    sink[0] = status[SET_SIZE - 1]!;
  },
  'native decimalParse': () => {
    let last = 0n;
    for (let i = 0; i < SET_SIZE; i++) last = addon.decimalParse(strings[i]!, SCALE, false);
    sink[0] = Number(last & 0xffn);
  },
  'ts parseDecimalAscii': () => {
    let failed = 0;
    for (let i = 0; i < SET_SIZE; i++) failed += parseDecimalAscii(bytes, starts[i]!, ends[i]!, SCALE, false, out, i);
    if (failed !== 0) throw new Error('ascii parse failed');
    sink[0] = failed;
  },
  'ts parseDecimal': () => {
    let last = 0n;
    for (let i = 0; i < SET_SIZE; i++) last = parseDecimal(strings[i]!, SCALE);
    sink[0] = Number(last & 0xffn);
  },
  'parseFloat (reference only)': () => {
    let sum = 0;
    for (let i = 0; i < SET_SIZE; i++) sum += parseFloat(strings[i]!);
    sink[0] = sum;
  },
};

/** Values per second over about `ms` of repeated whole-set parses. */
function rate(fn: () => void, ms: number): number {
  const budget = BigInt(ms) * 1_000_000n;
  const t0 = process.hrtime.bigint();
  let sets = 0;
  let elapsed = 0n;
  // Bounded by time and by count.
  while (elapsed < budget && sets < 10_000_000) {
    for (let k = 0; k < 8; k++) fn();
    sets += 8;
    elapsed = process.hrtime.bigint() - t0;
  }
  return (sets * SET_SIZE) / (Number(elapsed) / 1e9);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function newSpaceUsed(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_used_size ?? 0;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap bytes per value over one set (young generation, after a full GC), and GC runs per million values. */
async function allocation(fn: () => void): Promise<{ bytesPerValue: number; gcPerMillion: number }> {
  gc?.();
  const before = newSpaceUsed();
  fn();
  const bytesPerValue = Math.max(0, newSpaceUsed() - before) / SET_SIZE;
  let gcs = 0;
  const obs = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  obs.observe({ entryTypes: ['gc'] });
  const sets = Math.ceil(1_000_000 / SET_SIZE);
  for (let k = 0; k < sets; k++) fn();
  await new Promise((r) => setTimeout(r, 20)); // GC entries are delivered asynchronously
  obs.disconnect();
  return { bytesPerValue, gcPerMillion: (gcs * 1_000_000) / (sets * SET_SIZE) };
}

async function main(): Promise<void> {
  if (!gc) console.warn('run with --expose-gc for exact allocation figures');
  // Every contender must agree before any is timed.
  addon.decimalParseBatch(bytes, starts, ends, SET_SIZE, SCALE, false, out, status);
  strings.forEach((s, i) => {
    if (out[i] !== parseDecimal(s, SCALE)) throw new Error(`native and TS disagree on ${s}`);
  });

  for (const fn of Object.values(CONTENDERS)) rate(fn, CI ? 60 : 200); // warm up the JIT
  const samples: Record<string, number[]> = {};
  for (let r = 0; r < REPEATS; r++) {
    for (const [name, fn] of Object.entries(CONTENDERS)) (samples[name] ??= []).push(rate(fn, ROUND_MS));
  }
  const rates: Record<string, number> = {};
  for (const [name, xs] of Object.entries(samples)) rates[name] = median(xs);

  const allocs: Record<string, { bytesPerValue: number; gcPerMillion: number }> = {};
  for (const name of ['native decimalParseBatch', 'ts parseDecimalAscii', 'ts parseDecimal']) {
    allocs[name] = await allocation(CONTENDERS[name]!);
  }

  const r = (name: string): number => rates[name]!;
  const tsBase = { name: 'ts parseDecimal', value: r('ts parseDecimal') };
  const figures: BenchFigure[] = [
    { metric: 'native batch parse vs ts parseDecimal', unit: 'values/s', value: r('native decimalParseBatch'), baseline: tsBase },
    {
      metric: 'native batch parse vs parseFloat',
      unit: 'values/s',
      value: r('native decimalParseBatch'),
      baseline: { name: 'parseFloat (reference only)', value: r('parseFloat (reference only)') },
    },
    { metric: 'native single parse vs ts parseDecimal', unit: 'values/s', value: r('native decimalParse'), baseline: tsBase },
    { metric: 'ts parseDecimalAscii vs ts parseDecimal', unit: 'values/s', value: r('ts parseDecimalAscii'), baseline: tsBase },
    { metric: 'ts parseDecimal', unit: 'values/s', value: r('ts parseDecimal'), baseline: null },
    { metric: 'parseFloat (reference only)', unit: 'values/s', value: r('parseFloat (reference only)'), baseline: null },
  ];
  for (const [name, a] of Object.entries(allocs)) {
    figures.push({ metric: `heap bytes per value: ${name}`, unit: 'B/value', value: a.bytesPerValue, baseline: null });
    figures.push({ metric: `gc runs per 1M values: ${name}`, unit: 'count', value: a.gcPerMillion, baseline: null });
  }
  const entries = writeResults('decimal', figures);
  console.log(markdownTable(entries));
  if (sink[0] === -1) console.log('sink'); // keeps the results observable
}

await main();
