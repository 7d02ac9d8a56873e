/**
 * REST to Binance spot over keep-alive HTTP(S) (node:http, one Agent), for order entry
 * when the WS API session is down and for reads. Signed requests carry X-MBX-APIKEY and
 * the HMAC over the urlencoded parameters (query of GET/DELETE, body of POST). Every
 * reply's X-MBX-USED-WEIGHT-1M and X-MBX-ORDER-COUNT-10S/-1D go to `onLimits`; a 429
 * or 418 reply carries the time until which nothing may be sent (Retry-After, or the
 * ban time in the message).
 *
 * A request that was written and then timed out or lost its connection is `unknown`; a
 * request whose connection never opened is `notSent`. A timed-out request's socket is
 * destroyed, so a late reply can never be read as another request's.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { ParamList } from '../sign/rest-sign.js';
import { encodeParams } from '../sign/rest-sign.js';
import type { ArrivalCounter } from './arrival.js';
import type { ClockOffset } from './clock-offset.js';
import type { RequestSigner } from './request-signer.js';
import { bannedUntilFromMessage, type TransportReply } from './transport-reply.js';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface RestRequest {
  method: HttpMethod;
  path: string;
  params: ParamList;
  signed: boolean;
  timeoutMs: number;
  /** Called when the request's bytes have been handed to the kernel. */
  onWritten?: () => void;
}

export interface LimitHeaders {
  usedWeight1m?: number;
  orderCount10s?: number;
  orderCount1d?: number;
}

export interface RestCounters {
  requests: number;
  replies: number;
  errors: number;
  timeouts: number;
  ioErrors: number;
  notSent: number;
  badReplies: number;
}

const MAX_REPLY_BYTES = 16 << 20;

function headerInt(h: IncomingHttpHeaders, name: string): number | undefined {
  const v = h[name];
  if (typeof v !== 'string' || !/^[0-9]{1,12}$/.test(v)) return undefined;
  return Number(v);
}

export class RestClient {
  readonly counters: RestCounters = { requests: 0, replies: 0, errors: 0, timeouts: 0, ioErrors: 0, notSent: 0, badReplies: 0 };
  private readonly agent: http.Agent;
  private readonly mod: typeof http | typeof https;
  private readonly host: string;
  private readonly port: number;

  constructor(
    base: URL,
    private readonly signer: RequestSigner,
    private readonly clock: ClockOffset,
    private readonly arrivals: ArrivalCounter,
    private readonly onLimits: (h: LimitHeaders, sentServerMs: number) => void,
  ) {
    const secure = base.protocol === 'https:';
    this.mod = secure ? https : http;
    this.agent = new this.mod.Agent({ keepAlive: true, maxSockets: 32, maxFreeSockets: 8, scheduling: 'lifo' });
    this.host = base.hostname.replace(/^\[|\]$/g, '');
    this.port = base.port !== '' ? Number(base.port) : secure ? 443 : 80;
  }

  send(r: RestRequest): Promise<TransportReply> {
    this.counters.requests++;
    let encoded: string;
    let sentServerMs: number;
    if (r.signed) {
      const s = this.signer.rest(r.params);
      encoded = s.encoded;
      sentServerMs = s.timestampMs;
    } else {
      encoded = encodeParams(r.params);
      sentServerMs = this.clock.nowMs();
    }
    const inBody = r.method === 'POST';
    const headers: Record<string, string> = {};
    if (r.signed) headers['X-MBX-APIKEY'] = this.signer.apiKey();
    if (inBody) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = String(Buffer.byteLength(encoded));
    }
    const path = inBody || encoded.length === 0 ? r.path : `${r.path}?${encoded}`;
    return new Promise<TransportReply>((resolve) => {
      let settled = false;
      let connected = false;
      let timedOut = false;
      const finish = (reply: TransportReply): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(reply);
      };
      const req = this.mod.request({ agent: this.agent, host: this.host, port: this.port, method: r.method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_REPLY_BYTES) {
            req.destroy(new Error(`reply over ${MAX_REPLY_BYTES} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => finish(this.reply(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8'), sentServerMs)));
        res.on('error', (err) => finish(this.lost(timedOut, true, err)));
      });
      const timer = setTimeout(() => {
        timedOut = true;
        req.destroy(new Error(`no reply within ${r.timeoutMs} ms`));
      }, r.timeoutMs);
      req.on('socket', (sock) => {
        if (!sock.connecting) connected = true;
        else sock.once('connect', () => (connected = true));
      });
      req.on('error', (err) => finish(this.lost(timedOut, connected, err)));
      req.end(inBody ? encoded : undefined, () => r.onWritten?.());
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private lost(timedOut: boolean, connected: boolean, err: Error): TransportReply {
    if (!connected) {
      this.counters.notSent++;
      return { kind: 'notSent', msg: `connection to the venue failed: ${err.message}` };
    }
    if (timedOut) {
      this.counters.timeouts++;
      return { kind: 'unknown', reason: 'TIMEOUT', msg: err.message, seq: this.arrivals.next() };
    }
    this.counters.ioErrors++;
    return { kind: 'unknown', reason: 'IO_ERROR', msg: `connection lost after the request was sent: ${err.message}`, seq: this.arrivals.next() };
  }

  private reply(status: number, h: IncomingHttpHeaders, text: string, sentServerMs: number): TransportReply {
    const seq = this.arrivals.next();
    this.counters.replies++;
    const limits: LimitHeaders = {};
    const w = headerInt(h, 'x-mbx-used-weight-1m');
    if (w !== undefined) limits.usedWeight1m = w;
    const o10 = headerInt(h, 'x-mbx-order-count-10s');
    if (o10 !== undefined) limits.orderCount10s = o10;
    const o1d = headerInt(h, 'x-mbx-order-count-1d');
    if (o1d !== undefined) limits.orderCount1d = o1d;
    this.onLimits(limits, sentServerMs);
    let body: unknown;
    try {
      body = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      body = undefined;
    }
    if (status >= 200 && status < 300) {
      if (body === undefined) {
        this.counters.badReplies++;
        return { kind: 'unknown', reason: 'BAD_REPLY', msg: `HTTP ${status} with a body that is not JSON`, seq };
      }
      return { kind: 'ok', httpStatus: status, body, seq };
    }
    this.counters.errors++;
    const e = body as { code?: unknown; msg?: unknown } | null | undefined;
    const code = typeof e?.code === 'number' ? e.code : 0;
    const msg = typeof e?.msg === 'string' ? e.msg : `HTTP ${status}`;
    const out: TransportReply = { kind: 'error', httpStatus: status, code, msg, seq };
    if (status === 429 || status === 418) {
      const retry = headerInt(h, 'retry-after');
      const now = this.clock.nowMs();
      let until = retry !== undefined ? now + retry * 1000 : now + 1000;
      if (status === 418) {
        const banned = bannedUntilFromMessage(msg);
        if (banned !== undefined && banned > until) until = banned;
      }
      out.retryUntilMs = until;
    }
    return out;
  }
}
