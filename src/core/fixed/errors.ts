/**
 * Typed errors of fixed-point parsing and arithmetic. The C++ parser
 * (native/core/decimal.h) reports the same conditions with the numeric DecimalStatus
 * values below, so both sides can be compared one to one.
 */
export const DecimalStatus = {
  OK: 0,
  EMPTY: 1,
  SYNTAX: 2,
  EXPONENT: 3,
  SIGN: 4,
  TOO_MANY_DIGITS: 5,
  PRECISION: 6,
  OVERFLOW: 7,
  SCALE: 8,
} as const;
export type DecimalStatus = (typeof DecimalStatus)[keyof typeof DecimalStatus];

export const DecimalErrorCode = {
  [DecimalStatus.EMPTY]: 'DECIMAL_EMPTY',
  [DecimalStatus.SYNTAX]: 'DECIMAL_SYNTAX',
  [DecimalStatus.EXPONENT]: 'DECIMAL_EXPONENT',
  [DecimalStatus.SIGN]: 'DECIMAL_SIGN',
  [DecimalStatus.TOO_MANY_DIGITS]: 'DECIMAL_TOO_MANY_DIGITS',
  [DecimalStatus.PRECISION]: 'DECIMAL_PRECISION',
  [DecimalStatus.OVERFLOW]: 'DECIMAL_OVERFLOW',
  [DecimalStatus.SCALE]: 'DECIMAL_SCALE',
} as const;
export type DecimalErrorCode = (typeof DecimalErrorCode)[keyof typeof DecimalErrorCode];

const REASON: Record<number, string> = {
  [DecimalStatus.EMPTY]: 'is empty',
  [DecimalStatus.SYNTAX]: 'is not a plain decimal number',
  [DecimalStatus.EXPONENT]: 'uses an exponent, which venues never send for prices or quantities',
  [DecimalStatus.SIGN]: 'has a sign where none is allowed',
  [DecimalStatus.TOO_MANY_DIGITS]: 'has too many digits',
  [DecimalStatus.PRECISION]: 'has more significant fraction digits than the scale holds',
  [DecimalStatus.OVERFLOW]: 'does not fit a signed 64-bit mantissa at this scale',
  [DecimalStatus.SCALE]: 'was given a scale outside 0..18',
};

export class DecimalError extends Error {
  readonly code: DecimalErrorCode;
  readonly status: DecimalStatus;
  /** The offending input, as given. */
  readonly input: string;

  constructor(status: Exclude<DecimalStatus, 0>, input: string, detail?: string) {
    super(`decimal ${JSON.stringify(input.length > 64 ? input.slice(0, 64) + '…' : input)} ${REASON[status]}${detail ? ` (${detail})` : ''}`);
    this.name = 'DecimalError';
    this.status = status;
    this.code = DecimalErrorCode[status];
    this.input = input;
  }
}
