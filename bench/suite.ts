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
];
