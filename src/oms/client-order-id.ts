/**
 * Client order ids: the text we send as the venue's client order id, unique across
 * restarts (it carries the WAL sequence of the order's creation record, which only grows),
 * naming the owning strategy, and valid for any venue that accepts letters and digits.
 *
 *   "vz" │ L │ tag (L chars) │ seq in base 36
 *    2     1    1..8            1..13            ≤ 24 chars = the ExecReport text field
 *
 *   e.g. strategy tag "mm1", seq 1 234 567 → "vz3mm1qglj"
 *
 * - "vz" marks our ids, so reconciliation can tell them from orders placed by hand.
 * - The tag is the strategy's short stable code ([a-z0-9], config-assigned, or the base-36
 *   of a u16 id): orders belong to a strategy name, not to a worker, so the tag must not
 *   change across restarts or hot swaps.
 * - The length digit L makes the split unambiguous with no separator character, which
 *   some venues refuse (OKX allows letters and digits only).
 * - seq is a u64 ≥ 1 (0 is CLIENT_ORDER_ID_UNDEF) without leading zeros, so every
 *   (tag, seq) has exactly one text and decode(encode(x)) = x.
 *
 * Uniqueness rests on the WAL: a fresh WAL restarts the sequence, so a new state
 * directory on an account with history needs a new tag (or a venue that forgets old ids).
 */
import { SchemaLimits } from '../core/schema/constants.js';

export const CLIENT_ID_PREFIX = 'vz';
export const MAX_TAG_LENGTH = 8;
/** Longest id we produce: it must fit the ExecReport's verbatim text field. */
export const MAX_CLIENT_ID_LENGTH = SchemaLimits.CLIENT_ORDER_ID_TEXT_BYTES;
const U64_MAX = 2n ** 64n - 1n;
const MAX_SEQ_DIGITS = 13; // 36^13 > 2^64

export interface ClientIdRules {
  readonly venue: string;
  readonly maxLength: number;
  /** The venue's accepted form; our ids use [a-z0-9] only. */
  readonly pattern: RegExp;
}

export const BINANCE_CLIENT_ID_RULES: ClientIdRules = { venue: 'binance', maxLength: 36, pattern: /^[.A-Z:/a-z0-9_-]{1,36}$/ };
/** Letters and digits up to 32 (OKX clOrdId). */
export const ALNUM32_CLIENT_ID_RULES: ClientIdRules = { venue: 'alnum32', maxLength: 32, pattern: /^[A-Za-z0-9]{1,32}$/ };

export const ClientIdErrorCode = {
  TAG: 'CLIENT_ID_TAG',
  SEQ: 'CLIENT_ID_SEQ',
  LENGTH: 'CLIENT_ID_LENGTH',
  CHARSET: 'CLIENT_ID_CHARSET',
} as const;
export type ClientIdErrorCode = (typeof ClientIdErrorCode)[keyof typeof ClientIdErrorCode];

export class ClientIdError extends Error {
  readonly code: ClientIdErrorCode;
  constructor(code: ClientIdErrorCode, message: string) {
    super(message);
    this.name = 'ClientIdError';
    this.code = code;
  }
}

function isTagChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a);
}

/** Throws ClientIdError unless `tag` is 1..8 chars of [a-z0-9]. */
export function checkTag(tag: string): void {
  if (typeof tag !== 'string' || tag.length < 1 || tag.length > MAX_TAG_LENGTH) {
    throw new ClientIdError(ClientIdErrorCode.TAG, `strategy tag must be 1..${MAX_TAG_LENGTH} characters, got ${JSON.stringify(tag)}`);
  }
  for (let i = 0; i < tag.length; i++) {
    if (!isTagChar(tag.charCodeAt(i))) throw new ClientIdError(ClientIdErrorCode.TAG, `strategy tag must be [a-z0-9], got ${JSON.stringify(tag)}`);
  }
}

/** The tag of a numeric (u16) strategy id: its base-36 digits. */
export function tagOfStrategyId(id: number): string {
  if (!Number.isInteger(id) || id < 1 || id > 0xffff) throw new ClientIdError(ClientIdErrorCode.TAG, `strategy id must be 1..65535, got ${id}`);
  return id.toString(36);
}

