/**
 * One signed request, transport-independent: rate limits, API key, signature and
 * timestamp, the operation itself (with events held), and which order faults apply to
 * its reply. Every failure becomes a BinanceApiError outcome; anything else is counted,
 * logged and answered -1000, never thrown to the socket layer.
 */
import type { AccountRegistry } from '../account/registry.js';
import type { SimAccount } from '../account/account.js';
import { accountForKey, verifySigned } from '../auth/request-auth.js';
import type { SimFaults } from '../faults.js';
import type { SimClock, SimLog } from '../server/plugin.js';
import { ApiErrors, BinanceApiError } from './errors.js';
import type { Operation } from './operations.js';
import type { RequestParams } from './params.js';
import type { RateLimiter } from './rate-limits.js';
import type { OrderEntryService } from './service.js';

export interface SignedRequest {
  ip: string;
  /** REST: the X-MBX-APIKEY header; WS API: the apiKey param. */
  apiKey: string | undefined;
  /** Parses the params and the signed payload; may throw BinanceApiError. */
  read(): { params: RequestParams; payload: string };
}

export interface Outcome {
  ok: boolean;
  status: number;
  /** The result (ok) or the {code,msg} error body. */
  body: unknown;
  retryAfterSec?: number;
  /** Account whose ORDERS counts belong in the reply's headers / rateLimits. */
  orderAccount?: string;
  account?: SimAccount;
  /** Order faults: deliver events before the reply / never send the reply. */
  execBeforeAck: boolean;
  lostAck: boolean;
}

export class Dispatcher {
  internalErrors = 0;
  /** Refused requests by Binance error code (validation, auth, limits, business rules). */
  readonly errorsByCode = new Map<number, number>();

  constructor(
    private readonly service: OrderEntryService,
    private readonly limiter: RateLimiter,
    private readonly accounts: AccountRegistry,
    private readonly clock: SimClock,
    private readonly faults: SimFaults,
    private readonly log: SimLog,
  ) {}

  run(op: Operation, req: SignedRequest): Outcome {
    let orderAccount: string | undefined;
    let account: SimAccount | undefined;
    try {
      let read: { params: RequestParams; payload: string };
      try {
        read = req.read();
      } catch (err) {
        this.limiter.chargeWeight(req.ip, 1);
        throw err;
      }
      const { params, payload } = read;
      this.limiter.chargeWeight(req.ip, op.weight(params));
      account = accountForKey(this.accounts, req.apiKey);
      verifySigned(account, params, payload, this.clock.nowMs());
      if (op.placesOrder) {
        orderAccount = account.name;
        this.limiter.chargeOrder(account.name);
      }
      const acct = account;
      const body = this.service.request(() => op.run(acct, params));
      let execBeforeAck = false;
      let lostAck = false;
      if (op.placesOrder) {
        const symbol = params.get('symbol');
        const f = symbol !== undefined ? { symbol } : {};
        execBeforeAck = this.faults.take('execBeforeAck', f) !== undefined;
        lostAck = this.faults.take('lostAck', f) !== undefined;
      }
      const out: Outcome = { ok: true, status: 200, body, execBeforeAck, lostAck, account };
      if (orderAccount !== undefined) out.orderAccount = orderAccount;
      return out;
    } catch (err) {
      let e: BinanceApiError;
      if (err instanceof BinanceApiError) e = err;
      else {
        this.internalErrors++;
        this.log.error('sim order entry: request failed', { op: op.name, err: (err as Error).message });
        e = ApiErrors.unknown();
      }
      this.errorsByCode.set(e.code, (this.errorsByCode.get(e.code) ?? 0) + 1);
      const out: Outcome = { ok: false, status: e.httpStatus, body: e.body(), execBeforeAck: false, lostAck: false };
      if (e.retryAfterSec !== undefined) out.retryAfterSec = e.retryAfterSec;
      if (orderAccount !== undefined) out.orderAccount = orderAccount;
      if (account !== undefined) out.account = account;
      return out;
    }
  }
}
