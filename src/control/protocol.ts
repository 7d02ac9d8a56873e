/**
 * The control protocol: one JSON object per line each way (NDJSON over a unix socket).
 *
 *   request  {"id": "a1" | 7, "cmd": "book.snapshot", "args": {"venue": "sim", "symbol": "BTCUSDT"}}
 *   reply    {"id": "a1", "ok": true, "result": {...}}
 *            {"id": "a1", "ok": false, "error": {"code": "INVALID_ARGS", "message": "args.depth: ..."}}
 *
 * `args` may be left out (= {}). Any other top-level field is refused, so a typo such as
 * "arg" is not silently ignored. When the id cannot be read, the reply's id is null.
 * Results are plain JSON; a bigint is written as its decimal string.
 */
import { ControlErrorCode } from './errors.js';

export type RequestId = string | number;

export interface ControlRequest {
  id: RequestId;
  cmd: string;
  args: Record<string, unknown>;
}

export interface ErrorBody {
  code: string;
  message: string;
}

export type ControlReply = { id: RequestId | null; ok: true; result: unknown } | { id: RequestId | null; ok: false; error: ErrorBody };

export type ParsedLine = { ok: true; request: ControlRequest } | { ok: false; id: RequestId | null; error: ErrorBody };

export const MAX_ID_LENGTH = 256;
export const COMMAND_NAME = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*){0,3}$/;
const REQUEST_KEYS = new Set(['id', 'cmd', 'args']);

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

function fail(id: RequestId | null, code: string, message: string): ParsedLine {
  return { ok: false, id, error: { code, message } };
}

/** Shortens what the client sent for quoting in an error message. */
export function excerpt(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? text.slice(0, max) + '…' : text);
}

/** Validates one line (already decoded, without its newline) as a request. */
export function parseRequestLine(line: string): ParsedLine {
  if (line.trim() === '') return fail(null, ControlErrorCode.INVALID_REQUEST, 'empty line: expected a JSON request {"id", "cmd", "args"}');
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return fail(null, ControlErrorCode.PARSE_ERROR, `malformed JSON (${(err as Error).message}) in ${excerpt(line)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(null, ControlErrorCode.INVALID_REQUEST, `a request must be a JSON object {"id", "cmd", "args"}, got ${kindOf(value)}`);
  }
  const req = value as Record<string, unknown>;
  const rawId = req['id'];
  let id: RequestId | null = null;
  if (typeof rawId === 'string' && rawId.length > 0 && rawId.length <= MAX_ID_LENGTH) id = rawId;
  else if (typeof rawId === 'number' && Number.isFinite(rawId)) id = rawId;
  else if (rawId === undefined) return fail(null, ControlErrorCode.INVALID_REQUEST, 'request has no "id" (a string or a number)');
  else {
    const why = typeof rawId === 'string' ? `a string of ${rawId.length} characters (1..${MAX_ID_LENGTH} allowed)` : kindOf(rawId);
    return fail(null, ControlErrorCode.INVALID_REQUEST, `"id" must be a string of 1..${MAX_ID_LENGTH} characters or a finite number, got ${why}`);
  }
  for (const key of Object.keys(req)) {
    if (!REQUEST_KEYS.has(key)) return fail(id, ControlErrorCode.INVALID_REQUEST, `unknown request field ${excerpt(key, 40)} (fields: id, cmd, args)`);
  }
  const cmd = req['cmd'];
  if (typeof cmd !== 'string') {
    return fail(id, ControlErrorCode.INVALID_REQUEST, cmd === undefined ? 'request has no "cmd"' : `"cmd" must be a string, got ${kindOf(cmd)}`);
  }
  const args = req['args'] === undefined ? {} : req['args'];
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    return fail(id, ControlErrorCode.INVALID_ARGS, `"args" must be an object, got ${kindOf(args)}`);
  }
  return { ok: true, request: { id, cmd, args: args as Record<string, unknown> } };
}

function bigintAsString(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

/** One reply line (with its newline). Throws if `result` cannot be written as JSON. */
export function encodeReply(reply: ControlReply): string {
  return JSON.stringify(reply, bigintAsString) + '\n';
}

export function okReply(id: RequestId, result: unknown): ControlReply {
  return { id, ok: true, result: result === undefined ? null : result };
}

export function errorReply(id: RequestId | null, code: string, message: string): ControlReply {
  return { id, ok: false, error: { code, message } };
}
