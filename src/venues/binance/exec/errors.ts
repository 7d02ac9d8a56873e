/**
 * Errors of the execution adapter, each with a stable `code`, and the rule that decides
 * what a venue error means for an order: was it definitely NOT executed (safe to
 * report REJECTED), or is its fate UNKNOWN (resolve by querying the client order id;
 * never resend).
 *
 *   HTTP 4XX with a Binance code     the request was refused before execution → REJECTED
 *     -1021 timestamp outside recvWindow  refused at the gate; the clock offset is resynced
 *     -1022 bad signature, -2014/-2015 key errors, -11xx parameter errors, -1013 filters
 *     -2010 new order rejected (balance, duplicate id, would match), -2011 cancel rejected
 *     -2013 no such order (queries)
 *   HTTP 429 (-1003 weight, -1015 order count)  refused; all requests pause for Retry-After
 *   HTTP 418 (-1003 IP banned)                  refused; nothing is sent until the ban ends
 *   HTTP 403 (WAF)                              refused
 *   HTTP 5XX                                    UNKNOWN: "the issue is on Binance's side …
 *                                               the execution status is UNKNOWN and could
 *                                               have been a success" (rest-api.md)
 *   -1006 / -1007 (any status)                  UNKNOWN: "execution status unknown"
 *   timeout, connection lost after the write   UNKNOWN
 *   not written (socket closed, connect refused) definitely not sent → REJECTED (local)
 */

export type ExecErrorCode =
  | 'BINANCE_VENUE_ERROR'
  | 'BINANCE_TIMEOUT'
  | 'BINANCE_DISCONNECTED'
  | 'BINANCE_SERVER_ERROR'
  | 'BINANCE_IO_ERROR'
  | 'BINANCE_BAD_REPLY'
  | 'BINANCE_RATE_BUDGET'
  | 'BINANCE_BACKOFF'
  | 'BINANCE_BANNED'
  | 'BINANCE_NOT_SENT'
  | 'BINANCE_INVALID_ORDER'
  | 'BINANCE_STOPPED';

/** A read (open orders, account, server time) that did not produce a result. */
export class BinanceRequestError extends Error {
  readonly code: ExecErrorCode;
  /** The venue's code (e.g. -1021) when the venue answered with an error. */
  readonly venueCode: number | undefined;
  readonly httpStatus: number | undefined;

  constructor(code: ExecErrorCode, message: string, venue?: { code?: number; httpStatus?: number }) {
    super(message);
    this.name = 'BinanceRequestError';
    this.code = code;
    this.venueCode = venue?.code;
    this.httpStatus = venue?.httpStatus;
  }
}

/** A reply that is not what the venue documents (bad JSON, missing or malformed field). */
export class ReplyFormatError extends Error {
  readonly code = 'BINANCE_BAD_REPLY';
  constructor(message: string) {
    super(message);
    this.name = 'ReplyFormatError';
  }
}

/** Binance codes that mean "sent, but whether it executed is unknown". */
const UNKNOWN_CODES: ReadonlySet<number> = new Set([-1006, -1007]);

export const TIMESTAMP_OUTSIDE_RECV_WINDOW = -1021;
export const NO_SUCH_ORDER = -2013;

/** Whether a venue error reply leaves the request's execution unknown. */
export function isUnknownExecution(httpStatus: number, code: number): boolean {
  return httpStatus >= 500 || UNKNOWN_CODES.has(code);
}
