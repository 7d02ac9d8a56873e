/**
 * Binance HMAC-SHA256 request signatures, as the venue verifies them.
 *
 * REST: the signed payload is the raw query string concatenated with the raw
 * urlencoded body, with no separator, minus the `signature` parameter itself
 * (Binance documents `totalParams = queryString + requestBody`). The bytes are taken as
 * they arrived on the wire, so a client that percent-encodes non-ASCII values signs the
 * encoded form.
 *
 * WebSocket API: every param except `signature` (apiKey included), sorted by name,
 * joined as `k=v&…`, values as raw UTF-8 (no percent-encoding).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmacSha256Hex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

const SIG_RE = /^[0-9a-fA-F]{64}$/;

/** Constant-time comparison; Binance treats the hex signature case-insensitively. */
export function signatureMatches(secret: string, payload: string, given: string): boolean {
  if (!SIG_RE.test(given)) return false;
  const want = Buffer.from(hmacSha256Hex(secret, payload), 'hex');
  const got = Buffer.from(given, 'hex');
  return want.length === got.length && timingSafeEqual(want, got);
}

/**
 * Removes the `signature=…` pair from a raw urlencoded string, keeping every other byte
 * as it was. Returns the stripped string (the part that was signed).
 */
export function stripSignatureParam(raw: string): string {
  if (raw.length === 0) return raw;
  const parts = raw.split('&');
  const kept: string[] = [];
  for (const p of parts) {
    if (p === 'signature' || p.startsWith('signature=')) continue;
    kept.push(p);
  }
  return kept.join('&');
}

/** The REST payload a client signed: query (sans signature) + body (sans signature). */
export function restSignedPayload(rawQuery: string, rawBody: string): string {
  return stripSignatureParam(rawQuery) + stripSignatureParam(rawBody);
}

/** WebSocket API payload: params sorted by name, `signature` excluded, raw values. */
export function wsApiSignedPayload(params: Record<string, unknown>): string {
  const keys = Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort();
  let out = '';
  for (const k of keys) {
    if (out.length > 0) out += '&';
    out += `${k}=${wsApiValueText(params[k])}`;
  }
  return out;
}

/** How a JSON param value appears in the signed string (numbers and booleans as JSON). */
function wsApiValueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '';
  return JSON.stringify(v);
}
