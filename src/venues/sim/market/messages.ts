/**
 * Binance market-data payloads as JSON text, built by concatenation (no object graph, no
 * JSON.stringify per event). Field order follows the Binance docs examples. Decimal
 * strings come pre-formatted from the caller.
 */

/** [[price, qty], ...] from parallel arrays of formatted strings. */
export function levelsJson(prices: readonly string[], qtys: readonly string[], n: number): string {
  if (n === 0) return '[]';
  let s = '[["' + prices[0] + '","' + qtys[0] + '"]';
  for (let i = 1; i < n; i++) s += ',["' + prices[i] + '","' + qtys[i] + '"]';
  return s + ']';
}

export function spotDepthUpdate(E: number, symbol: string, U: number, u: number, bids: string, asks: string): string {
  return '{"e":"depthUpdate","E":' + E + ',"s":"' + symbol + '","U":' + U + ',"u":' + u + ',"b":' + bids + ',"a":' + asks + '}';
}

export function usdmDepthUpdate(E: number, T: number, symbol: string, U: number, u: number, pu: number, bids: string, asks: string): string {
  return '{"e":"depthUpdate","E":' + E + ',"T":' + T + ',"s":"' + symbol + '","U":' + U + ',"u":' + u + ',"pu":' + pu + ',"b":' + bids + ',"a":' + asks + '}';
}

export function spotTrade(E: number, symbol: string, id: number, price: string, qty: string, T: number, buyerIsMaker: boolean): string {
  return '{"e":"trade","E":' + E + ',"s":"' + symbol + '","t":' + id + ',"p":"' + price + '","q":"' + qty + '","T":' + T + ',"m":' + buyerIsMaker + ',"M":true}';
}

export function usdmTrade(E: number, symbol: string, id: number, price: string, qty: string, T: number, buyerIsMaker: boolean): string {
  return '{"e":"trade","E":' + E + ',"T":' + T + ',"s":"' + symbol + '","t":' + id + ',"p":"' + price + '","q":"' + qty + '","X":"MARKET","m":' + buyerIsMaker + '}';
}

export function aggTrade(mode: 'spot' | 'usdm', E: number, symbol: string, aggId: number, price: string, qty: string, first: number, last: number, T: number, buyerIsMaker: boolean): string {
  const head = '{"e":"aggTrade","E":' + E + ',"s":"' + symbol + '","a":' + aggId + ',"p":"' + price + '","q":"' + qty + '","f":' + first + ',"l":' + last + ',"T":' + T + ',"m":' + buyerIsMaker;
  return mode === 'spot' ? head + ',"M":true}' : head + '}';
}

export function spotBookTicker(u: number, symbol: string, bid: string, bidQty: string, ask: string, askQty: string): string {
  return '{"u":' + u + ',"s":"' + symbol + '","b":"' + bid + '","B":"' + bidQty + '","a":"' + ask + '","A":"' + askQty + '"}';
}

export function usdmBookTicker(u: number, E: number, T: number, symbol: string, bid: string, bidQty: string, ask: string, askQty: string): string {
  return '{"e":"bookTicker","u":' + u + ',"E":' + E + ',"T":' + T + ',"s":"' + symbol + '","b":"' + bid + '","B":"' + bidQty + '","a":"' + ask + '","A":"' + askQty + '"}';
}

export function spotPartialDepth(lastUpdateId: number, bids: string, asks: string): string {
  return '{"lastUpdateId":' + lastUpdateId + ',"bids":' + bids + ',"asks":' + asks + '}';
}

export function serverShutdown(E: number): string {
  return '{"e":"serverShutdown","E":' + E + '}';
}

/** The combined-stream wrapper {"stream":..,"data":..}. */
export function combined(stream: string, payload: string): string {
  return '{"stream":"' + stream + '","data":' + payload + '}';
}
