/**
 * Kline periods, aligned to the UTC epoch: a candle of period P opens at a multiple of
 * P milliseconds since 1970-01-01T00:00Z (so 1d candles open at 00:00 UTC and 4h ones
 * at 00:00, 04:00, …) and covers [open, open + P).
 */
export const KLINE_PERIODS = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;
export type KlinePeriod = (typeof KLINE_PERIODS)[number];

export const PERIOD_MS: Readonly<Record<KlinePeriod, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};

export function isKlinePeriod(s: string): s is KlinePeriod {
  return (KLINE_PERIODS as readonly string[]).includes(s);
}

/** Open time of the candle of `period` that contains `timeMs`. */
export function periodOpenMs(timeMs: number, period: KlinePeriod): number {
  const p = PERIOD_MS[period];
  return timeMs - (((timeMs % p) + p) % p);
}
