/**
 * Per channel: whether it conflates, how a subscribe request names its topic key, and
 * who wants to hear when a topic gains its first or loses its last subscriber (the book
 * publisher samples only books someone watches).
 *
 * Keys: book "<venue>:<SYMBOL>:<depth>", trades "<venue>:<SYMBOL>", orders and pnl
 * "<strategy>" or "all" (the engine publishes each update to the strategy's key and to
 * "all" — hasSubscribers() tells it whether either is watched).
 */
import type { PushChannelName } from '../../core/metrics/engine-metrics.js';
import { PushProtocolError, type RequestId, type SubscriptionFields } from './push-protocol.js';

export interface ChannelAdapter {
  readonly conflate: boolean;
  /** The topic key of a subscription; throws PushProtocolError when it is not valid. */
  resolve(fields: SubscriptionFields, id: RequestId): string;
  topicOpened?(key: string): void;
  topicClosed?(key: string): void;
}

export const DEFAULT_BOOK_DEPTH = 10;
export const MAX_BOOK_DEPTH = 100;
export const ALL_KEY = 'all';

export function bookTopicKey(venue: string, symbol: string, depth: number): string {
  return `${venue}:${symbol}:${depth}`;
}

export function requireMarket(fields: SubscriptionFields, id: RequestId): { venue: string; symbol: string } {
  if (fields.venue === undefined || fields.symbol === undefined) {
    throw new PushProtocolError('BAD_REQUEST', `channel ${fields.channel} needs venue and symbol`, id);
  }
  return { venue: fields.venue, symbol: fields.symbol.toUpperCase() };
}

export function bookDepth(fields: SubscriptionFields, id: RequestId, maxDepth = MAX_BOOK_DEPTH): number {
  const depth = fields.depth ?? DEFAULT_BOOK_DEPTH;
  if (depth < 1 || depth > maxDepth) throw new PushProtocolError('BAD_REQUEST', `depth must be 1..${maxDepth}, got ${depth}`, id);
  return depth;
}

function rejectExtra(fields: SubscriptionFields, id: RequestId, allowed: readonly (keyof SubscriptionFields)[]): void {
  for (const k of ['venue', 'symbol', 'depth', 'strategy'] as const) {
    if (fields[k] !== undefined && !allowed.includes(k)) {
      throw new PushProtocolError('BAD_REQUEST', `channel ${fields.channel} takes no ${k}`, id);
    }
  }
}

/** Book subscriptions without a book directory: any venue/symbol, checked only for shape. */
export const plainBookAdapter: ChannelAdapter = {
  conflate: true,
  resolve(fields, id) {
    rejectExtra(fields, id, ['venue', 'symbol', 'depth']);
    const { venue, symbol } = requireMarket(fields, id);
    return bookTopicKey(venue, symbol, bookDepth(fields, id));
  },
};

export const tradesAdapter: ChannelAdapter = {
  conflate: false,
  resolve(fields, id) {
    rejectExtra(fields, id, ['venue', 'symbol']);
    const { venue, symbol } = requireMarket(fields, id);
    return `${venue}:${symbol}`;
  },
};

function strategyAdapter(conflate: boolean): ChannelAdapter {
  return {
    conflate,
    resolve(fields, id) {
      rejectExtra(fields, id, ['strategy']);
      return fields.strategy ?? ALL_KEY;
    },
  };
}

export function defaultAdapters(): Record<PushChannelName, ChannelAdapter> {
  return { book: plainBookAdapter, trades: tradesAdapter, orders: strategyAdapter(false), pnl: strategyAdapter(true) };
}
