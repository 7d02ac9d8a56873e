/**
 * Errors of the Binance feed. `code` is stable and meant for programs; the message names
 * the field or value at fault.
 *   BINANCE_FEED_CONFIG      an option is missing or out of range (programmer/config error)
 *   BINANCE_FEED_STOPPED     the feed or fetcher was stopped while a request was pending
 *   BINANCE_REST_HTTP        the venue answered a REST request with a non-2xx status
 *   BINANCE_REST_TIMEOUT     a REST request did not complete in time
 *   BINANCE_REST_NETWORK     the request failed below HTTP (refused, reset, DNS)
 *   BINANCE_REST_BANNED      the venue's 429/418 back-off is longer than the caller may wait
 *   BINANCE_REST_BAD_BODY    a control reply (server time) did not have the documented shape
 */
export type FeedErrorCode =
  | 'BINANCE_FEED_CONFIG'
  | 'BINANCE_FEED_STOPPED'
  | 'BINANCE_REST_HTTP'
  | 'BINANCE_REST_TIMEOUT'
  | 'BINANCE_REST_NETWORK'
  | 'BINANCE_REST_BANNED'
  | 'BINANCE_REST_BAD_BODY';

export class FeedError extends Error {
  readonly code: FeedErrorCode;
  /** HTTP status for BINANCE_REST_HTTP / BINANCE_REST_BANNED, else 0. */
  readonly status: number;

  constructor(code: FeedErrorCode, message: string, options?: { status?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FeedError';
    this.code = code;
    this.status = options?.status ?? 0;
  }
}

export function configError(field: string, expected: string, got: unknown): FeedError {
  let shown: string;
  try {
    shown = JSON.stringify(got) ?? String(got);
  } catch {
    shown = String(got);
  }
  return new FeedError('BINANCE_FEED_CONFIG', `binance feed option ${field} must be ${expected}; got ${shown}`);
}
