/**
 * Every decimal parser of the project behind one signature, so a test can run the same
 * input through all of them and compare status and value.
 */
import { parseDecimal } from '../../../src/core/fixed/decimal.js';
import { parseDecimalAscii } from '../../../src/core/fixed/decimal-ascii.js';
import { DecimalError, type DecimalStatus } from '../../../src/core/fixed/errors.js';
import { native } from '../../../src/native/load-addon.js';
import type { Outcome } from './reference.js';

export type Parser = (text: string, scale: number, allowNegative: boolean) => Outcome;

const utf8 = new TextEncoder();

export const tsParse: Parser = (text, scale, allowNegative) => {
  try {
    return { status: 0, value: parseDecimal(text, scale, { allowNegative }) };
  } catch (err) {
    if (err instanceof DecimalError) return { status: err.status, value: 0n };
    throw err;
  }
};

const asciiOut = new BigInt64Array(3);
export const asciiParse: Parser = (text, scale, allowNegative) => {
  const bytes = utf8.encode(text);
  asciiOut[1] = 0x5a5a5a5a5a5a5a5an; // a stale value must be overwritten either way
  const status = parseDecimalAscii(bytes, 0, bytes.length, scale, allowNegative, asciiOut, 1);
  return { status, value: asciiOut[1]! };
};

export interface NativeDecimalError extends Error {
  code: string;
  status: DecimalStatus;
  input: string;
}

export const nativeParse: Parser = (text, scale, allowNegative) => {
  try {
    return { status: 0, value: native().decimalParse(text, scale, allowNegative) };
  } catch (err) {
    const e = err as NativeDecimalError;
    if (typeof e.status === 'number' && e.code?.startsWith('DECIMAL_')) return { status: e.status, value: 0n };
    throw err;
  }
};

const batchStarts = new Uint32Array([0]);
const batchEnds = new Uint32Array(1);
const batchOut = new BigInt64Array(1);
const batchStatus = new Int32Array(1);
export const nativeBatchParse: Parser = (text, scale, allowNegative) => {
  const bytes = utf8.encode(text);
  batchEnds[0] = bytes.length;
  batchOut[0] = 0x5a5a5a5a5a5a5a5an;
  batchStatus[0] = -1;
  native().decimalParseBatch(bytes, batchStarts, batchEnds, 1, scale, allowNegative, batchOut, batchStatus);
  return { status: batchStatus[0] as DecimalStatus, value: batchOut[0]! };
};

export const PARSERS: ReadonlyArray<[string, Parser]> = [
  ['ts parseDecimal', tsParse],
  ['ts parseDecimalAscii', asciiParse],
  ['native decimalParse', nativeParse],
  ['native decimalParseBatch', nativeBatchParse],
];

/** The error a parser throws for `text`, or null if it parses. */
export function thrownBy(fn: () => unknown): (Error & { code?: string; status?: number; input?: string }) | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err as Error;
  }
}
