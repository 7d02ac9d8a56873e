/**
 * The object keys the Binance decoder reads, matched on raw bytes (an escaped spelling
 * is an unknown key). Same ids and rules as native/core/binance_fields.h.
 */
export const Field = {
  e: 0,
  E: 1,
  T: 2,
  s: 3,
  U: 4,
  u: 5,
  pu: 6,
  b: 7,
  a: 8,
  B: 9,
  A: 10,
  t: 11,
  p: 12,
  q: 13,
  m: 14,
  f: 15,
  l: 16,
  lastUpdateId: 17,
  bids: 18,
  asks: 19,
  stream: 20,
  data: 21,
  result: 22,
  id: 23,
  error: 24,
} as const;
export const FIELD_COUNT = 25;

/** Level lists: the array under b, a, bids or asks. */
export const LevelSide = { b: 0, a: 1, bids: 2, asks: 3 } as const;
export const LEVEL_SIDE_COUNT = 4;

export function levelSideOf(field: number): number {
  switch (field) {
    case Field.b:
      return LevelSide.b;
    case Field.a:
      return LevelSide.a;
    case Field.bids:
      return LevelSide.bids;
    case Field.asks:
      return LevelSide.asks;
    default:
      return -1;
  }
}

const ONE_BYTE: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (const k of ['e', 'E', 'T', 's', 'U', 'u', 'b', 'a', 'B', 'A', 't', 'p', 'q', 'm', 'f', 'l'] as const) t[k.charCodeAt(0)] = Field[k];
  return t;
})();

const LONGER: ReadonlyArray<readonly [Uint8Array, number]> = (['pu', 'id', 'bids', 'asks', 'data', 'error', 'stream', 'result', 'lastUpdateId'] as const).map(
  (k) => [Uint8Array.from(k, (c) => c.charCodeAt(0)), Field[k]] as const,
);

/** Field id of the key bytes[start, end), or -1. */
export function fieldOf(bytes: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n === 1) {
    const c = bytes[start]!;
    return c < 128 ? ONE_BYTE[c]! : -1;
  }
  for (const [key, id] of LONGER) {
    if (key.length !== n) continue;
    let k = 0;
    while (k < n && bytes[start + k] === key[k]) k++;
    if (k === n) return id;
  }
  return -1;
}
