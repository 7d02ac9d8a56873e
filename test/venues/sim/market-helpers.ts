/**
 * Shared pieces of the sim market-data tests: a sim on an ephemeral port, a `ws` client
 * that records every frame, and the documented Binance local-book procedures (spot and
 * USD-M) implemented from the docs, independently of the sim's code.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { SimExchange, type SimExchangeOptions } from '../../../src/venues/sim/server/exchange.js';
import { stderrLog } from '../../../src/venues/sim/server/log.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** test/venues/sim in the source tree (tests run from dist/test/venues/sim). */
const SRC_DIR = resolve(HERE, '..', '..', '..', '..', 'test', 'venues', 'sim');

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(SRC_DIR, 'market-fixtures', `${name}.stripped.json`), 'utf8'));
}

export function startSim(options: SimExchangeOptions = {}): Promise<SimExchange> {
  return SimExchange.start({ port: 0, plugins: [], rate: 0, maxIncomingPerSec: 0, log: stderrLog('error'), ...options });
}

export async function getJson(url: string): Promise<{ status: number; headers: Headers; body: any }> {
  const r = await fetch(url);
  const text = await r.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* keep text */
  }
  return { status: r.status, headers: r.headers, body };
}

export async function postJson(url: string, payload: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(url, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
  return { status: r.status, body: await r.json() };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A `ws` client that keeps every text frame (raw) in arrival order. */
export class RecordingClient {
  readonly frames: string[] = [];
  readonly ws: WebSocket;
  closed: { code: number; reason: string } | null = null;
  pings = 0;
  private waiters: (() => void)[] = [];

  constructor(url: string, options: WebSocket.ClientOptions = {}) {
    this.ws = new WebSocket(url, options);
    this.ws.on('message', (data) => {
      this.frames.push(String(data));
      this.wake();
    });
    this.ws.on('ping', () => {
      this.pings++;
      this.wake();
    });
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
    this.ws.on('error', () => {});
  }

  static async open(url: string, options: WebSocket.ClientOptions = {}): Promise<RecordingClient> {
    const c = new RecordingClient(url, options);
    await new Promise<void>((res, rej) => {
      c.ws.once('open', () => res());
      c.ws.once('error', rej);
    });
    return c;
  }

  send(obj: unknown): void {
    this.ws.send(JSON.stringify(obj));
  }

  /** Parsed frames (frames that are not JSON are skipped). */
  messages(): any[] {
    const out: any[] = [];
    for (const f of this.frames) {
      try {
        out.push(JSON.parse(f));
      } catch {
        /* malformed on purpose in fault tests */
      }
    }
    return out;
  }

  async waitFor(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${this.frames.length} frames)`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  close(): void {
    this.ws.terminate();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

export type Level = [string, string];
export interface LocalBook {
  id: number;
  bids: Map<string, string>;
  asks: Map<string, string>;
}

function apply(book: LocalBook, ev: { b: Level[]; a: Level[]; u: number }): void {
  for (const [side, levels] of [[book.bids, ev.b], [book.asks, ev.a]] as const) {
    for (const [p, q] of levels) {
      if (/^0(\.0+)?$/.test(q)) side.delete(p);
      else side.set(p, q);
    }
  }
  book.id = ev.u;
}

/**
 * Binance spot "How to manage a local order book correctly": drop u <= lastUpdateId,
 * first event U <= lastUpdateId+1 <= u, then U == prev u + 1. Throws on a gap.
 */
export function syncSpot(snapshot: { lastUpdateId: number; bids: Level[]; asks: Level[] }, events: any[]): LocalBook {
  const book: LocalBook = { id: snapshot.lastUpdateId, bids: new Map(snapshot.bids), asks: new Map(snapshot.asks) };
  let first = true;
  for (const ev of events) {
    if (ev.u <= book.id) continue;
    if (first) {
      if (!(ev.U <= book.id + 1 && book.id + 1 <= ev.u)) throw new Error(`first event [${ev.U}, ${ev.u}] does not cover ${book.id + 1}`);
      first = false;
    } else if (ev.U !== book.id + 1) {
      throw new Error(`gap: U=${ev.U} after u=${book.id}`);
    }
    apply(book, ev);
  }
  return book;
}

/**
 * Binance USD-M procedure: drop u < lastUpdateId, first event U <= lastUpdateId <= u,
 * afterwards pu == previous u. Throws on a break.
 */
export function syncUsdm(snapshot: { lastUpdateId: number; bids: Level[]; asks: Level[] }, events: any[]): LocalBook & { contiguousBreaks: number } {
  const book = { id: snapshot.lastUpdateId, bids: new Map(snapshot.bids), asks: new Map(snapshot.asks), contiguousBreaks: 0 };
  let first = true;
  const L = snapshot.lastUpdateId;
  for (const ev of events) {
    if (first) {
      if (ev.u < L) continue;
      if (!(ev.U <= L && ev.u >= L)) throw new Error(`first event [${ev.U}, ${ev.u}] does not contain ${L}`);
      first = false;
    } else {
      if (ev.pu !== book.id) throw new Error(`pu=${ev.pu} != previous u=${book.id}`);
      if (ev.U !== book.id + 1) book.contiguousBreaks++;
    }
    apply(book, ev);
  }
  return book;
}

export function bookOf(levels: { bids: Level[]; asks: Level[] }): { bids: Map<string, string>; asks: Map<string, string> } {
  return { bids: new Map(levels.bids), asks: new Map(levels.asks) };
}
