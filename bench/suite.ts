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
  {
    name: 'wal-append',
    file: 'wal-append.js',
    ci: true,
    gates: [
      {
        metric: 'group-commit throughput vs always',
        minRatio: 100,
        why: "group commit measured 340x (fsync ~0.14 ms) to 5000x (fsync ~2.5 ms, loaded disk) the records/s of fsync 'always' here; a third of the low end. Below it, group commit has degraded towards one fsync per record (on a disk whose fsync is under ~40 µs, or tmpfs, the ratio is naturally lower)",
      },
      {
        metric: 'none throughput vs naive writeSync',
        minRatio: 1.5,
        why: "fsync 'none' through the ring measured 4.3-8x one fs.writeSync per record; at 1.5x the batching has stopped paying",
      },
    ],
  },
];
