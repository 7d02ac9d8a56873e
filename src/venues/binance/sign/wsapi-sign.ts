/**
 * Signing a Binance WebSocket API request (web-socket-api.md, "SIGNED request example
 * (HMAC)"): every param except `signature` — apiKey included — sorted by name, joined
 * as `k=v&…`, values as raw UTF-8 (NOT percent-encoded, unlike REST). Numbers and
 * booleans appear as their JSON text, which is how the venue reads them back.
 */
import type { KeyObject } from 'node:crypto';
import { hmacSha256Hex } from './hmac.js';
import type { ParamValue } from './rest-sign.js';

export type WsApiParams = Readonly<Record<string, ParamValue>>;

/** The exact string a WS API signature covers. */
export function wsApiPayload(params: WsApiParams): string {
  const keys = Object.keys(params).filter((k) => k !== 'signature');
  keys.sort();
  let out = '';
  for (const k of keys) {
    if (out.length > 0) out += '&';
    out += k + '=' + String(params[k]);
  }
  return out;
}

export function signWsApi(params: WsApiParams, secret: string | KeyObject): string {
  return hmacSha256Hex(secret, wsApiPayload(params));
}
