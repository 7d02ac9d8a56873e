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
    name: 'decode',
    file: 'decode.js',
    ci: true,
    gates: [{ metric: 'native decode vs JSON.parse + BigInt', minRatio: 3, why: 'native decode stays ≥ 3× JSON.parse' }],
  },
];
