/**
 * HMAC-SHA256 as Binance uses it for HMAC keys: key = the secret's UTF-8 bytes, message =
 * the payload's UTF-8 bytes, signature = lower-case hex (the venue compares it
 * case-insensitively; the secret and payload are case-sensitive).
 */
import { createHmac, type KeyObject } from 'node:crypto';

export function hmacSha256Hex(secret: string | KeyObject, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}
