/**
 * The gateway's REST routes: `METHOD /path/:param/...`, registered by whoever owns a
 * resource (orders, positions, strategies, risk) before or after the gateway starts.
 * Matching is ours, not uWS's, so an unknown path (404) and a known path with the wrong
 * method (405 + Allow) are told apart. A static segment wins over a parameter at the
 * same position (`/orders/open` before `/orders/:id`).
 */
import { GATEWAY_ROUTES, type GatewayRouteLabel } from '../../core/metrics/engine-metrics.js';
import { HttpError } from './errors.js';
import type { GatewayRequest } from './request.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** What a handler returns: a GatewayResponse, a value sent as JSON with 200, or undefined for 204. */
export type RouteHandler = (req: GatewayRequest) => unknown;

export interface RouteOptions {
  /** Require the bearer token (when one is configured). Default true. */
  auth?: boolean;
  /** Body size limit for this route, bytes (default: the gateway's). */
  maxBodyBytes?: number;
  /** `route` label in veloz_gateway_requests_total (default: derived from the path). */
  metricsRoute?: GatewayRouteLabel;
}

export interface Route {
  readonly method: HttpMethod;
  readonly pattern: string;
  readonly handler: RouteHandler;
  readonly auth: boolean;
  readonly maxBodyBytes: number | undefined;
  readonly metricsRoute: GatewayRouteLabel;
  /** Static text per segment, or null for a parameter. */
  readonly segments: readonly (string | null)[];
  readonly paramNames: readonly string[];
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method'; allowed: HttpMethod[]; auth: boolean }
  | { kind: 'none' };

const SEGMENT = /^[A-Za-z0-9._~-]+$/;
const PARAM = /^:[A-Za-z_][A-Za-z0-9_]*$/;

function splitPath(path: string): string[] {
  // '/a/b/' and '/a/b' are the same route; '//' never matches anything.
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed === '/' ? [] : trimmed.slice(1).split('/');
}

/** The metrics label of a path: the endpoint, or the resource after /api/v1/. */
export function routeLabelFor(pattern: string): GatewayRouteLabel {
  const parts = splitPath(pattern);
  const known = (s: string | undefined): GatewayRouteLabel | undefined =>
    (GATEWAY_ROUTES as readonly string[]).includes(s ?? '') ? (s as GatewayRouteLabel) : undefined;
  if (parts.length === 1) return known(parts[0]) ?? 'other';
  if (parts[0] === 'api' && parts.length >= 3) return known(parts[2]) ?? 'other';
  return 'other';
}

/** Static-before-parameter order, segment by segment. */
function moreSpecific(a: Route, b: Route): number {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
    const sa = a.segments[i] === null ? 1 : 0;
    const sb = b.segments[i] === null ? 1 : 0;
    if (sa !== sb) return sa - sb;
  }
  return 0;
}

export class RouteTable {
  private readonly routes: Route[] = [];

  register(method: HttpMethod, pattern: string, handler: RouteHandler, options: RouteOptions = {}): Route {
    if (!(HTTP_METHODS as readonly string[]).includes(method)) throw new RangeError(`route ${pattern}: method ${String(method)} is not one of ${HTTP_METHODS.join(', ')}`);
    if (typeof handler !== 'function') throw new TypeError(`route ${method} ${pattern}: handler must be a function`);
    if (!pattern.startsWith('/')) throw new RangeError(`route pattern ${JSON.stringify(pattern)} must start with /`);
    const parts = splitPath(pattern);
    const segments: (string | null)[] = [];
    const paramNames: string[] = [];
    for (const p of parts) {
      if (PARAM.test(p)) {
        if (paramNames.includes(p.slice(1))) throw new RangeError(`route ${pattern}: parameter ${p} appears twice`);
        paramNames.push(p.slice(1));
        segments.push(null);
      } else if (SEGMENT.test(p)) {
        segments.push(p);
      } else {
        throw new RangeError(`route ${pattern}: segment ${JSON.stringify(p)} is neither text [A-Za-z0-9._~-] nor :param`);
      }
    }
    const shape = (r: { segments: readonly (string | null)[] }) => r.segments.map((s) => s ?? ':').join('/');
    const clash = this.routes.find((r) => r.method === method && shape(r) === shape({ segments }));
    if (clash) throw new RangeError(`route ${method} ${pattern} clashes with ${clash.method} ${clash.pattern}`);
    if (options.maxBodyBytes !== undefined && !(Number.isInteger(options.maxBodyBytes) && options.maxBodyBytes >= 0)) {
      throw new RangeError(`route ${method} ${pattern}: maxBodyBytes must be a non-negative integer`);
    }
    const route: Route = {
      method,
      pattern,
      handler,
      auth: options.auth ?? true,
      maxBodyBytes: options.maxBodyBytes,
      metricsRoute: options.metricsRoute ?? routeLabelFor(pattern),
      segments,
      paramNames,
    };
    this.routes.push(route);
    this.routes.sort(moreSpecific);
    return route;
  }

  /** Removes a route (a resource going away, e.g. in tests). */
  unregister(method: HttpMethod, pattern: string): boolean {
    const i = this.routes.findIndex((r) => r.method === method && r.pattern === pattern);
    if (i < 0) return false;
    this.routes.splice(i, 1);
    return true;
  }

  list(): readonly Route[] {
    return this.routes;
  }

  /** Finds the route for a request path (raw, percent-encoded). Bad encoding → 400. */
  match(method: string, path: string): RouteMatch {
    const parts = splitPath(path);
    let allowed: HttpMethod[] | null = null;
    let anyNeedsAuth = false;
    for (const r of this.routes) {
      if (r.segments.length !== parts.length) continue;
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const s = r.segments[i];
        if (s === null ? parts[i] === '' : s !== parts[i]) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (r.method !== method) {
        (allowed ??= []).includes(r.method) || allowed.push(r.method);
        anyNeedsAuth ||= r.auth;
        continue;
      }
      const params: Record<string, string> = {};
      let k = 0;
      for (let i = 0; i < parts.length; i++) {
        if (r.segments[i] !== null) continue;
        try {
          params[r.paramNames[k++]!] = decodeURIComponent(parts[i]!);
        } catch {
          throw new HttpError(400, 'BAD_REQUEST', `path segment ${JSON.stringify(parts[i])} is not valid percent-encoding`);
        }
      }
      return { kind: 'found', route: r, params };
    }
    return allowed ? { kind: 'method', allowed, auth: anyNeedsAuth } : { kind: 'none' };
  }
}
