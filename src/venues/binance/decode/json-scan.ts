/**
 * Step 1 of the TS decoder, the twin of native/core/binance_skeleton.cc: one strict
 * RFC 8259 pass over the whole frame, recording the tokens of the keys the decoder
 * reads (root object, and the "data" object of a combined stream) and every
 * [price, qty] level. Accepts exactly what the native walk accepts: valid UTF-8, no
 * byte-order mark, every scalar spelled as the RFC says, containers at most
 * MAX_JSON_DEPTH deep (root = 1), nothing after the root value. Allocates only when a
 * message has more levels than any before it.
 */
import { MAX_JSON_DEPTH } from './codes.js';
import { FIELD_COUNT, Field, LEVEL_SIDE_COUNT, fieldOf, levelSideOf } from './fields.js';

/** Token kinds (the char codes the native side uses); 0 = field absent. */
export const Tok = {
  ABSENT: 0,
  STRING: 0x73,
  NUMBER: 0x6e,
  TRUE: 0x74,
  FALSE: 0x66,
  NULL: 0x7a,
  OBJECT: 0x6f,
  ARRAY: 0x61,
} as const;

/** Per level: price kind/start/end, qty kind/start/end, inner element count, is-array. */
export const LEVEL_STRIDE = 8;
export const Lv = { PRICE_KIND: 0, PRICE_START: 1, PRICE_END: 2, QTY_KIND: 3, QTY_START: 4, QTY_END: 5, ELEMENTS: 6, IS_ARRAY: 7 } as const;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isHex(c: number): boolean {
  return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

/** Well-formed UTF-8 (Unicode table 3-7), as simdjson's stage 1 checks it. */
export function validUtf8(b: Uint8Array, n: number): boolean {
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return false;
    if (i + need >= n) return false;
    const c1 = b[i + 1]!;
    if (c1 < lo || c1 > hi) return false;
    for (let k = 2; k <= need; k++) {
      const ck = b[i + k]!;
      if (ck < 0x80 || ck > 0xbf) return false;
    }
    i += need + 1;
  }
  return true;
}

export class SkeletonScan {
  /** Per table (0 root, 1 data) and field: Tok kind, and the token's byte range. */
  readonly kind = new Uint8Array(2 * FIELD_COUNT);
  readonly start = new Int32Array(2 * FIELD_COUNT);
  readonly end = new Int32Array(2 * FIELD_COUNT);
  readonly duplicate = new Uint8Array(2);
  /** Per table and level side: first level index and count. */
  readonly levelBegin = new Int32Array(2 * LEVEL_SIDE_COUNT);
  readonly levelCount = new Int32Array(2 * LEVEL_SIDE_COUNT);
  levels = new Int32Array(LEVEL_STRIDE * 256);
  levelsUsed = 0;
  rootIsObject = false;

  private b: Uint8Array = new Uint8Array(0);
  private n = 0;
  private i = 0;

  /** Walks frame; false when it is not valid JSON. */
  scan(frame: Uint8Array): boolean {
    this.kind.fill(0);
    this.duplicate.fill(0);
    this.levelBegin.fill(0);
    this.levelCount.fill(0);
    this.levelsUsed = 0;
    this.rootIsObject = false;
    this.b = frame;
    this.n = frame.length;
    this.i = 0;
    if (!validUtf8(frame, this.n)) return false;
    this.skipSpace();
    if (this.i >= this.n) return false;
    const c = this.b[this.i]!;
    let ok: boolean;
    if (c === LBRACE) {
      ok = this.table(0, 1);
      this.rootIsObject = ok;
    } else if (c === LBRACKET) {
      ok = this.array(1);
    } else {
      ok = this.scalar(-1, -1);
    }
    if (!ok) {
      this.rootIsObject = false;
      return false;
    }
    this.skipSpace();
    return this.i === this.n;
  }

  private skipSpace(): void {
    while (this.i < this.n && isSpace(this.b[this.i]!)) this.i++;
  }

  /** Any value at this.i; `depth` is the depth of the container holding it. */
  private value(depth: number): boolean {
    const c = this.b[this.i];
    if (c === LBRACE) return depth + 1 <= MAX_JSON_DEPTH && this.object(depth + 1);
    if (c === LBRACKET) return depth + 1 <= MAX_JSON_DEPTH && this.array(depth + 1);
    return this.scalar(-1, -1);
  }

