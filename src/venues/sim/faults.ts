/**
 * Fault injection for the sim: what can go wrong between a venue and a client, on demand.
 * Faults are armed through `inject(spec)` (in-process tests) or POST /sim/faults with the
 * same JSON (one spec, an array of specs, or {"clear": true}).
 *
 * Stream faults act on market-data WebSocket connections open at the moment of injection
 * that carry a stream whose name contains `stream` (default: every connection); counts
 * are per connection:
 *   drop            close the connection abruptly (no close frame)
 *   stall           send nothing for `ms`, then deliver what was held back (read deadlines fire)
 *   gap             swallow the next `count` depth diffs (the client sees U != prev u + 1 / pu != prev u)
 *   duplicate       send each of the next `count` depth diffs twice
 *   reorder         swap the next depth diff with the one after it (`count` times)
 *   malformed       send `count` frames that are not JSON
 *   truncated       send `count` frames cut in the middle (valid UTF-8, invalid JSON)
 *   serverShutdown  send the serverShutdown event, then close after `ms` (default 0)
 * HTTP faults, applied by the router to every route outside /sim/ whose path starts with
 * `route` (default all), before its handler; order entry can also ask `takeHttpFault`:
 *   http429         `count` replies 429 {"code":-1003} with Retry-After: retryAfterSec
 *   http418         every reply is 418 (IP ban) for `ms`, with Retry-After
 *   http500         `count` replies 500
 *   snapshotError   `count` depth snapshots answer 500 (route defaults to the depth path)
 *   snapshotDelay   `count` depth snapshots are answered `ms` late
 * Order faults are not acted on here: order entry consumes them with
 * `take(kind, {symbol})`, which returns the spec (and uses up one count) or undefined:
 *   orderReject     refuse the next `count` orders with Binance error `code`/`msg`
 *                   (default -2010 "Account has insufficient balance for requested action.")
 *   execBeforeAck   deliver the executionReport before the order's REST/WS-API reply
 *   lostAck         place the order but never send its reply
 */

export const STREAM_FAULT_KINDS = ['drop', 'stall', 'gap', 'duplicate', 'reorder', 'malformed', 'truncated', 'serverShutdown'] as const;
export const HTTP_FAULT_KINDS = ['http429', 'http418', 'http500', 'snapshotError', 'snapshotDelay'] as const;
export const ORDER_FAULT_KINDS = ['orderReject', 'execBeforeAck', 'lostAck'] as const;

export type StreamFaultKind = (typeof STREAM_FAULT_KINDS)[number];
export type HttpFaultKind = (typeof HTTP_FAULT_KINDS)[number];
export type OrderFaultKind = (typeof ORDER_FAULT_KINDS)[number];
export type FaultKind = StreamFaultKind | HttpFaultKind | OrderFaultKind;

export interface FaultSpec {
  kind: FaultKind;
  /** How many times the fault fires (per connection for stream faults). Default 1. */
  count?: number;
  /** Stall length, ban length (http418), snapshot delay, serverShutdown grace. */
  ms?: number;
  /** Stream faults: substring of the stream name, e.g. "btcusdt@depth". */
  stream?: string;
  /** HTTP faults: path prefix, e.g. "/api/v3/depth" or "/api/v3/order". */
  route?: string;
  /** Order faults (and snapshot faults): only for this symbol. */
  symbol?: string;
  /** Retry-After header for http429 / http418, seconds. Default 1. */
  retryAfterSec?: number;
  /** orderReject: the Binance error code and message to answer. */
  code?: number;
  msg?: string;
}