/** The numeric strategy id of a tag made by tagOfStrategyId, or -1. */
export function strategyIdOfTag(tag: string): number {
  if (!/^[1-9a-z][0-9a-z]{0,3}$/.test(tag)) return -1;
  const id = parseInt(tag, 36);
  return id <= 0xffff ? id : -1;
}

/** Builds the venue client order id of order `seq` of the strategy tagged `tag`. */
export function encodeClientOrderId(tag: string, seq: bigint | number, rules: ClientIdRules = BINANCE_CLIENT_ID_RULES): string {
  checkTag(tag);
  const s = typeof seq === 'number' ? (Number.isSafeInteger(seq) ? BigInt(seq) : -1n) : seq;
  if (s < 1n || s > U64_MAX) throw new ClientIdError(ClientIdErrorCode.SEQ, `client order sequence must be 1..2^64-1, got ${String(seq)}`);
  const text = CLIENT_ID_PREFIX + String(tag.length) + tag + s.toString(36);
  const max = Math.min(rules.maxLength, MAX_CLIENT_ID_LENGTH);
  if (text.length > max) {
    throw new ClientIdError(ClientIdErrorCode.LENGTH, `client order id ${text} is ${text.length} characters; ${rules.venue} allows ${max}`);
  }
  if (!rules.pattern.test(text)) throw new ClientIdError(ClientIdErrorCode.CHARSET, `client order id ${text} does not match ${rules.venue}'s ${rules.pattern}`);
  return text;
}

export interface DecodedClientOrderId {
  tag: string;
  seq: bigint;
}

/** Splits one of our ids back into (tag, seq); null for any text we did not produce. */
export function decodeClientOrderId(text: string): DecodedClientOrderId | null {
  const n = text.length;
  if (n < 5 || n > MAX_CLIENT_ID_LENGTH || !text.startsWith(CLIENT_ID_PREFIX)) return null;
  const l = text.charCodeAt(2) - 0x30;
  if (l < 1 || l > MAX_TAG_LENGTH) return null;
  const seqStart = 3 + l;
  const digits = n - seqStart;
  if (digits < 1 || digits > MAX_SEQ_DIGITS) return null;
  for (let i = 3; i < n; i++) if (!isTagChar(text.charCodeAt(i))) return null;
  if (text.charCodeAt(seqStart) === 0x30) return null; // leading zero: not canonical
  let seq = 0n;
  for (let i = seqStart; i < n; i++) seq = seq * 36n + BigInt(digitValue(text.charCodeAt(i)));
  if (seq > U64_MAX) return null;
  return { tag: text.slice(3, seqStart), seq };
}

function digitValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : c - 0x61 + 10;
}

/**
 * The seq of one of our ids held as ASCII bytes (the ExecReport text field), as a number,
 * without allocating: -1 if the text is not ours or the seq is not below 2^53 (use
 * decodeClientOrderId then). For the io thread, which sets OURS and the numeric id.
 */
export function seqFromClientIdBytes(bytes: Uint8Array, start: number, length: number): number {
  if (length < 5 || length > MAX_CLIENT_ID_LENGTH || bytes[start] !== 0x76 /* v */ || bytes[start + 1] !== 0x7a /* z */) return -1;
  const l = bytes[start + 2]! - 0x30;
  if (l < 1 || l > MAX_TAG_LENGTH) return -1;
  const seqStart = start + 3 + l;
  const end = start + length;
  if (end - seqStart < 1 || end - seqStart > MAX_SEQ_DIGITS) return -1;
  for (let i = start + 3; i < end; i++) if (!isTagChar(bytes[i]!)) return -1;
  if (bytes[seqStart] === 0x30) return -1;
  let seq = 0;
  for (let i = seqStart; i < end; i++) {
    seq = seq * 36 + digitValue(bytes[i]!);
    if (seq > Number.MAX_SAFE_INTEGER) return -1;
  }
  return seq;
}
