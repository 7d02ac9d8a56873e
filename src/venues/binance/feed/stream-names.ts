/**
 * Binance market stream names: `<lower-case symbol>@<suffix>`, e.g. `btcusdt@depth@100ms`.
 * The feed is configured with symbols (upper case, as in REST) and per-symbol suffixes;
 * this file builds the names, says which USD-M route carries each, and maps a name back to
 * its symbol (interruption notices name streams; the owner resyncs the books of their
 * symbols).
 *
 * USD-M routing (2026): high-frequency data (`@depth…`, `@rpiDepth…`, `@bookTicker`,
 * `@trade`) is served on `/public`; everything else (`@aggTrade`, `@markPrice`, klines,
 * tickers, `@forceOrder`) on `/market`. The docs name depth/bookTicker and aggTrade/
 * markPrice explicitly; `@trade` on /public follows ccxt 4.5.84 (getFutureWsCategory) and
 * is unconfirmed. A wrongly routed subscription is accepted but silently delivers
 * nothing, so a wrong table here shows up as a quiet stream, not an error.
 */
import type { BinanceMarket } from './config.js';

export type StreamRoute = '' | 'public' | 'market';

const SYMBOL_RE = /^[A-Z0-9][A-Z0-9_]{1,29}$/;
const SUFFIX_RE = /^[A-Za-z][A-Za-z0-9_]*(@[A-Za-z0-9_]+)*$/;

export function isValidSymbol(symbol: string): boolean {
  return SYMBOL_RE.test(symbol);
}

export function isValidStreamSuffix(suffix: string): boolean {
  return suffix.length <= 40 && SUFFIX_RE.test(suffix);
}

export function streamName(symbol: string, suffix: string): string {
  return `${symbol.toLowerCase()}@${suffix}`;
}

/** The upper-case symbol of a stream name, or '' for market-wide streams (`!bookTicker`). */
export function streamSymbol(stream: string): string {
  if (stream.startsWith('!')) return '';
  const at = stream.indexOf('@');
  return (at < 0 ? stream : stream.slice(0, at)).toUpperCase();
}

/** Which URL route carries `stream` on `market` ('' = the only route, spot). */
export function streamRoute(market: BinanceMarket, stream: string): StreamRoute {
  if (market === 'spot') return '';
  const at = stream.indexOf('@');
  const kind = at < 0 ? stream : stream.slice(at + 1);
  if (kind.startsWith('depth') || kind.startsWith('rpiDepth') || kind === 'bookTicker' || kind === 'trade' || stream === '!bookTicker') return 'public';
  return 'market';
}
