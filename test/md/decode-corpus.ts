/**
 * Inputs for the decoder tests: the venue fixtures, generated Binance messages (random
 * symbols, levels, decimals, key order, whitespace, unknown fields with escapes), and
 * mutations of both (byte flips, truncations, splices, garbage). Seeded, so a failure
 * names a reproducible case.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DecoderInstrument } from '../../src/venues/binance/decode/index.js';

// dist/test/md -> test/md/fixtures
export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'md', 'fixtures', 'binance');

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURE_DIR, `${name}.stripped.json`));
}

export function scenario(name: string): { events: { msg: unknown }[] } {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.synthetic.json`), 'utf8')) as { events: { msg: unknown }[] };
}

export function allFixtures(): { name: string; bytes: Buffer }[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.stripped.json'))
    .sort()
    .map((f) => ({ name: f.replace('.stripped.json', ''), bytes: readFileSync(join(FIXTURE_DIR, f)) }));
}

/** Instruments of the fixtures plus a few more; scales as Binance's filters would give. */
export const INSTRUMENTS: DecoderInstrument[] = [
  { venueSymbol: 'BNBBTC', instrumentId: 1, priceScale: 8, qtyScale: 8 },
  { venueSymbol: 'BNBUSDT', instrumentId: 2, priceScale: 8, qtyScale: 8 },
  { venueSymbol: 'btcusdt', instrumentId: 3, priceScale: 4, qtyScale: 3 },
  { venueSymbol: 'BTCUSD_200626', instrumentId: 4, priceScale: 1, qtyScale: 0 },
  { venueSymbol: 'ETHBTC', instrumentId: 5, priceScale: 6, qtyScale: 4 },
  { venueSymbol: 'DOGEUSDT', instrumentId: 0xfffffffe, priceScale: 18, qtyScale: 0 },
];

/** mulberry32: small, fast, seedable. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A JSON string literal; text holding a \\u escape is kept raw, so the escape reaches the decoder. */
export function jstr(text: string): string {
  return text.includes('\\u') ? `"${text}"` : JSON.stringify(text);
}

function digits(rng: Rng, n: number, nonZeroFirst = false): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(i === 0 && nonZeroFirst ? 1 + rng.int(9) : rng.int(10));
  return s;
}

/** A decimal string: usually valid at `scale`, sometimes one digit too precise or odd. */
export function decimalText(rng: Rng, scale: number): string {
  const r = rng.next();
  if (r < 0.04) return rng.pick(['', '-1', '+1', '1e5', '.5', '5.', '1.2.3', '0x10', ' 1', '١', '1\\u0030', 'NaN']);
  const intPart = rng.chance(0.3) ? '0' : digits(rng, 1 + rng.int(6), true);
  const exact = rng.next() < 0.93;
  const frac = exact ? rng.int(scale + 1) : scale + 1 + rng.int(3);
  let f = digits(rng, frac);
  if (!exact) f = f.slice(0, -1) + String(1 + rng.int(9));
  if (rng.chance(0.2)) f += '0'.repeat(rng.int(6)); // trailing zeros past the scale are fine
  return f.length > 0 ? `${intPart}.${f}` : intPart;
}

const SPACES = ['', ' ', '\n', '\t', '\r\n', '  '];

/** A random JSON value for unknown fields: escapes, unicode, exponents, nesting. */
export function junkValue(rng: Rng, depth = 0): string {
  const r = rng.int(depth > 3 ? 6 : 8);
  switch (r) {
    case 0:
      return rng.pick(['true', 'false', 'null']);
    case 1:
      return rng.pick(['0', '-0', '12', '-3.5e+7', '1E-2', '1e400', '18446744073709551616', '0.000']);
    case 2:
      return JSON.stringify(rng.pick(['', 'plain', 'qu"ote', 'back\\slash', 'tab\tnl\n', 'é€😀', '\u0001', '</script>', '{"e":"trade"}']));
    case 3:
      return rng.pick(['"\\u0065"', '"\\ud83d\\ude00"', '"\\ud800"', '"\\/"', '"\\b\\f\\n\\r\\t"']);
    case 4:
      return rng.pick(['"depthUpdate"', '"BNBBTC"', '"0.001"']);
    case 5:
      return '""';
    case 6: {
      const n = rng.int(4);
      return `[${Array.from({ length: n }, () => junkValue(rng, depth + 1)).join(',')}]`;
    }
    default: {
      const n = rng.int(4);
      return `{${Array.from({ length: n }, (_, i) => `"k${i}":${junkValue(rng, depth + 1)}`).join(',')}}`;
    }
  }
}

