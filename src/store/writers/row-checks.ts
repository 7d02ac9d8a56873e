/** Field checks shared by the writers: each returns a reason, or null when the value is fine. */
import { INT64_MAX, MAX_SCALE } from '../../core/fixed/decimal.js';

export const MAX_NAME_LENGTH = 64;
/** 1970-01-01 .. 2200-01-01 in ms: anything outside is a unit mix-up, not a trade time. */
export const MAX_TIME_MS = 7_258_118_400_000;

export function badName(field: string, v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_NAME_LENGTH ? null : `${field} must be a 1..${MAX_NAME_LENGTH} character string`;
}

export function badScale(field: string, v: unknown): string | null {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_SCALE ? null : `${field} must be an integer in 0..${MAX_SCALE}`;
}

export function badPositiveInt64(field: string, v: unknown): string | null {
  return typeof v === 'bigint' && v > 0n && v <= INT64_MAX ? null : `${field} must be a positive int64 bigint`;
}

export function badTimeMs(field: string, v: unknown): string | null {
  return Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) < MAX_TIME_MS ? null : `${field} must be epoch ms in 1970..2200`;
}
