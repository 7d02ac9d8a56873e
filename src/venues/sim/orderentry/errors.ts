/**
 * Binance API errors: a stable numeric `code`, the venue's message text, and the HTTP
 * status Binance answers with. Messages follow errors.md of binance-spot-api-docs.
 */
export class BinanceApiError extends Error {
  readonly code: number;
  readonly httpStatus: number;
  /** Seconds for a Retry-After header (429/418), when the venue sends one. */
  readonly retryAfterSec: number | undefined;

  constructor(code: number, msg: string, httpStatus = 400, retryAfterSec?: number) {
    super(msg);
    this.name = 'BinanceApiError';
    this.code = code;
    this.httpStatus = httpStatus;
    this.retryAfterSec = retryAfterSec;
  }

  /** The JSON error body: {"code":-2010,"msg":"…"}. */
  body(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

export const ApiErrors = {
  unknown: (msg = 'An unknown error occurred while processing the request.') => new BinanceApiError(-1000, msg, 500),
  unauthorized: () => new BinanceApiError(-1002, 'You are not authorized to execute this request.', 401),
  tooMuchWeight: (limit: number, retryAfterSec: number) =>
    new BinanceApiError(
      -1003,
      `Too much request weight used; current limit is ${limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
      429,
      retryAfterSec,
    ),
  banned: (untilMs: number, retryAfterSec: number) =>
    new BinanceApiError(
      -1003,
      `Way too much request weight used; IP banned until ${untilMs}. Please use WebSocket Streams for live updates to avoid bans.`,
      418,
      retryAfterSec,
    ),
  tooManyOrders: (limit: number, interval: string) =>
    new BinanceApiError(-1015, `Too many new orders; current limit is ${limit} orders per ${interval}.`, 429),
  unsupported: () => new BinanceApiError(-1020, 'This operation is not supported.'),
  timestampOutsideWindow: () => new BinanceApiError(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  timestampAhead: () => new BinanceApiError(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  badSignature: () => new BinanceApiError(-1022, 'Signature for this request is not valid.'),
  illegalChars: (param: string, range: string) =>
    new BinanceApiError(-1100, `Illegal characters found in parameter '${param}'; legal range is '${range}'.`),
  tooManyParams: () => new BinanceApiError(-1101, 'Too many parameters sent for this endpoint.'),
  duplicateParam: () => new BinanceApiError(-1101, 'Duplicate values for a parameter detected.'),
  mandatory: (param: string) =>
    new BinanceApiError(-1102, `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`),
  eitherMandatory: (a: string, b: string) => new BinanceApiError(-1102, `Param '${a}' or '${b}' must be sent, but both were empty/null!`),
  tooLarge: (param: string, max: string) =>
    new BinanceApiError(-1102, `'${param}' contains unexpected value. Cannot be greater than '${max}'.`),
  notRequired: (param: string) => new BinanceApiError(-1106, `Parameter '${param}' sent when not required.`),
  badPrecision: (param: string) => new BinanceApiError(-1111, `Parameter '${param}' has too much precision.`),
  invalidTif: () => new BinanceApiError(-1115, 'Invalid timeInForce.'),
  invalidOrderType: () => new BinanceApiError(-1116, 'Invalid orderType.'),
  invalidSide: () => new BinanceApiError(-1117, 'Invalid side.'),
  emptyNewClientOrderId: () => new BinanceApiError(-1118, 'New client order ID was empty.'),
  emptyOrigClientOrderId: () => new BinanceApiError(-1119, 'Original client order ID was empty.'),
  badSymbol: () => new BinanceApiError(-1121, 'Invalid symbol.'),
  invalidParam: (param: string) => new BinanceApiError(-1130, `Data sent for parameter '${param}' is not valid.`),
  invalidJson: () => new BinanceApiError(-1135, 'Invalid JSON Request'),
  filter: (name: 'PRICE_FILTER' | 'LOT_SIZE' | 'NOTIONAL' | 'MARKET_LOT_SIZE') => new BinanceApiError(-1013, `Filter failure: ${name}`),
  newOrderRejected: (msg: string) => new BinanceApiError(-2010, msg),
  insufficientBalance: () => new BinanceApiError(-2010, 'Account has insufficient balance for requested action.'),
  duplicateOrder: () => new BinanceApiError(-2010, 'Duplicate order sent.'),
  wouldMatch: () => new BinanceApiError(-2010, 'Order would immediately match and take.'),
  cancelRejected: () => new BinanceApiError(-2011, 'Unknown order sent.'),
  noSuchOrder: () => new BinanceApiError(-2013, 'Order does not exist.'),
  badApiKeyFormat: () => new BinanceApiError(-2014, 'API-key format invalid.', 401),
  rejectedApiKey: () => new BinanceApiError(-2015, 'Invalid API-key, IP, or permissions for action.', 401),
} as const;
