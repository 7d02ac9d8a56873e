/**
 * What a route handler sees: a plain object copied out of the uWS request (which dies
 * when the uWS callback returns), with the body already read and parsed as JSON.
 */
export interface GatewayRequest {
  /** Unique per request; in the x-request-id header of the reply and in error logs. */
  readonly id: string;
  readonly method: string;
  /** Path without the query string, as received (percent-encoded). */
  readonly path: string;
  /** Decoded path parameters of the route pattern. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Lower-case header names. `authorization` is removed once checked. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body; undefined when the request had none. */
  readonly body: unknown;
  readonly remoteAddress: string;
}

/** A reply with a chosen status, headers or a non-JSON body. */
export class GatewayResponse {
  constructor(
    readonly status: number,
    /** A string or bytes are sent as they are; anything else as JSON. */
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    if (!Number.isInteger(status) || status < 100 || status > 599) throw new RangeError(`response status ${status} is not an HTTP status`);
  }
}

export function reply(status: number, body?: unknown, headers?: Record<string, string>): GatewayResponse {
  return new GatewayResponse(status, body, headers);
}
