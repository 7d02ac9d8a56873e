/**
 * Depth-message decode throughput, on Binance depthUpdate frames shaped like the
 * fixture and like live BTCUSDT traffic (~460 bytes, ~11 levels, prices and quantities
 * with 8 decimals), all contenders on the same frames (Buffers, as a websocket gives them):
 *   native decodeInto       — simdjson On-Demand, events written into a ring in shared memory
 *   ts decodeInto           — the pure-TS twin (fallback)
 *   JSON.parse + parseDecimal   — frame.toString(), JSON.parse, every price/qty to a bigint
 *                                 mantissa at 1e8 with the project's exact parseDecimal
 *   JSON.parse + BigInt(string) — the same with BigInt() of the sliced digit string
 * The gated ratio is against whichever of the two JSON.parse contenders was faster in
 * this run (their order flips with machine load).
 * plus heap bytes allocated per message and GC runs per million messages.
 *
 * Run: node --expose-gc dist/bench/decode.js [--ci]
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { parseDecimal } from '../src/core/fixed/decimal.js';
import { native } from '../src/native/load-addon.js';
import { NativeMdDecoder, TsMdDecoder, type MdDecoder } from '../src/venues/binance/decode/index.js';
import { isCiRun, markdownTable, writeResults, type BenchFigure } from './lib/results.js';

const CI = isCiRun();
const SET_SIZE = 512;
const ROUND_MS = CI ? 250 : 1000;
const REPEATS = CI ? 3 : 5;
const SCALE = 8;
const RING_SLOTS = 1 << 14;

const INSTRUMENTS = [{ venueSymbol: 'BTCUSDT', instrumentId: 1, priceScale: SCALE, qtyScale: SCALE }];

function messages(n: number): Buffer[] {
  let seed = 99;
  const rand = (k: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % k;
  };
  const out: Buffer[] = [];
  let u = 40_000_000_000;
  for (let i = 0; i < n; i++) {
    const level = (base: number): [string, string] => [
      `${base + rand(300)}.${String(rand(100)).padStart(2, '0')}000000`,
      rand(5) === 0 ? '0.00000000' : `${rand(3)}.${String(rand(100000)).padStart(5, '0')}000`,
    ];
    const bids = Array.from({ length: 5 + (i % 2) }, () => level(64_700));
    const asks = Array.from({ length: 5 + ((i >> 1) % 2) }, () => level(65_000));
    const first = u + 1;
    u += 1 + rand(40);
    const msg = { e: 'depthUpdate', E: 1_700_000_000_000 + i * 100, s: 'BTCUSDT', U: first, u, b: bids, a: asks };
    out.push(Buffer.from(JSON.stringify(msg)));
  }
  return out;
}

const frames = messages(SET_SIZE);
const meanBytes = frames.reduce((s, f) => s + f.length, 0) / frames.length;
const meanLevels = frames.reduce((s, f) => s + (f.toString().match(/\],\[|\[\["/g)?.length ?? 0), 0) / frames.length;

const ring = new SharedArrayBuffer(RING_SLOTS * 64);
const geometry = { dataOffset: 0, slotBytes: 64, mask: RING_SLOTS - 1, startPos: 0, freeSlots: RING_SLOTS };
const RECV_NS = 1_700_000_000_000_000_000n;

const nativeDecoder = new NativeMdDecoder(native(), { venue: 'binance', instruments: INSTRUMENTS });
const tsDecoder = new TsMdDecoder({ venue: 'binance', instruments: INSTRUMENTS });

function decodeAll(d: MdDecoder): void {
  for (let i = 0; i < SET_SIZE; i++) {
    const n = d.decodeInto(frames[i]!, RECV_NS, ring, geometry);
    if (n <= 0) throw new Error(`${d.implementation} decoder returned ${n}`);
    geometry.startPos += n;
  }
}

/** Mantissa at 1e8 of a decimal string by slicing; exact for these inputs. */
function toFixed8(s: string): bigint {
  const dot = s.indexOf('.');
  if (dot < 0) return BigInt(s) * 100_000_000n;
  return BigInt(s.slice(0, dot) + s.slice(dot + 1).padEnd(SCALE, '0').slice(0, SCALE));
}

type DepthJson = { U: number; u: number; E: number; s: string; b: [string, string][]; a: [string, string][] };

// Results are folded into a local and published once per set: a module-level bigint
// written per value would be billed to the contender as extra allocation.
const sink = new Float64Array(1);
const CONTENDERS: Record<string, () => void> = {
  'native decodeInto': () => decodeAll(nativeDecoder),
  'ts decodeInto': () => decodeAll(tsDecoder),
  'JSON.parse + BigInt(string)': () => {
    let acc = 0n;
    for (let i = 0; i < SET_SIZE; i++) {
      const m = JSON.parse(frames[i]!.toString()) as DepthJson;
      for (const [p, q] of m.b) acc ^= toFixed8(p) ^ toFixed8(q);
      for (const [p, q] of m.a) acc ^= toFixed8(p) ^ toFixed8(q);
    }
    sink[0] = Number(acc & 0xffn);
  },
  'JSON.parse + parseDecimal': () => {
    let acc = 0n;
    for (let i = 0; i < SET_SIZE; i++) {
      const m = JSON.parse(frames[i]!.toString()) as DepthJson;
      for (const [p, q] of m.b) acc ^= parseDecimal(p, SCALE) ^ parseDecimal(q, SCALE);
      for (const [p, q] of m.a) acc ^= parseDecimal(p, SCALE) ^ parseDecimal(q, SCALE);
    }
    sink[0] = Number(acc & 0xffn);
  },
};