function symbolText(rng: Rng): string {
  if (rng.chance(0.05)) return rng.pick(['XRPUSDT', '', 'BNB\\u0042TC', 'bnbbtc ', 'A'.repeat(41)]);
  const s = rng.pick(INSTRUMENTS).venueSymbol;
  const mode = rng.int(3);
  return mode === 0 ? s.toUpperCase() : mode === 1 ? s.toLowerCase() : s;
}

function scalesOf(symbol: string): [number, number] {
  const row = INSTRUMENTS.find((i) => i.venueSymbol.toUpperCase() === symbol.toUpperCase());
  return row ? [row.priceScale, row.qtyScale] : [8, 8];
}

function idText(rng: Rng): string {
  const r = rng.next();
  if (r < 0.03) return rng.pick(['-1', '1.5', '1e3', '"157"', '18446744073709551616', 'null', '01']);
  if (r < 0.06) return '18446744073709551615';
  return String(rng.int(2 ** 31) * (rng.chance(0.3) ? 1000 : 1));
}

function timeText(rng: Rng): string {
  const r = rng.next();
  if (r < 0.03) return rng.pick(['9223372036855', '-5', '1.0', '"1672515782136"']);
  if (r < 0.05) return '9223372036854';
  return String(1_600_000_000_000 + rng.int(200_000_000) * 1000 + rng.int(1000));
}

function levelsText(rng: Rng, n: number, ps: number, qs: number): string {
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.02) items.push(rng.pick(['[]', '["1"]', '[1,2]', '"x"', '{}', '[["1","2"]]', 'null']));
    else if (r < 0.04) items.push(`[${jstr(decimalText(rng, ps))},${jstr(decimalText(rng, qs))},[]]`);
    else items.push(`[${jstr(decimalText(rng, ps))},${sp(rng)}${jstr(rng.chance(0.15) ? '0.00000000' : decimalText(rng, qs))}]`);
  }
  return `[${items.join(',')}]`;
}

function sp(rng: Rng): string {
  return rng.chance(0.85) ? '' : rng.pick(SPACES);
}

