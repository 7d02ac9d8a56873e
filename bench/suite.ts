/**
 * Every benchmark the runner knows. Each runs as its own process (`node dist/bench/<file>`,
 * plus `--ci` for the short form) and writes bench/results/<name>.json.
 *
 * `gates` are the gross-regression checks of `npm run bench:ci`: a ratio measured in the
 * same run must stay at or above `minRatio`. Never an absolute time: the machines are
 * shared and noisy.
 */
export interface RatioGate {
  metric: string;
  minRatio: number;
  why: string;
}

export interface BenchSpec {
  name: string;
  file: string;
  /** Part of `npm run bench:ci`. */
  ci: boolean;
  gates: RatioGate[];
}

export const SUITE: BenchSpec[] = [
  {
    name: 'decimal',
    file: 'decimal.js',
    ci: true,
    gates: [
      {
        metric: 'native batch parse vs ts parseDecimal',
        minRatio: 1.5,
        why: 'native batch parse measured 3-8x TS parseDecimal (4.5-7.7x on a quiet run); below 1.5x the batch path has lost its point',
      },
      {
        metric: 'ts parseDecimalAscii vs ts parseDecimal',
        minRatio: 1.0,
        why: 'the allocation-free parser measured 2.2-3.4x parseDecimal; slower than the bigint parser means a regression',
      },
    ],
  },
  {
    name: 'metrics-record',
    file: 'metrics-record.js',
    ci: true,
    gates: [
      {
        metric: 'histogram-record-throughput',
        minRatio: 1,
        why: 'recording a latency into the shared HDR histogram must not cost more than prom-client Histogram.observe',
      },
    ],
  },
  { name: 'schema-access', file: 'schema-access.js', ci: true, gates: [] },
  // WebSocket API order.place / order.cancel round trips against a ws echo floor (latency: no ratio gate).
  { name: 'sim-orderentry', file: 'sim-orderentry.js', ci: true, gates: [] },
  // Sim market data to one ws client: live generated depth and replay of pre-built frames.
  {
    name: 'sim-throughput',
    file: 'sim-throughput.js',
    ci: true,
    gates: [
      {
        metric: 'replay_msgs_per_s',
        minRatio: 1.2,
        why: 'the sim replay (uWS, corked batches) must stay clearly ahead of a ws server sending the same frames',
      },
    ],
  },
  {
    name: 'ring-throughput',
    file: 'ring-throughput.js',
    ci: true,
    gates: [
      {
        metric: 'SPSC ring throughput, batched publication',
        minRatio: 5,
        why: 'the batched SPSC ring measured 54-64x worker postMessage on the busy 2-core VM (target 20x); below 5x batching or the hot path has regressed grossly',
      },
    ],
  },
  {
    name: 'ring-latency',
    file: 'ring-latency.js',
    ci: true,
    gates: [
      {
        metric: 'one-way p50 speed-up vs postMessage',
        minRatio: 2,
        why: 'a spinning ring consumer measured 14-17x postMessage (best trial) when it had a core and 2.6-3.2x when the 2-core VM was oversubscribed (a context switch per hop); below 2x even the oversubscribed case has regressed',
      },
    ],
  },
  {
    // Gated inside the benchmark (exit code): more than 0.5 B/event or 3 GCs per 10M
    // events on a ring path fails, and so does a control that shows no allocation.
    name: 'ring-alloc',
    file: 'ring-alloc.js',
    ci: true,
    gates: [],
  },
  {
    name: 'book-apply',
    file: 'book-apply.js',
    ci: true,
    gates: [
      // Measured on the 2-core VM (Node 20): window ≈ 200×, sorted ≈ 80× the Map book
      // that sorts its keys for the top 20 after every message. Gates at ~1/3.
      { metric: 'level_updates_per_s[window/dense]', minRatio: 60, why: 'shared-book window layout vs Map + sort for top-N' },
      { metric: 'level_updates_per_s[sorted/dense]', minRatio: 25, why: 'shared-book sorted layout vs Map + sort for top-N' },
    ],
  },
  {
    // Embedded PostgreSQL (durable settings) started inside the run: the --ci form takes ~7-11 s.
    name: 'store-trades',
    file: 'store-trades.js',
    ci: true,
    gates: [
      {
        metric: 'trades_rows_per_s[unnest]',
        minRatio: 2.5,
        why: 'one INSERT … unnest per 1000-row batch measured 7-12x prepared row-by-row INSERTs in one transaction; below 2.5x the batch path has regressed grossly',
      },
    ],
  },
];
