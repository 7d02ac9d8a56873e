/**
 * Which streams go on which connection. All streams of one symbol that share a route stay
 * on one connection (a lost connection then interrupts whole symbols, and the depth and
 * trade streams of a symbol arrive in one ordered sequence). Symbols are dealt round-robin
 * over the fewest connections that respect maxStreamsPerConnection, so connections carry
 * equal loads. USD-M streams are first split by route (/public, /market): a connection
 * serves one route.
 */
import type { FeedConfig } from './config.js';
import { configError } from './errors.js';
import { streamName, streamRoute, type StreamRoute } from './stream-names.js';
import { wsUrl } from './urls.js';

export interface PlannedConnection {
  /** Index of this connection in the plan; counters and events name it. */
  readonly slot: number;
  readonly route: StreamRoute;
  readonly url: string;
  readonly symbols: readonly string[];
  /** Stream names in subscription order. */
  readonly streams: readonly string[];
}

export function planConnections(cfg: FeedConfig): PlannedConnection[] {
  const byRoute = new Map<StreamRoute, string[]>();
  for (const suffix of cfg.streams) {
    const route = streamRoute(cfg.market, streamName('x', suffix));
    let list = byRoute.get(route);
    if (!list) byRoute.set(route, (list = []));
    list.push(suffix);
  }
  const plan: PlannedConnection[] = [];
  for (const [route, suffixes] of byRoute) {
    const perSymbol = suffixes.length;
    if (perSymbol > cfg.maxStreamsPerConnection) {
      throw configError('maxStreamsPerConnection', `at least the ${perSymbol} streams one symbol has on route "${route || 'default'}"`, cfg.maxStreamsPerConnection);
    }
    const symbolsPerConn = Math.floor(cfg.maxStreamsPerConnection / perSymbol);
    const n = Math.ceil(cfg.symbols.length / symbolsPerConn);
    const groups: string[][] = Array.from({ length: n }, () => []);
    cfg.symbols.forEach((s, i) => (groups[i % n] as string[]).push(s));
    for (const symbols of groups) {
      const streams: string[] = [];
      for (const s of symbols) for (const suffix of suffixes) streams.push(streamName(s, suffix));
      plan.push({ slot: plan.length, route, url: wsUrl(cfg.wsBase, route, cfg.mode), symbols, streams });
    }
  }
  return plan;
}
