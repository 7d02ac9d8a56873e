/**
 * One simulated Binance account: credentials, commission rates and balances, plus the
 * trade history GET /api/v3/myTrades serves. Order state lives in the matching engine;
 * what the account adds per open order is its reservation (the locked amount).
 */
import { parseDecimal } from '../../../core/fixed/decimal.js';
import type { AssetScales } from './asset-scales.js';
import { Balances } from './balances.js';
import { DEFAULT_COMMISSION, SimAccountConfigError, type SimAccountConfig } from './config.js';

/** Commission rates are kept at this scale ("0.00100000"). */
export const RATE_SCALE = 8;
/** Most trades myTrades can return per account; older ones are dropped first. */
export const MAX_TRADES_KEPT = 10_000;

export interface AccountTrade {
  symbol: string;
  id: number;
  orderId: number;
  price: bigint;
  qty: bigint;
  /** price × qty at priceScale + qtyScale. */
  quoteQty: bigint;
  commission: bigint;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

/** What an open order holds locked: `amount` of `asset` at the asset's scale. */
export interface Reservation {
  asset: string;
  amount: bigint;
  /** Limit price the quote reservation was computed at (BUY LIMIT), at priceScale; 0 otherwise. */
  price: bigint;
}

export class SimAccount {
  readonly name: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly makerRate: bigint;
  readonly takerRate: bigint;
  readonly balances: Balances;
  readonly trades: AccountTrade[] = [];
  /** Open orders' reservations by `${symbol}:${orderId}`. */
  readonly reservations = new Map<string, Reservation>();
  /** Open orders per symbol (MAX_NUM_ORDERS without scanning the book). */
  private readonly openBySymbol = new Map<string, number>();
  /** Time of the last balance change (outboundAccountPosition `u`, account `updateTime`). */
  updateTime = 0;

  constructor(config: SimAccountConfig, scales: AssetScales) {
    this.name = config.name ?? config.apiKey;
    this.apiKey = config.apiKey;
    this.apiSecret = config.apiSecret;
    this.makerRate = parseRate(this.name, 'makerCommission', config.makerCommission ?? DEFAULT_COMMISSION);
    this.takerRate = parseRate(this.name, 'takerCommission', config.takerCommission ?? DEFAULT_COMMISSION);
    this.balances = new Balances(scales);
    for (const [asset, text] of Object.entries(config.balances)) {
      try {
        this.balances.setFree(asset, parseDecimal(text, scales.of(asset)));
      } catch (err) {
        throw new SimAccountConfigError(`sim account ${this.name}: balance ${asset}=${text}: ${(err as Error).message}`);
      }
    }
    this.balances.takeChanged();
  }

  addReservation(symbol: string, orderId: number, res: Reservation): void {
    const key = `${symbol}:${orderId}`;
    if (this.reservations.has(key)) return;
    this.reservations.set(key, res);
    this.openBySymbol.set(symbol, (this.openBySymbol.get(symbol) ?? 0) + 1);
  }

  removeReservation(symbol: string, orderId: number): void {
    if (!this.reservations.delete(`${symbol}:${orderId}`)) return;
    this.openBySymbol.set(symbol, (this.openBySymbol.get(symbol) ?? 1) - 1);
  }

  openCount(symbol: string): number {
    return this.openBySymbol.get(symbol) ?? 0;
  }

  recordTrade(t: AccountTrade): void {
    this.trades.push(t);
    if (this.trades.length > MAX_TRADES_KEPT) this.trades.splice(0, this.trades.length - MAX_TRADES_KEPT);
  }
}

function parseRate(account: string, field: string, text: string): bigint {
  let r: bigint;
  try {
    r = parseDecimal(text, RATE_SCALE);
  } catch (err) {
    throw new SimAccountConfigError(`sim account ${account}: ${field}=${text}: ${(err as Error).message}`);
  }
  if (r >= 10n ** BigInt(RATE_SCALE)) throw new SimAccountConfigError(`sim account ${account}: ${field}=${text} must be below 1`);
  return r;
}
