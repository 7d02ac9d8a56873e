/**
 * Sim accounts as configured: API key and secret, starting balances (decimal strings)
 * and commission rates. Validated once at start; a bad entry is a SimAccountConfigError
 * naming the account and field.
 */
import { z } from 'zod';

export interface SimAccountConfig {
  /** Owner id in the matching engine and in /sim ground truth; defaults to the API key. */
  name?: string;
  apiKey: string;
  apiSecret: string;
  /** Starting free balances, e.g. { BTC: "1.5", USDT: "10000" }. */
  balances: Record<string, string>;
  /** Fraction of the received amount charged on maker fills; default "0.001" (10 bps, Binance's base tier). */
  makerCommission?: string;
  /** Same for taker fills; default "0.001". */
  takerCommission?: string;
}

export const DEFAULT_COMMISSION = '0.001';

const DECIMAL = /^[0-9]{1,30}(\.[0-9]{1,30})?$/;
/** Binance keys are 64 alphanumerics; the sim accepts 1..128 of [A-Za-z0-9]. */
export const API_KEY_RE = /^[A-Za-z0-9]{1,128}$/;

const accountSchema = z.object({
  name: z.string().min(1).max(64).optional(),
  apiKey: z.string().regex(API_KEY_RE, 'apiKey must be 1..128 letters or digits'),
  apiSecret: z.string().min(1).max(256),
  balances: z.record(z.string().regex(/^[A-Z0-9]{1,20}$/, 'asset must be upper-case letters/digits'), z.string().regex(DECIMAL, 'balance must be a plain decimal')),
  makerCommission: z.string().regex(DECIMAL).optional(),
  takerCommission: z.string().regex(DECIMAL).optional(),
});

export class SimAccountConfigError extends Error {
  readonly code = 'SIM_ACCOUNT_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'SimAccountConfigError';
  }
}

export function validateAccountConfigs(input: unknown): SimAccountConfig[] {
  const parsed = z.array(accountSchema).safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SimAccountConfigError(`sim accounts: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const keys = new Set<string>();
  const names = new Set<string>();
  for (const a of parsed.data) {
    const name = a.name ?? a.apiKey;
    if (keys.has(a.apiKey)) throw new SimAccountConfigError(`sim accounts: apiKey ${a.apiKey.slice(0, 6)}… configured twice`);
    if (names.has(name)) throw new SimAccountConfigError(`sim accounts: name ${name} configured twice`);
    keys.add(a.apiKey);
    names.add(name);
  }
  return parsed.data;
}
