/**
 * Against a peer on the same message stream: veloz's book path (native decode → md ring
 * → Binance sync → shared-memory book, BookChanged published) and ccxt 4.5.84's Binance
 * order book (its WebSocket client's message parsing → handleOrderBook → OrderBook),
 * each maintaining the same books from the same REST snapshots and the same recorded
 * diff stream (3 symbols, made by the sim's engine), in one thread, in the same run.
 * Both must end equal to the sim's books. Figures: messages/s, CPU µs per message, heap
 * bytes allocated per message; the ratio veloz / ccxt (issue target ≥ 5×, CI gate ≥ 2×).
 *
 * Run: node --expose-gc dist/bench/md-vs-ccxt.js [--ci]
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { SimExchange } from '../src/venues/sim/server/exchange.js';
import { stderrLog } from '../src/venues/sim/server/log.js';
import { allocationPerOp, stopAllocationObserver } from './lib/alloc.js';
import { CcxtBookPath, VelozBookPath } from './lib/book-paths.js';
import { catalogSymbols, generateDepthSession } from './lib/depth-session.js';
import { isCiRun, markdownTable, writeResults, type BenchFigure } from './lib/results.js';

const ci = isCiRun();
const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'DOGEUSDT'];
const TIMED = ci ? 100_000 : 400_000;
const ALLOC_N = ci ? 2000 : 5000;
/** Frames for set-up (the books ask for and get their snapshots) before the clock starts. */
const SETUP = 200;
const PASSES = 3;

interface PassResult {
  msgsPerSec: number;
  cpuUsPerMsg: number;
  gcs: number;
}

let gcCount = 0;
const gcObserver = new PerformanceObserver((list) => {
  gcCount += list.getEntries().length;
});
gcObserver.observe({ entryTypes: ['gc'] });

function timed(feed: (from: number, to: number) => void, from: number, to: number): PassResult {
  const gc0 = gcCount;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  feed(from, to);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const n = to - from;
  return { msgsPerSec: (n * 1000) / wall, cpuUsPerMsg: (cpu.user + cpu.system) / n, gcs: gcCount - gc0 };
}

const total = SETUP + TIMED + 17 * ALLOC_N + 1000;
const t0 = performance.now();
const session = generateDepthSession({ seed: 7, symbols: catalogSymbols(SYMBOLS), count: total, combined: false });
console.log(`session: ${session.frames.length} raw depthUpdate frames over ${SYMBOLS.length} symbols, ${session.meanFrameBytes.toFixed(0)} bytes on average (${(performance.now() - t0).toFixed(0)} ms to record)`);

// ccxt loads its markets from exchangeInfo: served by a sim listing the same symbols.
const sim = await SimExchange.start({ port: 0, plugins: [], rate: 0, symbols: SYMBOLS, log: stderrLog('error') });

const velozRuns: PassResult[] = [];
const ccxtRuns: PassResult[] = [];
let velozAlloc = { bytes: NaN, gcs: 0 };
let ccxtAlloc = { bytes: NaN, gcs: 0 };
const problems: string[] = [];
for (let pass = 0; pass < PASSES; pass++) {
  const veloz = new VelozBookPath(session);
  veloz.feed(0, SETUP);
  veloz.drain();
  velozRuns.push(timed((a, b) => (veloz.feed(a, b), veloz.drain()), SETUP, SETUP + TIMED));
  let at = SETUP + TIMED;
  if (pass === 0) velozAlloc = await allocationPerOp((n) => (veloz.feed(at, at + n), (at += n)), ALLOC_N);
  veloz.feed(at, session.frames.length);
  problems.push(...veloz.compare().map((p) => `veloz: ${p}`));
  if (veloz.gaps !== 0) problems.push(`veloz: ${veloz.gaps} gaps`);

  const cc = await CcxtBookPath.create(session, sim.url);
  cc.feed(0, SETUP);
  ccxtRuns.push(timed((a, b) => cc.feed(a, b), SETUP, SETUP + TIMED));
  at = SETUP + TIMED;
  if (pass === 0) ccxtAlloc = await allocationPerOp((n) => (cc.feed(at, at + n), (at += n)), ALLOC_N);
  cc.feed(at, session.frames.length);
  problems.push(...cc.compare(50).map((p) => `ccxt: ${p}`));
  await cc.close();
  console.log(
    `pass ${pass + 1}: veloz ${Math.round(velozRuns[pass]!.msgsPerSec)} msgs/s ${velozRuns[pass]!.cpuUsPerMsg.toFixed(2)} µs CPU/msg (${velozRuns[pass]!.gcs} gc); ` +
      `ccxt ${Math.round(ccxtRuns[pass]!.msgsPerSec)} msgs/s ${ccxtRuns[pass]!.cpuUsPerMsg.toFixed(2)} µs CPU/msg (${ccxtRuns[pass]!.gcs} gc)`,
  );
}
await sim.stop();
gcObserver.disconnect();
stopAllocationObserver();
if (problems.length > 0) {
  console.error(`books differ from the sim's:\n${[...new Set(problems)].join('\n')}`);
  process.exit(1);
}

// Best pass of each side: the machine is shared, and a pass that lost its core says
// nothing about either implementation.
const best = (runs: PassResult[]): PassResult => runs.reduce((a, b) => (b.msgsPerSec > a.msgsPerSec ? b : a));
const leastCpu = (runs: PassResult[]): number => Math.min(...runs.map((r) => r.cpuUsPerMsg));
const v = best(velozRuns);
const c = best(ccxtRuns);
const vCpu = leastCpu(velozRuns);
const cCpu = leastCpu(ccxtRuns);
const figures: BenchFigure[] = [
  {
    metric: 'veloz vs ccxt msgs/s (decode + sync + book, one thread)',
    unit: 'msgs/s',
    value: Math.round(v.msgsPerSec),
    baseline: { name: 'ccxt 4.5.84 pro binance handleOrderBook (its ws parsing included)', value: Math.round(c.msgsPerSec) },
  },
  {
    metric: 'veloz vs ccxt CPU per message',
    unit: 'µs',
    value: Number(vCpu.toFixed(3)),
    baseline: { name: 'ccxt CPU µs per message', value: Number(cCpu.toFixed(3)) },
    ratio: cCpu / vCpu,
  },
  { metric: 'veloz heap bytes per message', unit: 'B/msg', value: Number(velozAlloc.bytes.toFixed(2)), baseline: null },
  { metric: 'veloz gc runs during the allocation measurement', unit: 'count', value: velozAlloc.gcs, baseline: null },
  { metric: 'ccxt heap bytes per message', unit: 'B/msg', value: Math.round(ccxtAlloc.bytes), baseline: null },
  { metric: 'gc runs per 100k msgs (timed pass): veloz', unit: 'count', value: Number(((v.gcs * 100_000) / TIMED).toFixed(1)), baseline: null },
  { metric: 'gc runs per 100k msgs (timed pass): ccxt', unit: 'count', value: Number(((c.gcs * 100_000) / TIMED).toFixed(1)), baseline: null },
  { metric: 'frame bytes (mean)', unit: 'bytes', value: Math.round(session.meanFrameBytes), baseline: null },
];
const entries = writeResults('md-vs-ccxt', figures);
console.log(markdownTable(entries));
process.exit(0);
