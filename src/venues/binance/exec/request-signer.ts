/**
 * Adds what a SIGNED request needs — timestamp (server time), recvWindow, apiKey (WS API)
 * and the signature — in each transport's form. The returned `timestampMs` is the
 * request's send time on the venue's clock (the budget files the reply's counts under
 * that window).
 */
import { encodeParams, type ParamList, type ParamValue } from '../sign/rest-sign.js';
import { wsApiPayload } from '../sign/wsapi-sign.js';
import type { BinanceCredentials } from '../sign/credentials.js';
import type { ClockOffset } from './clock-offset.js';

export interface SignedRest {
  /** The urlencoded parameters with `&signature=…` appended. */
  encoded: string;
  timestampMs: number;
}

export class RequestSigner {
  constructor(
    private readonly credentials: BinanceCredentials,
    private readonly clock: ClockOffset,
    private readonly recvWindowMs: number,
  ) {}

  apiKey(): string {
    return this.credentials.apiKey();
  }

  /**
   * REST: every parameter in one urlencoded string (sent as the query of a GET/DELETE or
   * the body of a POST, so the signed payload is that string alone: `query + body` with
   * one of them empty).
   */
  rest(params: ParamList): SignedRest {
    const timestampMs = this.clock.timestamp();
    let encoded = encodeParams(params);
    encoded += (encoded.length > 0 ? '&' : '') + 'recvWindow=' + this.recvWindowMs + '&timestamp=' + timestampMs;
    encoded += '&signature=' + this.credentials.sign(encoded);
    return { encoded, timestampMs };
  }

  /** WS API: params plus apiKey, recvWindow, timestamp and the signature over them sorted. */
  ws(params: Record<string, ParamValue>): { params: Record<string, ParamValue>; timestampMs: number } {
    const timestampMs = this.clock.timestamp();
    params.apiKey = this.credentials.apiKey();
    params.recvWindow = this.recvWindowMs;
    params.timestamp = timestampMs;
    params.signature = this.credentials.sign(wsApiPayload(params));
    return { params, timestampMs };
  }
}
