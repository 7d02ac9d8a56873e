/**
 * Venue URLs. Spot: `<wsBase>/ws` (raw payloads) or `<wsBase>/stream` (combined
 * `{"stream":..,"data":..}` wrapper), streams added with SUBSCRIBE. USD-M: the same under
 * the routed prefixes `/public` and `/market`. REST paths differ per market.
 *
 *   spot  wss://stream.binance.com:9443/stream          https://api.binance.com/api/v3/depth
 *   usdm  wss://fstream.binance.com/public/stream       https://fapi.binance.com/fapi/v1/depth
 *         wss://fstream.binance.com/market/stream
 */
import type { BinanceMarket, StreamMode } from './config.js';
import type { StreamRoute } from './stream-names.js';

export const VENUE_URLS = {
  spot: { wsBase: 'wss://stream.binance.com:9443', restBase: 'https://api.binance.com' },
  usdm: { wsBase: 'wss://fstream.binance.com', restBase: 'https://fapi.binance.com' },
} as const;

export function wsUrl(wsBase: string, route: StreamRoute, mode: StreamMode): string {
  const base = wsBase.endsWith('/') ? wsBase.slice(0, -1) : wsBase;
  const prefix = route === '' ? '' : `/${route}`;
  return `${base}${prefix}${mode === 'combined' ? '/stream' : '/ws'}`;
}

export function restPath(market: BinanceMarket, what: 'depth' | 'time'): string {
  return `${market === 'spot' ? '/api/v3' : '/fapi/v1'}/${what}`;
}

export function restUrl(restBase: string, path: string): string {
  return (restBase.endsWith('/') ? restBase.slice(0, -1) : restBase) + path;
}
