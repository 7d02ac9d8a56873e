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
  // Binance exec adapter against the sim: place→ack via the WS API vs via REST, and the internal part of place().
  {
    name: 'exec-roundtrip',
    file: 'exec-roundtrip.js',
    ci: true,
    gates: [
      {
        metric: 'wsapi_vs_rest_place_rtt_p50_speedup',
        minRatio: 1.1,
        why: 'the WS API round trip measured 1.6-1.8x faster than REST on a loaded 2-core VM; at par or worse the WS path (framing, signing, reply matching) has regressed',
      },
    ],
  },
];
