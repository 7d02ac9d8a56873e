/**
 * Errors of risk configuration. Pre-trade rejections are never exceptions: they are
 * RejectReason codes returned to the strategy and counted. These are for bad limits at
 * start or on a limit change, where refusing loudly is right.
 */
export const RiskErrorCode = {
  /** A limit is missing, malformed, negative or out of its range. */
  LIMIT: 'RISK_LIMIT',
  /** A limit does not fit the numeric range the hot path relies on (see limits.ts). */
  LIMIT_RANGE: 'RISK_LIMIT_RANGE',
  /** An id (strategy, instrument) outside what the risk state was sized for. */
  ID_RANGE: 'RISK_ID_RANGE',
} as const;
export type RiskErrorCode = (typeof RiskErrorCode)[keyof typeof RiskErrorCode];

export class RiskConfigError extends Error {
  readonly code: RiskErrorCode;
  constructor(code: RiskErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RiskConfigError';
    this.code = code;
  }
}
