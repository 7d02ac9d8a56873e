/** Shared helpers of the order-entry tests: fixtures, a manual clock, signing. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';

/** shared/protocols/fixtures/binance beside the checkout (or /work/shared in a worktree). */
export function fixturePath(name: string): string {
  const candidates = [
    process.env.VELOZ_SHARED_DIR ? join(process.env.VELOZ_SHARED_DIR, 'protocols/fixtures/binance') : '',
    join(process.cwd(), '../shared/protocols/fixtures/binance'),
    join(process.cwd(), '../../shared/protocols/fixtures/binance'),
    '/work/shared/protocols/fixtures/binance',
  ].filter((p) => p !== '');
  for (const dir of candidates) if (existsSync(join(dir, name))) return join(dir, name);
  throw new Error(`fixture ${name} not found in ${candidates.join(', ')}`);
}

export class ManualClock {
  constructor(public ms: number) {}
  nowMs(): number {
    return this.ms;
  }
}

export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** Key set of a JSON object, sorted, for comparing shapes with the fixtures. */
export function keys(o: unknown): string[] {
  return Object.keys(o as Record<string, unknown>).sort();
}


/** A WebSocket API client for tests: request/response by id, user-data events collected. */
export class WsApiClient {
  readonly events: { subscriptionId: number; event: Record<string, unknown> }[] = [];
  /** Every frame in arrival order (to check reply/event ordering). */
  readonly frames: Record<string, unknown>[] = [];
  private readonly waiting = new Map<string | number, (msg: Record<string, unknown>) => void>();
  private nextId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Record<string, unknown>;
      this.frames.push(msg);
      if ('subscriptionId' in msg && 'event' in msg) {
        this.events.push(msg as { subscriptionId: number; event: Record<string, unknown> });
        return;
      }
      const id = msg.id as string | number;
      const w = this.waiting.get(id);
      if (w) {
        this.waiting.delete(id);
        w(msg);
      }
    });
  }

  static async connect(url: string): Promise<WsApiClient> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new WsApiClient(ws);
  }

  /** Sends a request; resolves with the reply, or rejects after `timeoutMs`. */
  request(method: string, params?: Record<string, unknown>, timeoutMs = 3000): Promise<Record<string, unknown>> {
    const id = `r${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no reply to ${method} (${id}) within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.ws.send(JSON.stringify(params === undefined ? { id, method } : { id, method, params }));
    });
  }

  /** Signs `params` the WebSocket API way (sorted, apiKey included) and sends. */
  signed(method: string, apiKey: string, secret: string, params: Record<string, unknown>, nowMs: number, timeoutMs?: number): Promise<Record<string, unknown>> {
    const all: Record<string, unknown> = { ...params, apiKey, timestamp: nowMs };
    const payload = Object.keys(all)
      .sort()
      .map((k) => `${k}=${String(all[k])}`)
      .join('&');
    return this.request(method, { ...all, signature: sign(secret, payload) }, timeoutMs);
  }

  /** Waits until `pred` holds for the collected events (bounded by time). */
  async waitEvents(pred: (events: Record<string, unknown>[]) => boolean, timeoutMs = 3000): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const evs = this.events.map((e) => e.event);
      if (pred(evs)) return evs;
      if (Date.now() > deadline) throw new Error(`events condition not met in ${timeoutMs} ms; have ${JSON.stringify(evs.map((e) => `${e.e}:${e.x ?? ''}`))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** A signed REST call the way Binance documents it (query string, X-MBX-APIKEY). */
export async function signedRest(
  base: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  apiKey: string,
  secret: string,
  params: Record<string, string | number>,
  opts: { nowMs?: number; inBody?: boolean; signature?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) q.set(k, String(v));
  if (!q.has('timestamp')) q.set('timestamp', String(opts.nowMs ?? Date.now()));
  const payload = q.toString();
  const signature = opts.signature ?? sign(secret, payload);
  const signed = `${payload}&signature=${signature}`;
  const headers: Record<string, string> = { 'X-MBX-APIKEY': apiKey, ...opts.headers };
  let url = `${base}${path}`;
  let body: string | undefined;
  if (opts.inBody && method !== 'GET') {
    body = signed;
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else url += `?${signed}`;
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text.length > 0 ? JSON.parse(text) : null };
}
