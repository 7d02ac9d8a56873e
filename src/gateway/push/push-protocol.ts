/**
 * The push channel's wire protocol (JSON text frames on /ws).
 *
 * Client → server:
 *   {"op":"subscribe","id":1,"channel":"book","venue":"sim","symbol":"BTCUSDT","depth":10}
 *   {"op":"subscribe","id":2,"channel":"trades","venue":"sim","symbol":"BTCUSDT"}
 *   {"op":"subscribe","id":3,"channel":"orders","strategy":"mm-btc"}     (strategy omitted = "all")
 *   {"op":"subscribe","id":4,"channel":"pnl"}
 *   {"op":"unsubscribe","id":5,"sub":"book:sim:BTCUSDT:10"}  (or the same fields as subscribe)
 *   {"op":"ping","id":6}
 * Server → client:
 *   {"op":"subscribed","id":1,"sub":"book:sim:BTCUSDT:10"}   then data frames of that sub
 *   {"op":"unsubscribed","id":5,"sub":"…"}
 *   {"op":"pong","id":6}
 *   {"op":"error","id":1,"error":{"code":"UNKNOWN_BOOK","message":"…"}}
 *
 * `id` is the client's own request id (a number or a short string), echoed back; `sub`
 * is the subscription's stable name, also carried by every data frame of it.
 */
import { PUSH_CHANNELS, type PushChannelName } from '../../core/metrics/engine-metrics.js';

export type PushErrorCode =
  | 'BAD_JSON'
  | 'BAD_REQUEST'
  | 'UNKNOWN_OP'
  | 'UNKNOWN_CHANNEL'
  | 'UNKNOWN_BOOK'
  | 'NOT_SUBSCRIBED'
  | 'ALREADY_SUBSCRIBED'
  | 'TOO_MANY_SUBSCRIPTIONS'
  | 'INTERNAL';

export class PushProtocolError extends Error {
  constructor(
    readonly code: PushErrorCode,
    message: string,
    readonly requestId: RequestId = null,
  ) {
    super(message);
    this.name = 'PushProtocolError';
  }
}

export type RequestId = number | string | null;

export interface SubscriptionFields {
  channel: PushChannelName;
  venue?: string;
  symbol?: string;
  depth?: number;
  strategy?: string;
}

export type ClientOp =
  | { op: 'subscribe'; id: RequestId; fields: SubscriptionFields }
  | { op: 'unsubscribe'; id: RequestId; sub: string | null; fields: SubscriptionFields | null }
  | { op: 'ping'; id: RequestId };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const ALLOWED_KEYS = new Set(['op', 'id', 'channel', 'venue', 'symbol', 'depth', 'strategy', 'sub']);

function text(v: unknown, field: string, id: RequestId): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !NAME.test(v)) {
    throw new PushProtocolError('BAD_REQUEST', `${field} must be a name of 1-64 characters [A-Za-z0-9._/-]`, id);
  }
  return v;
}

function fieldsOf(m: Record<string, unknown>, id: RequestId): SubscriptionFields {
  const channel = m['channel'];
  if (typeof channel !== 'string') throw new PushProtocolError('BAD_REQUEST', `channel is required: one of ${PUSH_CHANNELS.join(', ')}`, id);
  if (!(PUSH_CHANNELS as readonly string[]).includes(channel)) {
    throw new PushProtocolError('UNKNOWN_CHANNEL', `unknown channel ${JSON.stringify(channel.slice(0, 32))}: one of ${PUSH_CHANNELS.join(', ')}`, id);
  }
  const fields: SubscriptionFields = { channel: channel as PushChannelName };
  const venue = text(m['venue'], 'venue', id);
  const symbol = text(m['symbol'], 'symbol', id);
  const strategy = text(m['strategy'], 'strategy', id);
  if (venue !== undefined) fields.venue = venue;
  if (symbol !== undefined) fields.symbol = symbol;
  if (strategy !== undefined) fields.strategy = strategy;
  const depth = m['depth'];
  if (depth !== undefined) {
    if (typeof depth !== 'number' || !Number.isInteger(depth)) throw new PushProtocolError('BAD_REQUEST', 'depth must be an integer', id);
    fields.depth = depth;
  }
  return fields;
}

/** Parses one client frame; throws PushProtocolError (with the request id when readable). */
export function parseClientOp(frame: string): ClientOp {
  let m: unknown;
  try {
    m = JSON.parse(frame);
  } catch (err) {
    throw new PushProtocolError('BAD_JSON', `message is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new PushProtocolError('BAD_REQUEST', 'message must be a JSON object');
  const o = m as Record<string, unknown>;
  const rawId = o['id'];
  let id: RequestId = null;
  if (typeof rawId === 'number' && Number.isSafeInteger(rawId)) id = rawId;
  else if (typeof rawId === 'string' && rawId.length <= 64) id = rawId;
  else if (rawId !== undefined) throw new PushProtocolError('BAD_REQUEST', 'id must be an integer or a string of at most 64 characters');
  for (const k of Object.keys(o)) {
    if (!ALLOWED_KEYS.has(k)) throw new PushProtocolError('BAD_REQUEST', `unknown field ${JSON.stringify(k.slice(0, 32))}`, id);
  }
  switch (o['op']) {
    case 'subscribe':
      return { op: 'subscribe', id, fields: fieldsOf(o, id) };
    case 'unsubscribe': {
      const sub = o['sub'];
      if (sub !== undefined) {
        if (typeof sub !== 'string' || sub.length > 200) throw new PushProtocolError('BAD_REQUEST', 'sub must be a subscription name', id);
        return { op: 'unsubscribe', id, sub, fields: null };
      }
      return { op: 'unsubscribe', id, sub: null, fields: fieldsOf(o, id) };
    }
    case 'ping':
      return { op: 'ping', id };
    default:
      throw new PushProtocolError('UNKNOWN_OP', 'op must be subscribe, unsubscribe or ping', id);
  }
}

export function replyFrame(op: 'subscribed' | 'unsubscribed' | 'pong', id: RequestId, sub?: string): string {
  return JSON.stringify(sub === undefined ? { op, id } : { op, id, sub });
}

export function errorFrame(err: PushProtocolError): string {
  return JSON.stringify({ op: 'error', id: err.requestId, error: { code: err.code, message: err.message } });
}
