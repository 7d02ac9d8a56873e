/**
 * A hash map from safe-integer keys (order ids, price mantissas) to objects that allocates
 * only when it grows. A JS Map leaves a tombstone per delete and rebuilds its table every
 * few hundred inserts, which is most of the garbage of an add/cancel-heavy book; here
 * deletes shift the probe run back (linear probing, no tombstones).
 *
 *   keys:   Float64Array(capacity)   EMPTY_KEY (-1) marks a free slot
 *   values: (V | undefined)[]        same index as the key
 */
const EMPTY_KEY = -1;
const MIN_CAPACITY = 64;

export class IntMap<V> {
  private keys: Float64Array;
  private vals: (V | undefined)[];
  private mask: number;
  private count = 0;

  constructor(initialCapacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys = new Float64Array(cap).fill(EMPTY_KEY);
    this.vals = new Array<V | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Keys must be non-negative safe integers. */
  get(key: number): V | undefined {
    const keys = this.keys;
    for (let i = this.slot(key); ; i = (i + 1) & this.mask) {
      const k = keys[i] as number;
      if (k === key) return this.vals[i];
      if (k === EMPTY_KEY) return undefined;
    }
  }

  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  set(key: number, value: V): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    for (let i = this.slot(key); ; i = (i + 1) & this.mask) {
      const k = keys[i] as number;
      if (k === key) {
        this.vals[i] = value;
        return;
      }
      if (k === EMPTY_KEY) {
        keys[i] = key;
        this.vals[i] = value;
        this.count++;
        return;
      }
    }
  }

  delete(key: number): boolean {
    const keys = this.keys;
    const mask = this.mask;
    let i = this.slot(key);
    for (; ; i = (i + 1) & mask) {
      const k = keys[i] as number;
      if (k === key) break;
      if (k === EMPTY_KEY) return false;
    }
    // Backward-shift deletion: move later members of the probe run into the hole.
    let hole = i;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const k = keys[j] as number;
      if (k === EMPTY_KEY) break;
      const home = this.slot(k);
      // k may move into the hole only if its home is not cyclically in (hole, j].
      const between = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!between) {
        keys[hole] = k;
        this.vals[hole] = this.vals[j];
        hole = j;
      }
    }
    keys[hole] = EMPTY_KEY;
    this.vals[hole] = undefined;
    this.count--;
    return true;
  }

  *values(): IterableIterator<V> {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY_KEY) yield this.vals[i] as V;
  }

  private slot(key: number): number {
    // Fibonacci hashing of the low 32 bits mixed with the high bits.
    const lo = key % 4294967296;
    const hi = (key - lo) / 4294967296;
    return (Math.imul((lo | 0) ^ Math.imul(hi | 0, 0x85ebca6b), 0x9e3779b1) >>> 0) & this.mask;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = oldKeys.length * 2;
    this.keys = new Float64Array(cap).fill(EMPTY_KEY);
    this.vals = new Array<V | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i] as number;
      if (k !== EMPTY_KEY) this.set(k, oldVals[i] as V);
    }
  }
}