export class FaultSpecError extends Error {
  readonly code = 'SIM_FAULT_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

/** What the HTTP layer must do for a request: wait, answer with an error, or both. */
export interface HttpFaultAction {
  kind: HttpFaultKind;
  delayMs: number;
  /** Set when the request must be answered with this error instead of its handler. */
  status?: number;
  headers?: Record<string, string>;
  body?: { code: number; msg: string };
}

/** A stream fault with its defaults filled in. */
export type ArmedStreamFault = FaultSpec & { kind: StreamFaultKind; count: number; ms: number };
export type StreamFaultHandler = (fault: ArmedStreamFault) => void;

const ALL_KINDS: ReadonlySet<string> = new Set<string>([...STREAM_FAULT_KINDS, ...HTTP_FAULT_KINDS, ...ORDER_FAULT_KINDS]);
const MAX_COUNT = 1_000_000;
const MAX_MS = 24 * 3600 * 1000;

/** Checks one spec from outside (POST body or test code); throws FaultSpecError naming the field. */
export function validateFaultSpec(input: unknown): FaultSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FaultSpecError('a fault must be a JSON object');
  const o = input as Record<string, unknown>;
  const known = new Set(['kind', 'count', 'ms', 'stream', 'route', 'symbol', 'retryAfterSec', 'code', 'msg']);
  for (const k of Object.keys(o)) if (!known.has(k)) throw new FaultSpecError(`unknown fault field "${k}"`);
  if (typeof o.kind !== 'string' || !ALL_KINDS.has(o.kind)) {
    throw new FaultSpecError(`fault kind must be one of ${[...ALL_KINDS].join(', ')}; got ${JSON.stringify(o.kind)}`);
  }
  const spec: FaultSpec = { kind: o.kind as FaultKind };
  const int = (name: 'count' | 'ms' | 'retryAfterSec' | 'code', min: number, max: number): void => {
    const v = o[name];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new FaultSpecError(`fault field "${name}" must be an integer in [${min}, ${max}]; got ${JSON.stringify(v)}`);
    }
    spec[name] = v;
  };
  int('count', 1, MAX_COUNT);
  int('ms', 0, MAX_MS);
  int('retryAfterSec', 0, 86_400);
  int('code', -100_000, 100_000);
  for (const name of ['stream', 'route', 'symbol', 'msg'] as const) {
    const v = o[name];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length === 0 || v.length > 200) throw new FaultSpecError(`fault field "${name}" must be a non-empty string of at most 200 characters`);
    spec[name] = v;
  }
  if ((spec.kind === 'stall' || spec.kind === 'http418' || spec.kind === 'snapshotDelay') && spec.ms === undefined) {
    throw new FaultSpecError(`fault "${spec.kind}" needs "ms"`);
  }
  return spec;
}

interface ArmedFault {
  spec: FaultSpec;
  remaining: number;
  /** http418: end of the ban window (clock ms). */
  untilMs: number;
}

export interface FaultCounters {
  injected: Record<string, number>;
  fired: Record<string, number>;
}

/** The depth-snapshot paths of both market modes; snapshot faults default to these. */
const SNAPSHOT_ROUTES = ['/api/v3/depth', '/fapi/v1/depth'];

export class SimFaults {
  private readonly armed: ArmedFault[] = [];
  private readonly streamHandlers: StreamFaultHandler[] = [];
  private readonly counters: FaultCounters = { injected: {}, fired: {} };

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** Arms a fault. Stream faults are handed to the server at once; the rest wait to be taken. */
  inject(input: FaultSpec): FaultSpec {
    const spec = validateFaultSpec(input);
    this.counters.injected[spec.kind] = (this.counters.injected[spec.kind] ?? 0) + 1;
    const count = spec.count ?? 1;
    if ((STREAM_FAULT_KINDS as readonly string[]).includes(spec.kind)) {
      const full: ArmedStreamFault = { ...spec, kind: spec.kind as StreamFaultKind, count, ms: spec.ms ?? 0 };
      for (const h of this.streamHandlers) h(full);
      return spec;
    }
    this.armed.push({ spec, remaining: count, untilMs: spec.kind === 'http418' ? this.nowMs() + (spec.ms ?? 0) : 0 });
    return spec;
  }

  /** Disarms every pending fault (stream faults already handed out keep running). */
  clear(): void {
    this.armed.length = 0;
  }

  /** The server registers here to apply stream faults to its connections. */
  onStreamFault(handler: StreamFaultHandler): () => void {
    this.streamHandlers.push(handler);
    return () => {
      const i = this.streamHandlers.indexOf(handler);
      if (i >= 0) this.streamHandlers.splice(i, 1);
    };
  }

