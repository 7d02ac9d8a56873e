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
    name: 'risk-check',
    file: 'risk-check.js',
    ci: true,
    gates: [
      {
        metric: 'risk-check-throughput',
        minRatio: 0.01,
        why: 'the full NEW check (all checks, 20 open orders) measured 0.03-0.04x the throughput of its token bucket alone (175-200 ns vs 7 ns); below 0.01 it is ~4x slower, i.e. bigint or allocation crept into the common path',
      },
    ],
  },
];
