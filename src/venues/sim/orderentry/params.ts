/**
 * Request parameters as Binance reads them: REST from the query string and the
 * urlencoded body (the query wins when both carry a name), the WebSocket API from the
 * JSON `params` object. Either way the handlers see one name → string map, and a value
 * that is missing, malformed or repeated becomes the venue's own error code.
 */
import { ApiErrors } from './errors.js';

/** Most parameters one request may carry; more is -1101 (bounds work per request). */
export const MAX_PARAMS = 64;
/** Longest accepted parameter value, in characters. */
export const MAX_VALUE_LENGTH = 1024;

export class RequestParams {
  private readonly read = new Set<string>();

  constructor(private readonly values: Map<string, string>) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The raw value, or undefined when absent. */
  get(name: string): string | undefined {
    this.read.add(name);
    return this.values.get(name);
  }

  /** The value; -1102 when absent or empty. */
  require(name: string): string {
    const v = this.get(name);
    if (v === undefined || v === '') throw ApiErrors.mandatory(name);
    return v;
  }

  /** The value when present and non-empty; -1102 for a present but empty value. */
  optional(name: string): string | undefined {
    const v = this.get(name);
    if (v === '') throw ApiErrors.mandatory(name);
    return v;
  }

  names(): string[] {
    return [...this.values.keys()];
  }
}

/** Parses urlencoded `raw`; -1101 when a name repeats or there are too many. */
export function parseUrlEncoded(raw: string, into: Map<string, string>, overwrite: boolean): void {
  if (raw.length === 0) return;
  const seen = new Set<string>();
  let decoded: URLSearchParams;
  try {
    decoded = new URLSearchParams(raw);
  } catch {
    throw ApiErrors.illegalChars('query', 'urlencoded');
  }
  for (const [k, v] of decoded) {
    if (seen.has(k)) throw ApiErrors.duplicateParam();
    seen.add(k);
    if (v.length > MAX_VALUE_LENGTH) throw ApiErrors.illegalChars(k, `at most ${MAX_VALUE_LENGTH} characters`);
    if (overwrite || !into.has(k)) into.set(k, v);
    if (seen.size > MAX_PARAMS) throw ApiErrors.tooManyParams();
  }
}

/** REST: query string and body merged, the query taking precedence. */
export function restParams(rawQuery: string, rawBody: string): RequestParams {
  const m = new Map<string, string>();
  parseUrlEncoded(rawQuery, m, true);
  parseUrlEncoded(rawBody, m, false);
  if (m.size > MAX_PARAMS) throw ApiErrors.tooManyParams();
  return new RequestParams(m);
}

/** WebSocket API: a JSON object of scalars; numbers and booleans are read as their text. */
export function wsApiParams(params: unknown): RequestParams {
  const m = new Map<string, string>();
  if (params === undefined || params === null) return new RequestParams(m);
  if (typeof params !== 'object' || Array.isArray(params)) throw ApiErrors.invalidJson();
  const entries = Object.entries(params as Record<string, unknown>);
  if (entries.length > MAX_PARAMS) throw ApiErrors.tooManyParams();
  for (const [k, v] of entries) {
    if (typeof v === 'string') {
      if (v.length > MAX_VALUE_LENGTH) throw ApiErrors.illegalChars(k, `at most ${MAX_VALUE_LENGTH} characters`);
      m.set(k, v);
    } else if (typeof v === 'number' || typeof v === 'boolean') m.set(k, String(v));
    else if (v !== null && v !== undefined) throw ApiErrors.invalidParam(k);
  }
  return new RequestParams(m);
}
