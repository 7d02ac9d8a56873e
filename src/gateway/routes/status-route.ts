/** GET /api/v1/status — engine status (from its owner), the gateway's own state and the books'. */
import { TopOfBook } from '../../book/book-levels.js';
import type { BookDirectory } from '../books/book-directory.js';
import type { RouteTable } from '../http/route-table.js';
import type { PushHub } from '../push/push-hub.js';

export interface StatusRouteOptions {
  status?: () => unknown;
  hub: PushHub;
  books?: BookDirectory;
  startedAtMs: number;
  /** Slowest push clients listed (by messages dropped). */
  listClients?: number;
}

export function registerStatusRoute(routes: RouteTable, o: StatusRouteOptions): void {
  const top = new TopOfBook();
  routes.register('GET', '/api/v1/status', () => {
    const books = [];
    for (const b of o.books?.list() ?? []) {
      const ok = b.reader.readBest(top);
      books.push({ venue: b.venue, symbol: b.symbol, valid: ok && top.valid, lastUpdateId: ok ? top.lastUpdateId : null, version: ok ? top.version : null });
    }
    const slowest = o.hub
      .clientStats()
      .filter((c) => c.dropped > 0)
      .sort((a, b) => b.dropped - a.dropped)
      .slice(0, o.listClients ?? 10);
    return {
      engine: o.status?.() ?? null,
      gateway: {
        startedAt: new Date(o.startedAtMs).toISOString(),
        uptimeS: Math.round((Date.now() - o.startedAtMs) / 1000),
        push: { ...o.hub.totals, slowestClients: slowest },
      },
      books,
    };
  });
}
