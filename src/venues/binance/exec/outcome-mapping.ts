/**
 * What a transport reply means for the caller, in one place (the rules are in
 * errors.ts): place/cancel → ack / rejected (venue or local) / unknown; order query →
 * found / notFound / failed; reads → the body or a BinanceRequestError.
 */
import { BinanceRequestError, isUnknownExecution, NO_SUCH_ORDER, type ExecErrorCode } from './errors.js';
import { parseVenueOrder } from './parse-order.js';
import type { LocalRejection } from './rate-limiter.js';
import type { ScaleBook } from './scales.js';
import type { TransportReply } from './transport-reply.js';
import type { PlaceOutcome, QueryOutcome, Transport } from './types.js';

/** A request's fate: a reply on one transport, or refused before sending. */
export type Sent = { reply: TransportReply; transport: Exclude<Transport, 'local'> } | { local: LocalRejection };

export function rejectionCode(reason: LocalRejection['reason']): ExecErrorCode {
  switch (reason) {
    case 'BANNED':
      return 'BINANCE_BANNED';
    case 'BACKOFF':
      return 'BINANCE_BACKOFF';
    case 'NOT_SENT':
      return 'BINANCE_NOT_SENT';
    case 'STOPPED':
      return 'BINANCE_STOPPED';
    case 'INVALID_ORDER':
      return 'BINANCE_INVALID_ORDER';
    default:
      return 'BINANCE_RATE_BUDGET';
  }
}

/** place / cancel. `onBadReply` counts a 2XX reply that could not be read. */
export function orderOutcome(sent: Sent, scales: ScaleBook, where: string, onBadReply: () => void): PlaceOutcome {
  if ('local' in sent) return { kind: 'rejected', source: 'local', reason: sent.local.reason, msg: sent.local.msg, transport: 'local', seq: 0 };
  const { reply, transport } = sent;
  switch (reply.kind) {
    case 'ok':
      try {
        return { kind: 'ack', order: parseVenueOrder(reply.body, scales, where), transport, seq: reply.seq };
      } catch (err) {
        // Accepted (2XX) but unreadable: the order exists in some state; query it.
        onBadReply();
        return { kind: 'unknown', reason: 'BAD_REPLY', msg: (err as Error).message, transport, seq: reply.seq };
      }
    case 'error':
      if (isUnknownExecution(reply.httpStatus, reply.code)) return { kind: 'unknown', reason: 'SERVER_ERROR', msg: `${reply.httpStatus} ${reply.code} ${reply.msg}`, transport, seq: reply.seq };
      return { kind: 'rejected', source: 'venue', code: reply.code, msg: reply.msg, httpStatus: reply.httpStatus, transport, seq: reply.seq };
    case 'unknown':
      return { kind: 'unknown', reason: reply.reason, msg: reply.msg, transport, seq: reply.seq };
    case 'notSent':
      return { kind: 'rejected', source: 'local', reason: 'NOT_SENT', msg: reply.msg, transport, seq: 0 };
  }
}

/** order.status: `failed` means no answer (ask again), never "not found". */
export function queryOutcome(sent: Sent, scales: ScaleBook, onBadReply: () => void): QueryOutcome {
  if ('local' in sent) return { kind: 'failed', msg: sent.local.msg, reason: sent.local.reason, transport: 'local', seq: 0 };
  const { reply, transport } = sent;
  switch (reply.kind) {
    case 'ok':
      try {
        return { kind: 'found', order: parseVenueOrder(reply.body, scales, 'order.status'), transport, seq: reply.seq };
      } catch (err) {
        onBadReply();
        return { kind: 'failed', msg: (err as Error).message, reason: 'BAD_REPLY', transport, seq: reply.seq };
      }
    case 'error':
      if (reply.code === NO_SUCH_ORDER) return { kind: 'notFound', code: reply.code, msg: reply.msg, transport, seq: reply.seq };
      return { kind: 'failed', msg: reply.msg, code: reply.code, transport, seq: reply.seq };
    case 'unknown':
      return { kind: 'failed', msg: reply.msg, reason: reply.reason, transport, seq: reply.seq };
    case 'notSent':
      return { kind: 'failed', msg: reply.msg, reason: 'NOT_SENT', transport, seq: 0 };
  }
}

/** The body of a successful read, or a BinanceRequestError. */
export function readResult(sent: Sent, where: string): unknown {
  if ('local' in sent) throw new BinanceRequestError(rejectionCode(sent.local.reason), `${where}: ${sent.local.msg}`);
  const r = sent.reply;
  switch (r.kind) {
    case 'ok':
      return r.body;
    case 'error':
      throw new BinanceRequestError(r.httpStatus >= 500 ? 'BINANCE_SERVER_ERROR' : 'BINANCE_VENUE_ERROR', `${where}: ${r.httpStatus} ${r.code} ${r.msg}`, { code: r.code, httpStatus: r.httpStatus });
    case 'unknown': {
      const code: ExecErrorCode = r.reason === 'TIMEOUT' ? 'BINANCE_TIMEOUT' : r.reason === 'DISCONNECTED' ? 'BINANCE_DISCONNECTED' : r.reason === 'BAD_REPLY' ? 'BINANCE_BAD_REPLY' : 'BINANCE_IO_ERROR';
      throw new BinanceRequestError(code, `${where}: ${r.msg}`);
    }
    case 'notSent':
      throw new BinanceRequestError('BINANCE_NOT_SENT', `${where}: ${r.msg}`);
  }
}

/** Runs a parser over a read's body; a malformed body is a counted BINANCE_BAD_REPLY. */
export function parseOrThrow<T>(parse: () => T, onBadReply: () => void): T {
  try {
    return parse();
  } catch (err) {
    onBadReply();
    throw new BinanceRequestError('BINANCE_BAD_REPLY', (err as Error).message);
  }
}
