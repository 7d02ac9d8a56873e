/**
 * Signing a Binance REST request: the signed payload is the query string followed by
 * the urlencoded body with NO separator between them (rest-api.md, "SIGNED Endpoint
 * Examples"; the mixed query+body example is in hmac_sha256_vectors.json). Values are
 * percent-encoded as UTF-8 before signing, so a non-ASCII symbol is signed in its
 * `%EF%BC%91…` form: the bytes signed are the bytes sent.
 */
import type { KeyObject } from 'node:crypto';
import { hmacSha256Hex } from './hmac.js';

export type ParamValue = string | number | boolean;
/** Ordered parameters: REST keeps the caller's order (it is what gets signed). */
export type ParamList = readonly (readonly [string, ParamValue])[];

/** `k=v&…` with keys and values percent-encoded (UTF-8), in the given order. */
export function encodeParams(params: ParamList): string {
  let out = '';
  for (const [k, v] of params) {
    if (out.length > 0) out += '&';
    out += encodeURIComponent(k) + '=' + encodeURIComponent(String(v));
  }
  return out;
}

/** hex HMAC-SHA256 of `query + body` (either may be empty). */
export function signRest(query: string, body: string, secret: string | KeyObject): string {
  return hmacSha256Hex(secret, query + body);
}
