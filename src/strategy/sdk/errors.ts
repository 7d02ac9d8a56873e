/**
 * Errors of the strategy SDK. Each has a stable `code`; messages name the strategy and
 * the field, param or instrument at fault. They are programmer errors (a bad definition,
 * a malformed order): a full intent ring, a rejected order or a stale book are not
 * thrown, except where the SDK cannot go on (a ring that stays full past its time limit).
 */
export const StrategyErrorCode = {
  /** defineStrategy got something that is not a valid strategy. */
  DEFINITION: 'STRATEGY_DEFINITION',
  /** Params failed the strategy's schema. */
  PARAMS: 'STRATEGY_PARAMS',
  /** place/cancel/amend got a malformed order. */
  INTENT_INVALID: 'INTENT_INVALID',
  /** The instrument is not one of this strategy's venue. */
  UNKNOWN_INSTRUMENT: 'STRATEGY_UNKNOWN_INSTRUMENT',
  /** amend without both fields on an order this context does not track. */
  UNKNOWN_ORDER: 'STRATEGY_UNKNOWN_ORDER',
  /** No shared book is attached for the instrument. */
  NO_BOOK: 'STRATEGY_NO_BOOK',
  /** The intent ring stayed full for the whole time limit (the oms is not draining it). */
  RING_FULL: 'INTENT_RING_FULL',
  /** The intent ring was closed (engine stopping). */
  RING_CLOSED: 'INTENT_RING_CLOSED',
  /** setTimer got a bad name or period. */
  TIMER: 'STRATEGY_TIMER',
} as const;
export type StrategyErrorCode = (typeof StrategyErrorCode)[keyof typeof StrategyErrorCode];

export class StrategyError extends Error {
  readonly code: StrategyErrorCode;
  constructor(code: StrategyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StrategyError';
    this.code = code;
  }
}

export interface ParamIssue {
  /** Dotted path of the param, e.g. `spread` or `legs.0.symbol`; '' for the whole object. */
  param: string;
  message: string;
}

export class StrategyParamsError extends StrategyError {
  readonly strategy: string;
  readonly issues: readonly ParamIssue[];
  constructor(strategy: string, issues: readonly ParamIssue[]) {
    const parts = issues.map((i) => (i.param === '' ? i.message : `param ${i.param}: ${i.message}`));
    super(StrategyErrorCode.PARAMS, `strategy ${strategy}: invalid params: ${parts.join('; ')}`);
    this.name = 'StrategyParamsError';
    this.strategy = strategy;
    this.issues = issues;
  }
}
