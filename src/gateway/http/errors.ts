/**
 * Every gateway error reply has one shape, `{"error":{"code","message",…}}`, with a
 * stable upper-case `code` a client can switch on and a message that names the problem
 * (never a secret). Handlers throw HttpError for expected failures; anything else they
 * throw becomes a 500 with the request id, logged on the server.
 */
export type GatewayErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'BAD_JSON'
  | 'BAD_REQUEST'
  | 'NOT_READY'
  | 'INTERNAL'
  | (string & {});

export const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** "404 Not Found": the status line uWS writes. */
export function statusLine(status: number): string {
  return `${status} ${STATUS_TEXT[status] ?? 'Status'}`;
}

export class HttpError extends Error {
  readonly status: number;
  readonly code: GatewayErrorCode;
  /** Extra fields merged into the error object (e.g. `allowed` methods). */
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    status: number,
    code: GatewayErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new RangeError(`HttpError status ${status} is not a 4xx/5xx code`);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers;
  }
}

/** The JSON body of an error reply. */
export function errorBody(code: string, message: string, details?: Readonly<Record<string, unknown>>): string {
  return JSON.stringify({ error: { code, message, ...details } });
}
