/**
 * Typed reads of fields in venue JSON. A missing or malformed field is a
 * ReplyFormatError naming the field and where it was read; decimals become bigint
 * mantissas through parseDecimal (never a float).
 */
import { parseDecimal } from '../../../core/fixed/decimal.js';
import { ReplyFormatError } from './errors.js';

export type Json = Record<string, unknown>;

export function asObject(v: unknown, where: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ReplyFormatError(`${where}: expected an object`);
  return v as Json;
}

export function str(o: Json, k: string, where: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw new ReplyFormatError(`${where}: field ${k} must be a string, got ${typeof v}`);
  return v;
}

export function optStr(o: Json, k: string, where: string): string | undefined {
  return o[k] === undefined ? undefined : str(o, k, where);
}

/** An integer field that must be a safe integer (order ids, times, trade ids). */
export function int(o: Json, k: string, where: string): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new ReplyFormatError(`${where}: field ${k} must be an integer, got ${JSON.stringify(v)}`);
  return v;
}

export function optInt(o: Json, k: string, where: string): number | undefined {
  return o[k] === undefined ? undefined : int(o, k, where);
}

export function bool(o: Json, k: string, where: string): boolean {
  const v = o[k];
  if (typeof v !== 'boolean') throw new ReplyFormatError(`${where}: field ${k} must be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

export function dec(o: Json, k: string, scale: number, where: string): bigint {
  const text = str(o, k, where);
  try {
    return parseDecimal(text, scale);
  } catch (err) {
    throw new ReplyFormatError(`${where}: field ${k} ${JSON.stringify(text)} is not a decimal at scale ${scale}: ${(err as Error).message}`);
  }
}

export function optDec(o: Json, k: string, scale: number, where: string): bigint | undefined {
  return o[k] === undefined ? undefined : dec(o, k, scale, where);
}

export function oneOf<T extends string>(o: Json, k: string, allowed: ReadonlySet<string>, where: string): T {
  const v = str(o, k, where);
  if (!allowed.has(v)) throw new ReplyFormatError(`${where}: field ${k} has unknown value ${JSON.stringify(v)}`);
  return v as T;
}
