/**
 * Binance-style validation of query parameters, shared by the sim's REST handlers. Every
 * failure is an HTTP 400 with Binance's code and message.
 */
import { binanceError, type SimHttpRequest, type SimHttpResponse } from './plugin.js';

export class ParamError extends Error {
  constructor(readonly response: SimHttpResponse) {
    super(String((response.body as { msg?: string }).msg));
    this.name = 'ParamError';
  }
}

/** Rejects duplicated (-1101) and unexpected (-1104) parameters. */
export function checkParams(req: SimHttpRequest, allowed: readonly string[]): void {
  const seen = new Set<string>();
  let read = 0;
  let sent = 0;
  for (const key of req.query.keys()) {
    sent++;
    if (seen.has(key)) throw new ParamError(binanceError(400, -1101, `Duplicate values for a parameter detected.`));
    seen.add(key);
    if (allowed.includes(key)) read++;
  }
  if (read !== sent) throw new ParamError(binanceError(400, -1104, `Not all sent parameters were read; read '${read}' parameter(s) but was sent '${sent}'.`));
}

/** The `symbol` parameter, which must name one of `isSymbol`'s symbols. */
export function requireSymbol(req: SimHttpRequest, isSymbol: (s: string) => boolean): string {
  const s = req.query.get('symbol');
  if (s === null || s === '') throw new ParamError(binanceError(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."));
  if (!isSymbol(s)) throw new ParamError(binanceError(400, -1121, 'Invalid symbol.'));
  return s;
}

/** An optional unsigned integer parameter (Binance -1100 on anything but digits). */
export function optionalUint(req: SimHttpRequest, name: string): number | undefined {
  const v = req.query.get(name);
  if (v === null) return undefined;
  if (!/^[0-9]{1,20}$/.test(v)) throw new ParamError(binanceError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.`));
  const n = Number.parseInt(v, 10);
  if (!Number.isSafeInteger(n)) throw new ParamError(binanceError(400, -1130, `Data sent for parameter '${name}' is not valid.`));
  return n;
}

export function invalidParam(name: string): ParamError {
  return new ParamError(binanceError(400, -1130, `Data sent for parameter '${name}' is not valid.`));
}

/** Runs a handler body, turning ParamError into its Binance reply. */
export function withParams(fn: () => SimHttpResponse): SimHttpResponse {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ParamError) return err.response;
    throw err;
  }
}
