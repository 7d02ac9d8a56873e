/**
 * Bearer-token check for the REST API and the push channel. The configured token and the
 * presented one are both hashed (SHA-256) and the digests compared with timingSafeEqual,
 * so neither the content nor the length of the token leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export class BearerAuth {
  private readonly expected: Buffer | null;

  /** `token` null = no token configured: every request passes. */
  constructor(token: string | null) {
    if (token !== null && token.length === 0) throw new RangeError('gateway token is empty: give a token or null for no auth');
    this.expected = token === null ? null : digest(token);
  }

  get enabled(): boolean {
    return this.expected !== null;
  }

  /** True when `presented` (a bare token) is the configured one. */
  matches(presented: string): boolean {
    if (this.expected === null) return true;
    return timingSafeEqual(digest(presented), this.expected);
  }

  /**
   * Checks an `Authorization` header value ('' when absent); throws the 401 to send.
   * The reply never echoes what was presented.
   */
  check(authorization: string): void {
    if (this.expected === null) return;
    const challenge = { 'WWW-Authenticate': 'Bearer realm="veloz"' };
    if (authorization === '') {
      throw new HttpError(401, 'UNAUTHORIZED', 'missing credentials: send "Authorization: Bearer <token>"', { headers: challenge });
    }
    const m = BEARER.exec(authorization);
    if (!m) throw new HttpError(401, 'UNAUTHORIZED', 'malformed Authorization header: expected "Bearer <token>"', { headers: challenge });
    if (!this.matches(m[1]!)) throw new HttpError(401, 'UNAUTHORIZED', 'invalid token', { headers: { 'WWW-Authenticate': 'Bearer realm="veloz", error="invalid_token"' } });
  }
}