  /** A string at this.i (on its quote); returns the content end, or -1. */
  private string(): number {
    const b = this.b;
    const n = this.n;
    let j = this.i + 1;
    for (;;) {
      if (j >= n) return -1;
      const c = b[j]!;
      if (c === QUOTE) break;
      if (c < 0x20) return -1;
      if (c === BACKSLASH) {
        j++;
        if (j >= n) return -1;
        const e = b[j]!;
        if (e === 0x75) {
          if (j + 4 >= n) return -1;
          for (let k = 1; k <= 4; k++) if (!isHex(b[j + k]!)) return -1;
          j += 5;
        } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
          j++;
        } else {
          return -1;
        }
        continue;
      }
      j++;
    }
    this.i = j + 1;
    return j;
  }

  /** A number at this.i; false if the grammar is broken. */
  private number(): boolean {
    const b = this.b;
    let i = this.i;
    if (b[i] === MINUS) i++;
    const c = b[i];
    if (c === 0x30) i++;
    else if (c !== undefined && c >= 0x31 && c <= 0x39) while (isDigit(b[i] ?? -1)) i++;
    else return false;
    if (b[i] === DOT) {
      const s = ++i;
      while (isDigit(b[i] ?? -1)) i++;
      if (i === s) return false;
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++;
      if (b[i] === PLUS || b[i] === MINUS) i++;
      const s = i;
      while (isDigit(b[i] ?? -1)) i++;
      if (i === s) return false;
    }
    this.i = i;
    return true;
  }

  private literal(word: string): boolean {
    for (let k = 0; k < word.length; k++) if (this.b[this.i + k] !== word.charCodeAt(k)) return false;
    this.i += word.length;
    return true;
  }

  /**
   * A string, number or literal at this.i. With slot >= 0 its kind and range are
   * recorded in kind/start/end[slot]; with slot -1 and level >= 0, as the level's price
   * (part 0) or qty (part 1).
   */
  private scalar(slot: number, levelField: number): boolean {
    const c = this.b[this.i];
    const at = this.i;
    let kind: number;
    let s = at;
    let e: number;
    if (c === QUOTE) {
      e = this.string();
      if (e < 0) return false;
      s = at + 1;
      kind = Tok.STRING;
    } else if (c === MINUS || (c !== undefined && isDigit(c))) {
      if (!this.number()) return false;
      e = this.i;
      kind = Tok.NUMBER;
    } else if (c === 0x74) {
      if (!this.literal('true')) return false;
      e = this.i;
      kind = Tok.TRUE;
    } else if (c === 0x66) {
      if (!this.literal('false')) return false;
      e = this.i;
      kind = Tok.FALSE;
    } else if (c === 0x6e) {
      if (!this.literal('null')) return false;
      e = this.i;
      kind = Tok.NULL;
    } else {
      return false;
    }
    if (slot >= 0) {
      this.kind[slot] = kind;
      this.start[slot] = s;
      this.end[slot] = e;
    } else if (levelField >= 0) {
      this.levels[levelField] = kind;
      this.levels[levelField + 1] = s;
      this.levels[levelField + 2] = e;
    }
    return true;
  }

  /** After a member: ',' (true, more follow) or the closing byte (false, done); -1 broken. */
  private next(close: number): number {
    this.skipSpace();
    const c = this.b[this.i];
    if (c === COMMA) {
      this.i++;
      this.skipSpace();
      return 1;
    }
    if (c === close) {
      this.i++;
      return 0;
    }
    return -1;
  }

  /** Opens a container at this.i; true if it is empty (and already closed). */
  private opensEmpty(close: number): boolean {
    this.i++;
    this.skipSpace();
    if (this.b[this.i] === close) {
      this.i++;
      return true;
    }
    return false;
  }

  /** A key and its colon; returns the key's content end (start is `keyStart`), or -1. */
  private key(): number {
    if (this.b[this.i] !== QUOTE) return -1;
    const e = this.string();
    if (e < 0) return -1;
    this.skipSpace();
    if (this.b[this.i] !== COLON) return -1;
    this.i++;
    this.skipSpace();
    return e;
  }

  /** An object of no interest; `depth` is its own depth. */
  private object(depth: number): boolean {
    if (this.opensEmpty(RBRACE)) return true;
    for (;;) {
      if (this.key() < 0 || !this.value(depth)) return false;
      const more = this.next(RBRACE);
      if (more < 0) return false;
      if (more === 0) return true;
    }
  }

  private array(depth: number): boolean {
    if (this.opensEmpty(RBRACKET)) return true;
    for (;;) {
      if (!this.value(depth)) return false;
      const more = this.next(RBRACKET);
      if (more < 0) return false;
      if (more === 0) return true;
    }
  }

  /** The root object (which 0) or the root's "data" object (which 1). */
  private table(which: number, depth: number): boolean {
    if (this.opensEmpty(RBRACE)) return true;
    const base = which * FIELD_COUNT;
    for (;;) {
      const keyStart = this.i + 1;
      const keyEnd = this.key();
      if (keyEnd < 0) return false;
      const id = fieldOf(this.b, keyStart, keyEnd);
      if (id < 0) {
        if (!this.value(depth)) return false;
      } else if (this.kind[base + id] !== Tok.ABSENT) {
        this.duplicate[which] = 1;
        if (!this.value(depth)) return false;
      } else {
        const c = this.b[this.i];
        if (c === LBRACE) {
          this.kind[base + id] = Tok.OBJECT;
          if (id === Field.data && which === 0) {
            if (depth + 1 > MAX_JSON_DEPTH || !this.table(1, depth + 1)) return false;
          } else if (!this.value(depth)) {
            return false;
          }
        } else if (c === LBRACKET) {
          this.kind[base + id] = Tok.ARRAY;
          const side = levelSideOf(id);
          if (side < 0) {
            if (!this.value(depth)) return false;
          } else if (!this.levelList(depth + 1, which, side)) {
            return false;
          }
        } else if (!this.scalar(base + id, -1)) {
          return false;
        }
      }
      const more = this.next(RBRACE);
      if (more < 0) return false;
      if (more === 0) return true;
    }
  }

  private newLevel(): number {
    const at = this.levelsUsed * LEVEL_STRIDE;
    if (at + LEVEL_STRIDE > this.levels.length) {
      const grown = new Int32Array(this.levels.length * 2);
      grown.set(this.levels);
      this.levels = grown;
    }
    this.levels.fill(0, at, at + LEVEL_STRIDE);
    this.levelsUsed++;
    return at;
  }

  /** [[price, qty, ...], ...]; `depth` is the depth of the outer array. */
  private levelList(depth: number, which: number, side: number): boolean {
    if (depth > MAX_JSON_DEPTH) return false;
    const begin = this.levelsUsed;
    if (!this.opensEmpty(RBRACKET)) {
      for (;;) {
        const at = this.newLevel();
        if (this.b[this.i] !== LBRACKET) {
          if (!this.value(depth)) return false;
        } else {
          if (depth + 1 > MAX_JSON_DEPTH) return false;
          this.levels[at + Lv.IS_ARRAY] = 1;
          if (!this.opensEmpty(RBRACKET)) {
            let elements = 0;
            for (;;) {
              if (elements < 2) {
                const part = at + (elements === 0 ? Lv.PRICE_KIND : Lv.QTY_KIND);
                const c = this.b[this.i];
                if (c === LBRACE || c === LBRACKET) {
                  this.levels[part] = c === LBRACE ? Tok.OBJECT : Tok.ARRAY;
                  if (!this.value(depth + 1)) return false;
                } else if (!this.scalar(-1, part)) {
                  return false;
                }
              } else if (!this.value(depth + 1)) {
                return false;
              }
              elements++;
              const more = this.next(RBRACKET);
              if (more < 0) return false;
              if (more === 0) break;
            }
            this.levels[at + Lv.ELEMENTS] = elements;
          }
        }
        const more = this.next(RBRACKET);
        if (more < 0) return false;
        if (more === 0) break;
      }
    }
    const k = which * LEVEL_SIDE_COUNT + side;
    this.levelBegin[k] = begin;
    this.levelCount[k] = this.levelsUsed - begin;
    return true;
  }
}
