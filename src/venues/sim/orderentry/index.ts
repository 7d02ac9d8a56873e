/**
 * The sim's order entry and user data, Binance spot as it works today: signed REST
 * (/api/v3/order, openOrders, account, myTrades), the WebSocket API (/ws-api/v3) with
 * user-data subscriptions, real rate limits, accounts with balances and commissions,
 * and the order faults (reject, exec-before-ack, lost ack). Ground truth: GET /sim/balances.
 *
 * SimExchange loads `orderEntryPlugin(options)` from here by default.
 */
import type { SimHttpResponse, SimPlugin, SimPluginContext } from '../server/plugin.js';
import type { WebSocket } from '@btc-vision/uwebsockets.js';
import { AccountRegistry } from '../account/registry.js';
import type { SimAccountConfig } from '../account/config.js';
import { Dispatcher } from './dispatcher.js';
import { buildOperations } from './operations.js';
import { BINANCE_RATE_LIMITS, RateLimiter, type RateLimitConfig } from './rate-limits.js';
import { installRestRoutes } from './rest.js';
import { OrderEntryService } from './service.js';
import { installWsApi } from './ws-api.js';

export interface OrderEntryOptions {
  /** Accounts (API key, secret, balances, commissions); default: the sim's configured accounts. */
  accounts?: SimAccountConfig[];
  /** Overrides of Binance's limits (tests lower them to reach 429 quickly). */
  rateLimits?: Partial<RateLimitConfig>;
  /** MAX_NUM_ORDERS: open orders per account per symbol (default 200). */
  maxOpenOrdersPerSymbol?: number;
}

/** What a running plugin exposes to in-process tests and the sim's /sim/stats. */
export interface OrderEntryHandle {
  service: OrderEntryService;
  limiter: RateLimiter;
  accounts: AccountRegistry;
  stats(): Record<string, unknown>;
}

export type OrderEntryPlugin = SimPlugin & { handle(): OrderEntryHandle | undefined };

export function orderEntryPlugin(options: OrderEntryOptions = {}): OrderEntryPlugin {
  let handle: OrderEntryHandle | undefined;
  let conns: Set<WebSocket<unknown>> | undefined;
  const withheld = new Set<(r: SimHttpResponse) => void>();
  return {
    name: 'orderentry',
    handle: () => handle,
    install(ctx: SimPluginContext): void {
      if (ctx.market !== 'spot') {
        ctx.log.warn('sim order entry serves Binance spot only; not installed', { market: ctx.market });
        return;
      }
      const instruments = ctx.instruments.all().filter((i) => i.venue === ctx.venue);
      const accounts = new AccountRegistry(options.accounts ?? ctx.accounts, instruments);
      const limiter = new RateLimiter({ ...BINANCE_RATE_LIMITS, ...options.rateLimits }, () => ctx.clock.nowMs());
      const serviceDeps: ConstructorParameters<typeof OrderEntryService>[0] = {
        engine: ctx.engine,
        accounts,
        clock: ctx.clock,
        format: ctx.format,
        instrument: (s) => {
          const inst = ctx.instrument(s);
          // REST symbols are upper case; stream-style lower case names are not accepted here.
          return inst && inst.venueSymbol === s ? inst : undefined;
        },
        faults: ctx.faults,
        log: ctx.log,
      };
      if (options.maxOpenOrdersPerSymbol !== undefined) serviceDeps.maxOpenOrdersPerSymbol = options.maxOpenOrdersPerSymbol;
      const service = new OrderEntryService(serviceDeps);
      const dispatcher = new Dispatcher(service, limiter, accounts, ctx.clock, ctx.faults, ctx.log);
      const operations = buildOperations(service);
      const counters = { wsRequests: 0, wsBadFrames: 0, wsDroppedSends: 0 };
      installRestRoutes({ ctx, service, dispatcher, limiter, operations, withheld });
      conns = installWsApi({ ctx, service, dispatcher, limiter, operations, counters }) as unknown as Set<WebSocket<unknown>>;
      handle = {
        service,
        limiter,
        accounts,
        stats: () => ({
          ...service.counters,
          ...counters,
          internalErrors: dispatcher.internalErrors,
          userEventsDelivered: service.streams.delivered,
          userEventsDropped: service.streams.dropped,
          wsApiConnections: conns?.size ?? 0,
          errorsByCode: Object.fromEntries(dispatcher.errorsByCode),
        }),
      };
      const h = handle;
      ctx.registerRoute('GET', '/sim/orderentry', () => ({ status: 200, body: h.stats() }), { httpFaults: false });
      ctx.log.info('sim order entry installed', { accounts: accounts.all().length, symbols: instruments.length });
    },
    stop(): void {
      handle?.service.close();
      withheld.clear();
      conns?.clear();
    },
  };
}