  /** Records that a fault took effect (for /sim/stats); called by whoever acted on it. */
  noteFired(kind: FaultKind): void {
    this.counters.fired[kind] = (this.counters.fired[kind] ?? 0) + 1;
  }

  /**
   * Consumes one order fault of `kind` that matches `symbol`, oldest first. Returns the
   * spec (orderReject: with code/msg defaulted) or undefined when none is armed.
   */
  take(kind: OrderFaultKind, filter: { symbol?: string } = {}): FaultSpec | undefined {
    for (let i = 0; i < this.armed.length; i++) {
      const a = this.armed[i] as ArmedFault;
      if (a.spec.kind !== kind) continue;
      if (a.spec.symbol !== undefined && filter.symbol !== undefined && a.spec.symbol.toUpperCase() !== filter.symbol.toUpperCase()) continue;
      if (a.spec.symbol !== undefined && filter.symbol === undefined) continue;
      this.use(i, a);
      this.noteFired(kind);
      if (kind === 'orderReject') {
        return { ...a.spec, code: a.spec.code ?? -2010, msg: a.spec.msg ?? 'Account has insufficient balance for requested action.' };
      }
      return { ...a.spec };
    }
    return undefined;
  }

  /**
   * The HTTP fault to apply to a request on `path` (for `symbol`, if the request names
   * one), consuming one count; undefined when the request should be served normally.
   */
  takeHttpFault(path: string, symbol?: string): HttpFaultAction | undefined {
    const now = this.nowMs();
    let delayMs = 0;
    for (let i = 0; i < this.armed.length; i++) {
      const a = this.armed[i] as ArmedFault;
      const s = a.spec;
      if (!(HTTP_FAULT_KINDS as readonly string[]).includes(s.kind)) continue;
      if (!routeMatches(s, path)) continue;
      if (s.symbol !== undefined && (symbol === undefined || s.symbol.toUpperCase() !== symbol.toUpperCase())) continue;
      const retry = String(s.retryAfterSec ?? 1);
      switch (s.kind as HttpFaultKind) {
        case 'http418':
          if (now >= a.untilMs) {
            this.armed.splice(i--, 1);
            continue;
          }
          this.noteFired('http418');
          return {
            kind: 'http418',
            delayMs,
            status: 418,
            headers: { 'Retry-After': retry },
            body: { code: -1003, msg: `Way too many requests; IP banned until ${a.untilMs}. Please use the websocket for live updates to avoid bans.` },
          };
        case 'http429':
          this.use(i, a);
          this.noteFired('http429');
          return {
            kind: 'http429',
            delayMs,
            status: 429,
            headers: { 'Retry-After': retry },
            body: { code: -1003, msg: 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.' },
          };
        case 'http500':
        case 'snapshotError':
          this.use(i, a);
          this.noteFired(s.kind);
          return { kind: s.kind as HttpFaultKind, delayMs, status: 500, body: { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' } };
        case 'snapshotDelay':
          // A delay combines with whatever else applies to the same request.
          delayMs += s.ms ?? 0;
          this.noteFired('snapshotDelay');
          a.remaining--;
          if (a.remaining <= 0) this.armed.splice(i--, 1);
          continue;
      }
    }
    return delayMs > 0 ? { kind: 'snapshotDelay', delayMs } : undefined;
  }

  /** Armed (not yet used up) faults, for /sim/faults GET and tests. */
  pending(): FaultSpec[] {
    return this.armed.map((a) => ({ ...a.spec, count: a.remaining }));
  }

  stats(): FaultCounters {
    return { injected: { ...this.counters.injected }, fired: { ...this.counters.fired } };
  }

  private use(i: number, a: ArmedFault): void {
    a.remaining--;
    if (a.remaining <= 0) this.armed.splice(i, 1);
  }
}

function routeMatches(spec: FaultSpec, path: string): boolean {
  if (spec.route !== undefined) return path.startsWith(spec.route);
  if (spec.kind === 'snapshotError' || spec.kind === 'snapshotDelay') return SNAPSHOT_ROUTES.includes(path);
  return true;
}
