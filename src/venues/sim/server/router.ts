/**
 * HTTP routing on the sim's uWS app: reads a request in full (uWS request objects die
 * when the handler returns), applies injected HTTP faults, runs the handler (sync or
 * async) and writes the reply corked. A handler that throws becomes a Binance -1000
 * reply with status 500 and a counted error, never a crash.
 */
import type { HttpRequest, HttpResponse, TemplatedApp } from '@btc-vision/uwebsockets.js';
import type { SimFaults } from '../faults.js';
import type { SimHttpMethod, SimHttpRequest, SimHttpResponse, SimLog, SimRouteHandler, SimRouteOptions } from './plugin.js';

const MAX_BODY_BYTES = 1 << 20;

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  418: "I'm a teapot",
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface RouterCounters {
  requests: number;
  errors: number;
  faulted: number;
  notFound: number;
  aborted: number;
}

export class SimHttpRouter {
  readonly counters: RouterCounters = { requests: 0, errors: 0, faulted: 0, notFound: 0, aborted: 0 };
  private readonly routes = new Set<string>();

  constructor(
    private readonly app: TemplatedApp,
    private readonly faults: SimFaults,
    private readonly log: SimLog,
  ) {}

  add(method: SimHttpMethod, pattern: string, handler: SimRouteHandler, options: SimRouteOptions = {}): void {
    const key = `${method} ${pattern}`;
    if (this.routes.has(key)) throw new Error(`sim route ${key} registered twice`);
    this.routes.add(key);
    const useFaults = options.httpFaults ?? !pattern.startsWith('/sim/');
    const paramCount = pattern.split('/').filter((s) => s.startsWith(':')).length;
    const uwsHandler = (res: HttpResponse, req: HttpRequest): void => this.handle(res, req, method, handler, useFaults, paramCount);
    switch (method) {
      case 'GET':
        this.app.get(pattern, uwsHandler);
        break;
      case 'POST':
        this.app.post(pattern, uwsHandler);
        break;
      case 'PUT':
        this.app.put(pattern, uwsHandler);
        break;
      case 'DELETE':
        this.app.del(pattern, uwsHandler);
        break;
    }
  }

  /** Everything not routed: Binance-style 404. Register after every other route. */
  addFallback(): void {
    this.app.any('/*', (res, req) => {
      const path = req.getUrl();
      const method = req.getMethod().toUpperCase();
      this.counters.notFound++;
      res.cork(() => {
        res.writeStatus('404 Not Found').writeHeader('Content-Type', 'application/json;charset=UTF-8');
        res.end(JSON.stringify({ code: -1, msg: `No route for ${method} ${path} on this sim.` }));
      });
    });
  }

  private handle(res: HttpResponse, req: HttpRequest, method: SimHttpMethod, handler: SimRouteHandler, useFaults: boolean, paramCount: number): void {
    this.counters.requests++;
    const state = { aborted: false };
    res.onAborted(() => {
      state.aborted = true;
      this.counters.aborted++;
    });
    const rawQuery = req.getQuery() ?? '';
    const headers: Record<string, string> = {};
    req.forEach((k, v) => {
      headers[k] = v;
    });
    const params: string[] = [];
    for (let i = 0; i < paramCount; i++) params.push(req.getParameter(i) ?? '');
    const request: SimHttpRequest = {
      method,
      path: req.getUrl(),
      rawQuery,
      query: new URLSearchParams(rawQuery),
      headers,
      body: '',
      params,
      remoteAddress: Buffer.from(res.getRemoteAddressAsText()).toString(),
    };
    if (method === 'GET') {
      void this.run(res, state, request, handler, useFaults);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    res.onData((chunk, isLast) => {
      if (size < 0) return;
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        size = -1;
        this.reply(res, state, { status: 413, body: { code: -1000, msg: `Request body over ${MAX_BODY_BYTES} bytes.` } });
        return;
      }
      // The chunk is only valid during this callback: copy it.
      chunks.push(Buffer.from(new Uint8Array(chunk).slice()));
      if (isLast) {
        request.body = Buffer.concat(chunks).toString('utf8');
        void this.run(res, state, request, handler, useFaults);
      }
    });
  }

  private async run(res: HttpResponse, state: { aborted: boolean }, req: SimHttpRequest, handler: SimRouteHandler, useFaults: boolean): Promise<void> {
    let reply: SimHttpResponse;
    try {
      if (useFaults) {
        const fault = this.faults.takeHttpFault(req.path, req.query.get('symbol') ?? undefined);
        if (fault) {
          this.counters.faulted++;
          if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
          if (fault.status !== undefined) {
            this.reply(res, state, { status: fault.status, body: fault.body, ...(fault.headers ? { headers: fault.headers } : {}) });
            return;
          }
        }
      }
      reply = await handler(req);
    } catch (err) {
      this.counters.errors++;
      this.log.error('sim route failed', { path: req.path, error: (err as Error).message });
      reply = { status: 500, body: { code: -1000, msg: 'An unknown error occurred while processing the request.' } };
    }
    this.reply(res, state, reply);
  }

  private reply(res: HttpResponse, state: { aborted: boolean }, reply: SimHttpResponse): void {
    if (state.aborted) return;
    state.aborted = true; // a response ends once
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.cork(() => {
      res.writeStatus(`${reply.status} ${REASONS[reply.status] ?? 'Status'}`);
      let typed = false;
      for (const [k, v] of Object.entries(reply.headers ?? {})) {
        if (k.toLowerCase() === 'content-type') typed = true;
        res.writeHeader(k, v);
      }
      if (!typed) res.writeHeader('Content-Type', 'application/json;charset=UTF-8');
      res.end(body);
    });
  }
}
