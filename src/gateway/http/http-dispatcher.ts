/**
 * One HTTP request through the gateway: auth → route → body → handler → reply.
 *
 * uWS rules kept here: the HttpRequest is copied before the callback returns; onAborted
 * is attached first, and after an abort (or after the reply) `res` is never touched
 * again; every write happens inside res.cork (one syscall per reply, also after an await).
 * A handler that throws HttpError gets that status; anything else is a 500 with the
 * request id, logged with the method and path — never headers, query or body, where a
 * token could be.
 */
import type { HttpRequest, HttpResponse } from '@btc-vision/uwebsockets.js';
import type { VelozLogger } from '../../core/log/index.js';
import type { GatewayRouteLabel } from '../../core/metrics/engine-metrics.js';
import type { GatewayMetrics } from '../gateway-metrics.js';
import type { BearerAuth } from './auth.js';
import { parseJsonBody, readBody } from './body-reader.js';
import { HttpError, errorBody, statusLine } from './errors.js';
import { toJson } from './json.js';
import { GatewayResponse, type GatewayRequest } from './request.js';
import type { RequestIds } from './request-ids.js';
import { routeLabelFor, type Route, type RouteTable } from './route-table.js';

export interface DispatcherOptions {
  routes: RouteTable;
  auth: BearerAuth;
  /** Default body limit, bytes. */
  maxBodyBytes: number;
  metrics: GatewayMetrics;
  log: VelozLogger;
  requestIds: RequestIds;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One request in flight: the uWS response, valid until `finished`. */
class Exchange {
  aborted = false;
  finished = false;
  label: GatewayRouteLabel = 'unmatched';
  constructor(
    readonly res: HttpResponse,
    readonly id: string,
  ) {}

  get open(): boolean {
    return !this.aborted && !this.finished;
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

export class HttpDispatcher {
  /** Requests whose client went away before the reply. */
  aborted = 0;
  /** Handler failures answered with 500. */
  failures = 0;

  constructor(private readonly o: DispatcherOptions) {}

  handle(res: HttpResponse, req: HttpRequest): void {
    const x = new Exchange(res, this.o.requestIds.next(req.getHeader('x-request-id')));
    res.onAborted(() => {
      x.aborted = true;
      this.aborted++;
    });
    const method = req.getMethod().toUpperCase();
    const path = req.getUrl();
    const query = req.getQuery() ?? '';
    const headers: Record<string, string> = {};
    req.forEach((k, v) => {
      headers[k] = v;
    });
    const authorization = headers['authorization'] ?? '';
    delete headers['authorization'];

    let route: Route;
    let params: Record<string, string>;
    try {
      const m = this.o.routes.match(method, path);
      if (m.kind === 'found') {
        x.label = m.route.metricsRoute;
        if (m.route.auth) this.o.auth.check(authorization);
        route = m.route;
        params = m.params;
      } else if (m.kind === 'method') {
        x.label = routeLabelFor(path);
        if (m.auth) this.o.auth.check(authorization);
        throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; allowed: ${m.allowed.join(', ')}`, {
          headers: { Allow: m.allowed.join(', ') },
          details: { allowed: m.allowed },
        });
      } else {
        // Unknown paths ask for the token first, so the API's shape is not probeable anonymously.
        this.o.auth.check(authorization);
        throw new HttpError(404, 'NOT_FOUND', `no route for ${method} ${path}`);
      }
    } catch (err) {
      this.fail(x, method, path, err, true);
      return;
    }

    const base = {
      id: x.id,
      method,
      path,
      params,
      query: new URLSearchParams(query),
      headers,
      remoteAddress: Buffer.from(res.getRemoteAddressAsText()).toString(),
    };
    const lengthHeader = headers['content-length'];
    const hasBody = BODY_METHODS.has(method) && ((lengthHeader !== undefined && lengthHeader !== '0') || headers['transfer-encoding'] !== undefined);
    if (!hasBody) {
      this.run(x, route, { ...base, body: undefined });
      return;
    }
    const declared = lengthHeader === undefined ? 0 : Number(lengthHeader);
    if (!Number.isSafeInteger(declared) || declared < 0) {
      this.fail(x, method, path, new HttpError(400, 'BAD_REQUEST', 'Content-Length is not a non-negative integer'), true);
      return;
    }
    readBody(res, route.maxBodyBytes ?? this.o.maxBodyBytes, declared, (raw) => {
      if (raw instanceof HttpError) {
        // The rest of an oversized body is not read: close the connection after replying.
        this.fail(x, method, path, raw, true);
        return;
      }
      let body: unknown;
      try {
        body = parseJsonBody(raw);
      } catch (err) {
        this.fail(x, method, path, err, false);
        return;
      }
      this.run(x, route, { ...base, body });
    });
  }

  private run(x: Exchange, route: Route, request: GatewayRequest): void {
    let result: unknown;
    try {
      result = route.handler(request);
    } catch (err) {
      this.fail(x, request.method, request.path, err, false, route);
      return;
    }
    if (!isThenable(result)) {
      this.succeed(x, result);
      return;
    }
    Promise.resolve(result).then(
      (value) => this.succeed(x, value),
      (err: unknown) => this.fail(x, request.method, request.path, err, false, route),
    );
  }

  private succeed(x: Exchange, value: unknown): void {
    let status = 200;
    let body: string | Uint8Array = '';
    let headers: Readonly<Record<string, string>> = {};
    let type = JSON_TYPE;
    try {
      if (value instanceof GatewayResponse) {
        status = value.status;
        headers = value.headers;
        const b = value.body;
        if (typeof b === 'string' || b instanceof Uint8Array) {
          body = b;
          type = 'text/plain; charset=utf-8';
        } else if (b !== undefined) {
          body = toJson(b);
        }
      } else if (value === undefined) {
        status = 204;
      } else {
        body = toJson(value);
      }
    } catch (err) {
      this.fail(x, '', '', err, false);
      return;
    }
    this.write(x, status, body, type, headers, false);
  }

  private fail(x: Exchange, method: string, path: string, err: unknown, closeConnection: boolean, route?: Route): void {
    if (err instanceof HttpError) {
      this.write(x, err.status, errorBody(err.code, err.message, err.details), JSON_TYPE, err.headers ?? {}, closeConnection);
      return;
    }
    this.failures++;
    this.o.log.error(
      { requestId: x.id, method, path, route: route?.pattern, err },
      'gateway handler failed',
    );
    this.write(x, 500, errorBody('INTERNAL', `internal error (request id ${x.id})`, { requestId: x.id }), JSON_TYPE, {}, false);
  }

  private write(
    x: Exchange,
    status: number,
    body: string | Uint8Array,
    type: string,
    headers: Readonly<Record<string, string>>,
    closeConnection: boolean,
  ): void {
    if (!x.open) return;
    x.finished = true;
    this.o.metrics.request(x.label, status);
    const res = x.res;
    res.cork(() => {
      res.writeStatus(statusLine(status));
      let typed = false;
      for (const k in headers) {
        if (k.toLowerCase() === 'content-type') typed = true;
        res.writeHeader(k, headers[k]!);
      }
      if (!typed && status !== 204) res.writeHeader('Content-Type', type);
      res.writeHeader('X-Request-Id', x.id);
      res.writeHeader('Cache-Control', 'no-store');
      if (status === 204) res.endWithoutBody(0, closeConnection);
      else res.end(body, closeConnection);
    });
  }
}
