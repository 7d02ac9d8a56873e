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
];
