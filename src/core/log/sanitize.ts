/**
 * The defensive layer behind pino's `redact`: a copy-on-write walk that replaces values
 * of secret-named keys at any depth and masks secrets inside strings (messages, URLs,
 * error messages and stacks). The caller's objects are never modified.
 *
 * Bounded: at most MAX_DEPTH levels and MAX_KEYS keys per object are walked; anything
 * deeper is replaced by a marker rather than logged unchecked.
 */
import { stdSerializers } from 'pino';
import { CENSOR, isSecretKey, maskSecrets } from './secrets.js';

const MAX_DEPTH = 8;
const MAX_KEYS = 200;
const TOO_DEEP = '[Too deep to log]';

function sanitizeError(err: Error, depth: number): unknown {
  return sanitizeValue(stdSerializers.err(err), depth);
}

/** A sanitized version of `value`: the same reference when nothing needed masking. */
export function sanitizeValue(value: unknown, depth = 0): unknown {
  switch (typeof value) {
    case 'string':
      return maskSecrets(value);
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null) return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (value instanceof Error) return sanitizeError(value, depth + 1);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date) return value;
  if (value instanceof URL) return maskSecrets(value.href);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length && i < MAX_KEYS; i++) {
      const v = value[i];
      const s = sanitizeValue(v, depth + 1);
      if (s !== v) {
        out ??= value.slice();
        out[i] = s;
      }
    }
    return out ?? value;
  }
  if (value instanceof Map || value instanceof Set) {
    return sanitizeValue(Object.fromEntries(value instanceof Map ? value : [...value].entries()), depth);
  }
  const src = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  let n = 0;
  for (const key in src) {
    if (!Object.prototype.hasOwnProperty.call(src, key)) continue;
    if (++n > MAX_KEYS) break;
    const v = src[key];
    const s = isSecretKey(key) && v !== undefined && v !== null ? CENSOR : sanitizeValue(v, depth + 1);
    if (s !== v) {
      out ??= { ...src };
      out[key] = s;
    }
  }
  return out ?? value;
}

/** pino `err` serializer: the standard one, then masked (messages often quote URLs). */
export function errSerializer(err: unknown): unknown {
  return err instanceof Error ? sanitizeError(err, 0) : sanitizeValue(err);
}

/** pino `formatters.log` / `formatters.bindings`: sanitizes the merging object. */
export function sanitizeObject(obj: Record<string, unknown>): Record<string, unknown> {
  return sanitizeValue(obj) as Record<string, unknown>;
}
