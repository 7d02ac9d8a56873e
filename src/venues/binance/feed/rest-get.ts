/**
 * One public REST GET under the venue's limits: waits out 429/418 back-offs and the
 * weight limit (RestGate), retries 429/418 and 5xx a bounded number of times, times out
 * each attempt, and returns the body as received (a Buffer; callers' decoders parse it).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FeedError } from './errors.js';
import type { RestGate } from './rest-gate.js';

export interface RestGetOptions {
  gate: RestGate;
  /** REQUEST_WEIGHT of this request. */
  weight: number;
  timeoutMs: number;
  /** Attempts in all (429/418/5xx/timeouts are retried). */
  maxAttempts: number;
  /** Longest single wait for a back-off; a longer one fails with BINANCE_REST_BANNED. */
  maxWaitMs: number;
  /** Aborts waits and the request (the owner stopped). */
  signal: AbortSignal;
}

export interface RestReply {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** Pause between retries of a 5xx or a timeout. */
const SERVER_ERROR_RETRY_MS = 200;

export async function restGet(url: string, o: RestGetOptions): Promise<RestReply> {
  let last: FeedError | null = null;
  for (let attempt = 1; attempt <= o.maxAttempts; attempt++) {
    await waitForGate(url, o);
    o.gate.sent(o.weight);
    let res: Response;
    let body: Buffer;
    try {
      res = await fetch(url, { signal: AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)]) });
      body = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      if (o.signal.aborted) throw new FeedError('BINANCE_FEED_STOPPED', `GET ${url} abandoned: stopped`, { cause: err });
      const timedOut = (err as Error).name === 'TimeoutError';
      if (timedOut) o.gate.counters.timeouts++;
      else o.gate.counters.networkErrors++;
      last = timedOut
        ? new FeedError('BINANCE_REST_TIMEOUT', `GET ${url} took longer than ${o.timeoutMs} ms`, { cause: err })
        : new FeedError('BINANCE_REST_NETWORK', `GET ${url} failed: ${(err as Error).message}`, { cause: err });
      await pause(SERVER_ERROR_RETRY_MS, o.signal);
      continue;
    }
    o.gate.observe(res.status, res.headers);
    if (res.status >= 200 && res.status < 300) return { status: res.status, headers: res.headers, body };
    last = new FeedError('BINANCE_REST_HTTP', `GET ${url} answered ${res.status}: ${body.subarray(0, 200).toString('utf8')}`, { status: res.status });
    if (res.status === 429 || res.status === 418) continue; // the gate now holds the back-off
    if (res.status >= 500) {
      await pause(SERVER_ERROR_RETRY_MS, o.signal);
      continue;
    }
    throw last;
  }
  throw last ?? new FeedError('BINANCE_REST_NETWORK', `GET ${url}: no attempt made`);
}

async function waitForGate(url: string, o: RestGetOptions): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const wait = o.gate.waitMs(o.weight);
    if (wait <= 0) return;
    if (wait > o.maxWaitMs) {
      throw new FeedError('BINANCE_REST_BANNED', `GET ${url}: the venue's back-off (${o.gate.blockedBy || 'weight'}) lasts ${wait} ms more, over maxWaitMs ${o.maxWaitMs}`, {
        status: o.gate.blockedBy,
      });
    }
    o.gate.counters.waits++;
    o.gate.counters.waitedMs += wait;
    await pause(wait, o.signal);
  }
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (err) {
    throw new FeedError('BINANCE_FEED_STOPPED', 'stopped while waiting', { cause: err });
  }
}
