/**
 * Authenticates a SIGNED request: API key (format, then known), then signature over the
 * transport's payload, then the timestamp window. The order follows what a client sees
 * from Binance: a bad key never reveals whether the signature was right.
 */
import type { AccountRegistry } from '../account/registry.js';
import type { SimAccount } from '../account/account.js';
import { API_KEY_RE } from '../account/config.js';
import { ApiErrors } from '../orderentry/errors.js';
import type { RequestParams } from '../orderentry/params.js';
import { signatureMatches } from './hmac.js';
import { checkRequestTime, parseRecvWindowUs, parseTimestampUs } from './timing.js';

/** The account an API key belongs to: -2014 when malformed or missing, -2015 when unknown. */
export function accountForKey(accounts: AccountRegistry, apiKey: string | undefined): SimAccount {
  if (apiKey === undefined || !API_KEY_RE.test(apiKey)) throw ApiErrors.badApiKeyFormat();
  const account = accounts.byApiKey(apiKey);
  if (!account) throw ApiErrors.rejectedApiKey();
  return account;
}

/** Checks signature and timing of a signed request whose signed bytes are `payload`. */
export function verifySigned(account: SimAccount, params: RequestParams, payload: string, serverTimeMs: number): void {
  const timestampUs = parseTimestampUs(params.get('timestamp'));
  const recvWindowUs = parseRecvWindowUs(params.get('recvWindow'));
  const signature = params.get('signature');
  if (signature === undefined || signature === '') throw ApiErrors.mandatory('signature');
  if (!signatureMatches(account.apiSecret, payload, signature)) throw ApiErrors.badSignature();
  checkRequestTime(timestampUs, recvWindowUs, serverTimeMs);
}