/**
 * Messages per CPU-second (process user + system time, GC helper threads included) over
 * about `ms` of repeated whole-set decodes. CPU time, not wall time: on a shared machine
 * a descheduled process would otherwise be billed for other people's work.
 */
function rate(fn: () => void, ms: number): { cpu: number; wall: number } {
  const budget = BigInt(ms) * 1_000_000n;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let sets = 0;
  let elapsed = 0n;
  while (elapsed < budget && sets < 1_000_000) {
    fn();
    sets++;
    elapsed = process.hrtime.bigint() - t0;
  }
  const c = process.cpuUsage(c0);
  const messages = sets * SET_SIZE;
  return { cpu: messages / ((c.user + c.system) / 1e6), wall: messages / (Number(elapsed) / 1e9) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function newSpaceUsed(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_used_size ?? 0;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Young-generation bytes per message over one set (after a full GC), and GC runs per million messages. */
async function allocation(fn: () => void): Promise<{ bytesPerMessage: number; gcPerMillion: number }> {
  gc?.();
  const before = newSpaceUsed();
  fn();
  const bytesPerMessage = Math.max(0, newSpaceUsed() - before) / SET_SIZE;
  let gcs = 0;
  const obs = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  obs.observe({ entryTypes: ['gc'] });
  const sets = Math.ceil((CI ? 200_000 : 1_000_000) / SET_SIZE);
  for (let k = 0; k < sets; k++) fn();
  await new Promise((r) => setTimeout(r, 20)); // GC entries are delivered asynchronously
  obs.disconnect();
  return { bytesPerMessage, gcPerMillion: (gcs * 1_000_000) / (sets * SET_SIZE) };
}

/** Both decoders must write the same bytes before either is timed. */
function crossCheck(): void {
  const a = new SharedArrayBuffer(64 * 64);
  const b = new SharedArrayBuffer(64 * 64);
  const g = { dataOffset: 0, slotBytes: 64, mask: 63, startPos: 0, freeSlots: 64 };
  for (const f of frames) {
    const n = nativeDecoder.decodeInto(f, RECV_NS, a, g);
    const t = tsDecoder.decodeInto(f, RECV_NS, b, g);
    if (n !== t || Buffer.compare(new Uint8Array(a), new Uint8Array(b)) !== 0) throw new Error('native and TS decoders disagree');
  }
}

async function main(): Promise<void> {
  if (!gc) console.warn('run with --expose-gc for exact allocation figures');
  crossCheck();
  console.log(`${SET_SIZE} depthUpdate frames, mean ${meanBytes.toFixed(0)} bytes, ${meanLevels.toFixed(1)} levels`);
  for (const fn of Object.values(CONTENDERS)) rate(fn, CI ? 100 : 300); // warm up the JIT
  const samples: Record<string, { cpu: number[]; wall: number[] }> = {};
  for (let r = 0; r < REPEATS; r++) {
    for (const [name, fn] of Object.entries(CONTENDERS)) {
      const x = rate(fn, ROUND_MS);
      const s = (samples[name] ??= { cpu: [], wall: [] });
      s.cpu.push(x.cpu);
      s.wall.push(x.wall);
    }
  }
  const rates: Record<string, number> = {};
  const wallRates: Record<string, number> = {};
  for (const [name, xs] of Object.entries(samples)) {
    rates[name] = median(xs.cpu);
    wallRates[name] = median(xs.wall);
  }
  const allocs: Record<string, { bytesPerMessage: number; gcPerMillion: number }> = {};
  for (const [name, fn] of Object.entries(CONTENDERS)) allocs[name] = await allocation(fn);

  const r = (name: string): number => rates[name]!;
  const jsNames = ['JSON.parse + parseDecimal', 'JSON.parse + BigInt(string)'];
  const fastestJs = jsNames.reduce((a, b) => (r(a) >= r(b) ? a : b));
  const jsBase = { name: fastestJs, value: r(fastestJs) };
  const figures: BenchFigure[] = [
    { metric: 'native decode vs JSON.parse + BigInt', unit: 'msgs/cpu-s', value: r('native decodeInto'), baseline: jsBase },
    ...jsNames.map((name) => ({
      metric: `native decode vs ${name}`,
      unit: 'msgs/cpu-s',
      value: r('native decodeInto'),
      baseline: { name, value: r(name) },
    })),
    { metric: 'native decode vs ts decoder', unit: 'msgs/cpu-s', value: r('native decodeInto'), baseline: { name: 'ts decodeInto', value: r('ts decodeInto') } },
    { metric: 'ts decoder vs JSON.parse + BigInt', unit: 'msgs/cpu-s', value: r('ts decodeInto'), baseline: jsBase },
    ...Object.entries(wallRates).map(([name, v]) => ({ metric: `wall-clock rate: ${name}`, unit: 'msgs/s', value: v, baseline: null })),
    { metric: 'native decode CPU time per message', unit: 'ns', value: 1e9 / r('native decodeInto'), baseline: null },
    { metric: 'native decode throughput', unit: 'MB/s', value: (r('native decodeInto') * meanBytes) / 1e6, baseline: null },
  ];
  for (const [name, a] of Object.entries(allocs)) {
    figures.push({ metric: `heap bytes per message: ${name}`, unit: 'B/msg', value: a.bytesPerMessage, baseline: null });
    figures.push({ metric: `gc runs per 1M messages: ${name}`, unit: 'count', value: a.gcPerMillion, baseline: null });
  }
  const entries = writeResults('decode', figures);
  console.log(markdownTable(entries));
  if (sink[0] === -1) console.log('sink');
}

await main();
