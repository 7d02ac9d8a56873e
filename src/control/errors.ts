/**
 * Error codes of the control plane. Replies carry `{code, message}`; the codes are
 * stable (scripts match on them), the messages are for people and name the problem.
 * Command handlers throw ControlError with their own codes (UPPER_SNAKE), or any error
 * with such a `code`; anything else is reported as INTERNAL.
 */
export const ControlErrorCode = {
  /** The line is not JSON. */
  PARSE_ERROR: 'PARSE_ERROR',
  /** The line is not valid UTF-8. */
  BAD_ENCODING: 'BAD_ENCODING',
  /** JSON, but not a request: not an object, bad or missing id/cmd, unknown field, empty line. */
  INVALID_REQUEST: 'INVALID_REQUEST',
  UNKNOWN_COMMAND: 'UNKNOWN_COMMAND',
  /** `args` failed the command's schema. */
  INVALID_ARGS: 'INVALID_ARGS',
  /** The line passed maxLineBytes; the rest of it is discarded. */
  LINE_TOO_LONG: 'LINE_TOO_LONG',
  /** The command did not answer within its time limit. */
  TIMEOUT: 'TIMEOUT',
  /** The server refused the connection (max connections); it closes after this reply. */
  TOO_MANY_CONNECTIONS: 'TOO_MANY_CONNECTIONS',
  /** The handler failed without a code of its own, or its result is not JSON-able. */
  INTERNAL: 'INTERNAL',
} as const;
export type ControlErrorCode = (typeof ControlErrorCode)[keyof typeof ControlErrorCode];

const CODE_FORM = /^[A-Z][A-Z0-9_]{1,63}$/;

/** Thrown by command handlers; `code` is sent to the client as is. */
export class ControlError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    if (!CODE_FORM.test(code)) throw new RangeError(`control error code must be UPPER_SNAKE, got ${JSON.stringify(code)}`);
    this.name = 'ControlError';
    this.code = code;
  }
}

/** The code to report for an error a handler threw. */
export function errorCodeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CODE_FORM.test(code) ? code : ControlErrorCode.INTERNAL;
}

export const ControlSocketErrorCode = {
  /** Another live process answers on the socket path. */
  IN_USE: 'CONTROL_SOCKET_IN_USE',
  /** The path exists and is not a socket: never deleted, the operator must look. */
  NOT_A_SOCKET: 'CONTROL_SOCKET_NOT_A_SOCKET',
  /** The directory is writable by everyone without the sticky bit: anyone could swap the socket. */
  UNSAFE_DIR: 'CONTROL_SOCKET_UNSAFE_DIR',
  /** Longer than a unix socket address can hold (107 bytes on Linux). */
  PATH_TOO_LONG: 'CONTROL_SOCKET_PATH_TOO_LONG',
  /** Anything else on the way to listening (permissions, unsupported thread). */
  SETUP: 'CONTROL_SOCKET_SETUP',
} as const;
export type ControlSocketErrorCode = (typeof ControlSocketErrorCode)[keyof typeof ControlSocketErrorCode];

export class ControlSocketError extends Error {
  readonly code: ControlSocketErrorCode;
  readonly path: string;
  constructor(code: ControlSocketErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(`control socket ${path}: ${message}`, options);
    this.name = 'ControlSocketError';
    this.code = code;
    this.path = path;
  }
}
