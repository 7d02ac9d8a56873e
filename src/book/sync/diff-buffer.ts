/**
 * Bounded FIFO of diffs that arrived before the snapshot could be applied. Preallocated:
 * buffering allocates nothing. Headers are update ids and times (numbers < 2^53); levels
 * are stored as [side, price lo, price hi, qty lo, qty hi] words like the md ring.
 */
import { TWO32 } from '../int64-words.js';

const HEADER = 5; // U, u, pu, time, level end
const LEVEL_WORDS = 5;

export class DiffBuffer {
  readonly maxMessages: number;
  readonly maxLevels: number;
  private readonly headers: Float64Array;
  private readonly levels: Uint32Array;
  /** First live message (messages before it were consumed). */
  private head = 0;
  private tail = 0;
  private levelTail = 0;
  private openStart = -1;

  constructor(maxMessages: number, maxLevels: number) {
    this.maxMessages = maxMessages;
    this.maxLevels = maxLevels;
    this.headers = new Float64Array(maxMessages * HEADER);
    this.levels = new Uint32Array(maxLevels * LEVEL_WORDS);
  }

  get size(): number {
    return this.tail - this.head;
  }

  /** Final update id of the newest buffered diff (-1 when empty). */
  lastFinalId(): number {
    return this.tail === this.head ? -1 : this.headers[(this.tail - 1) * HEADER + 1]!;
  }

  clear(): void {
    this.head = this.tail = this.levelTail = 0;
    this.openStart = -1;
  }

  /** Starts a message; false when the message table is full. */
  open(firstId: number, finalId: number, prevFinalId: number, time: number): boolean {
    if (this.tail === this.maxMessages) this.compact();
    if (this.tail === this.maxMessages) return false;
    const h = this.tail * HEADER;
    this.headers[h] = firstId;
    this.headers[h + 1] = finalId;
    this.headers[h + 2] = prevFinalId;
    this.headers[h + 3] = time;
    this.openStart = this.levelTail;
    return true;
  }

  /** Adds a level to the open message; false when the level store is full. */
  push(side: number, price: number, qty: number): boolean {
    if (this.levelTail === this.maxLevels) this.compact();
    if (this.levelTail === this.maxLevels) return false;
    const o = this.levelTail * LEVEL_WORDS;
    const l = this.levels;
    l[o] = side;
    const plo = price >>> 0;
    l[o + 1] = plo;
    l[o + 2] = (price - plo) / TWO32;
    const qlo = qty >>> 0;
    l[o + 3] = qlo;
    l[o + 4] = (qty - qlo) / TWO32;
    this.levelTail++;
    return true;
  }

  /** Commits the open message. */
  close(): void {
    this.headers[this.tail * HEADER + 4] = this.levelTail;
    this.tail++;
    this.openStart = -1;
  }

  /** Drops the open message's levels. */
  abandon(): void {
    if (this.openStart >= 0) this.levelTail = this.openStart;
    this.openStart = -1;
  }

  firstId(i: number): number {
    return this.headers[(this.head + i) * HEADER]!;
  }
  finalId(i: number): number {
    return this.headers[(this.head + i) * HEADER + 1]!;
  }
  prevFinalId(i: number): number {
    return this.headers[(this.head + i) * HEADER + 2]!;
  }
  time(i: number): number {
    return this.headers[(this.head + i) * HEADER + 3]!;
  }
  /** Level index range [levelStart(i), levelEnd(i)) of buffered message i. */
  levelStart(i: number): number {
    const m = this.head + i;
    return m === 0 ? 0 : this.headers[(m - 1) * HEADER + 4]!;
  }
  levelEnd(i: number): number {
    return this.headers[(this.head + i) * HEADER + 4]!;
  }
  levelSide(j: number): number {
    return this.levels[j * LEVEL_WORDS]!;
  }
  levelPrice(j: number): number {
    return this.levels[j * LEVEL_WORDS + 1]! + this.levels[j * LEVEL_WORDS + 2]! * TWO32;
  }
  levelQty(j: number): number {
    return this.levels[j * LEVEL_WORDS + 3]! + this.levels[j * LEVEL_WORDS + 4]! * TWO32;
  }

  /** Consumes the `n` oldest messages. */
  consume(n: number): void {
    this.head += n;
    if (this.head === this.tail && this.openStart < 0) this.clear();
  }

  /** Moves the live messages (and the open one's levels) to the front of the stores. */
  private compact(): void {
    if (this.head === 0) return;
    const firstLevel = this.levelStart(0);
    const h = this.headers;
    const last = this.openStart >= 0 ? this.tail + 1 : this.tail; // the open message's header too
    for (let m = this.head; m < last; m++) {
      const from = m * HEADER;
      const to = (m - this.head) * HEADER;
      for (let k = 0; k < HEADER; k++) h[to + k] = h[from + k]!;
      if (m < this.tail) h[to + 4] = h[to + 4]! - firstLevel;
    }
    this.levels.copyWithin(0, firstLevel * LEVEL_WORDS, this.levelTail * LEVEL_WORDS);
    this.levelTail -= firstLevel;
    if (this.openStart >= 0) this.openStart -= firstLevel;
    this.tail -= this.head;
    this.head = 0;
  }
}
