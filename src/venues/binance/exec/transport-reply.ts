/**
 * What one request produced on either transport, before it is given a meaning
 * (REJECTED / UNKNOWN / result) by the adapter:
 *   ok       the venue answered 2XX with a JSON body
 *   error    the venue answered with an error status and a Binance {code,msg}
 *   unknown  the request was written but no answer came (timeout, connection lost,
 *            unreadable reply): it may have executed
 *   notSent  nothing was written (socket not open, connection refused)
 */
import type { UnknownReason } from './types.js';

export type TransportReply =
  | { kind: 'ok'; httpStatus: number; body: unknown; seq: number }
  | {
      kind: 'error';
      httpStatus: number;
      code: number;
      msg: string;
      /** 429/418: server time (ms) before which nothing may be sent. */
      retryUntilMs?: number;
      seq: number;
    }
  | { kind: 'unknown'; reason: UnknownReason; msg: string; seq: number }
  | { kind: 'notSent'; msg: string };

/** "…IP banned until 1700000000000…" → 1700000000000 (server ms). */
export function bannedUntilFromMessage(msg: string): number | undefined {
  const m = /banned until (\d{10,16})/.exec(msg);
  return m ? Number(m[1]) : undefined;
}