/** Joins key/value pairs in a random order, with random whitespace and unknown fields. */
function objectText(rng: Rng, pairs: [string, string][]): string {
  const all = [...pairs];
  const extra = rng.int(3);
  for (let i = 0; i < extra; i++) all.push([rng.pick(['M', 'x', 'X', 'ps', 'nq', '\\u0065', 'E2', 'é']), junkValue(rng)]);
  for (let i = all.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  if (rng.chance(0.02) && all.length > 0) all.push(all[0]!); // duplicate key
  if (rng.chance(0.03) && all.length > 0) all.splice(rng.int(all.length), 1); // missing field
  return `{${sp(rng)}${all.map(([k, v]) => `"${k}"${sp(rng)}:${sp(rng)}${v}`).join(`${sp(rng)},${sp(rng)}`)}${sp(rng)}}`;
}

export type GeneratedKind = 'depth' | 'depthFutures' | 'trade' | 'aggTrade' | 'bookTicker' | 'shutdown' | 'reply' | 'snapshot';

/** One generated message; `snapshot` messages go through decodeSnapshotInto. */
export function generateMessage(rng: Rng, kind: GeneratedKind): string {
  const symbol = symbolText(rng);
  const [ps, qs] = scalesOf(symbol);
  const s = jstr(symbol);
  let payload: string;
  switch (kind) {
    case 'depth':
    case 'depthFutures': {
      const pairs: [string, string][] = [
        ['e', '"depthUpdate"'],
        ['E', timeText(rng)],
        ['s', s],
        ['U', idText(rng)],
        ['u', idText(rng)],
        ['b', levelsText(rng, rng.chance(0.1) ? 0 : rng.int(12), ps, qs)],
        ['a', levelsText(rng, rng.chance(0.1) ? 0 : rng.int(12), ps, qs)],
      ];
      if (kind === 'depthFutures') pairs.push(['T', timeText(rng)], ['pu', idText(rng)]);
      payload = objectText(rng, pairs);
      break;
    }
    case 'trade':
    case 'aggTrade': {
      const pairs: [string, string][] = [
        ['e', kind === 'trade' ? '"trade"' : '"aggTrade"'],
        ['E', timeText(rng)],
        ['s', s],
        ['p', jstr(decimalText(rng, ps))],
        ['q', jstr(decimalText(rng, qs))],
        ['T', timeText(rng)],
        ['m', rng.chance(0.97) ? rng.pick(['true', 'false']) : rng.pick(['1', '"true"', 'null'])],
      ];
      if (kind === 'trade') pairs.push(['t', idText(rng)]);
      else pairs.push(['a', idText(rng)], ['f', idText(rng)], ['l', idText(rng)]);
      payload = objectText(rng, pairs);
      break;
    }
    case 'bookTicker': {
      const pairs: [string, string][] = [
        ['u', idText(rng)],
        ['s', s],
        ['b', jstr(rng.chance(0.1) ? '0.00000000' : decimalText(rng, ps))],
        ['B', jstr(rng.chance(0.1) ? '0' : decimalText(rng, qs))],
        ['a', jstr(decimalText(rng, ps))],
        ['A', jstr(rng.chance(0.1) ? '0.000' : decimalText(rng, qs))],
      ];
      if (rng.chance(0.5)) pairs.push(['e', '"bookTicker"'], ['E', timeText(rng)], ['T', timeText(rng)]);
      payload = objectText(rng, pairs);
      break;
    }
    case 'shutdown':
      payload = objectText(rng, [
        ['e', '"serverShutdown"'],
        ['E', timeText(rng)],
      ]);
      break;
    case 'reply':
      return objectText(rng, rng.chance(0.7) ? [['result', rng.pick(['null', '[]', '["btcusdt@depth"]'])], ['id', rng.chance(0.1) ? 'null' : idText(rng)]] : [['error', '{"code":2,"msg":"Invalid request"}'], ['id', idText(rng)]]);
    case 'snapshot': {
      const pairs: [string, string][] = [
        ['lastUpdateId', idText(rng)],
        ['bids', levelsText(rng, rng.int(30), ps, qs)],
        ['asks', levelsText(rng, rng.int(30), ps, qs)],
      ];
      if (rng.chance(0.5)) pairs.push(['E', timeText(rng)], ['T', timeText(rng)]);
      return objectText(rng, pairs);
    }
  }
  if (rng.chance(0.35)) {
    const stream = JSON.stringify(`${symbol.toLowerCase()}@${kind}`);
    return objectText(rng, [
      ['stream', stream],
      ['data', payload],
    ]);
  }
  return payload;
}

export const GENERATED_KINDS: readonly GeneratedKind[] = ['depth', 'depthFutures', 'trade', 'aggTrade', 'bookTicker', 'shutdown', 'reply', 'snapshot'];

const INTERESTING = [...'{}[]:,"\\ 0123456789.-+eEtfnu'].map((c) => c.charCodeAt(0)).concat([0x00, 0x1f, 0x7f, 0x80, 0xbf, 0xc3, 0xed, 0xef, 0xf4, 0xff]);

/** A random damage to `bytes`: flips, insertions, deletions, splices, truncation. */
export function mutate(rng: Rng, bytes: Uint8Array): Uint8Array {
  const b = Array.from(bytes);
  const edits = 1 + rng.int(3);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(b.length + 1);
    switch (rng.int(6)) {
      case 0:
        if (b.length > 0) b[Math.min(at, b.length - 1)] = rng.int(256);
        break;
      case 1:
        if (b.length > 0) b[Math.min(at, b.length - 1)] = rng.pick(INTERESTING);
        break;
      case 2:
        b.splice(at, 0, rng.pick(INTERESTING));
        break;
      case 3:
        b.splice(at, 1 + rng.int(4));
        break;
      case 4: {
        const from = rng.int(b.length + 1);
        b.splice(at, 0, ...b.slice(from, from + 1 + rng.int(12)));
        break;
      }
      default:
        b.length = Math.min(b.length, at);
    }
  }
  return Uint8Array.from(b);
}

export function garbage(rng: Rng): Uint8Array {
  const n = rng.int(64);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.chance(0.5) ? rng.pick(INTERESTING) : rng.int(256);
  return out;
}
