/** Book side as a small integer, so level events and shared memory can carry it as a word. */
export const Side = { BID: 0, ASK: 1 } as const;
export type Side = (typeof Side)[keyof typeof Side];

/**
 * What one level update did to a side. Returned (never thrown) on the hot path so the
 * book worker can count outcomes without allocating.
 */
export const LevelResult = {
  UPDATED: 0,
  INSERTED: 1,
  DELETED: 2,
  /** qty 0 for a price the side does not hold: normal on Binance ("delete an absent level"). */
  ABSENT: 3,
  /** The level lies beyond the side's capacity and was not stored (counted). */
  DROPPED_FAR: 4,
  /** Not a positive safe-integer price / non-negative safe-integer qty, or off the tick grid. */
  REJECTED: 5,
} as const;
export type LevelResult = (typeof LevelResult)[keyof typeof LevelResult];
