/**
 * Errors of the thread runtime. `code` is stable; the message names the thread.
 * - VELOZ_THREAD_SPEC: a thread spec or ring declaration is invalid (programmer/config error).
 * - VELOZ_THREAD_SETUP: a thread could not be started (affinity refused, module missing,
 *   role threw while loading, start timeout).
 * - VELOZ_THREAD_EXIT: a thread ended without being asked to; carried by 'fatal'.
 * - VELOZ_AFFINITY (from the addon): pinning was refused; kept as the `cause`.
 */
export type ThreadErrorCode = 'VELOZ_THREAD_SPEC' | 'VELOZ_THREAD_SETUP' | 'VELOZ_THREAD_EXIT';

export class ThreadError extends Error {
  readonly code: ThreadErrorCode;
  /** The thread concerned, when there is one. */
  readonly thread: string | undefined;

  constructor(code: ThreadErrorCode, message: string, options?: { thread?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ThreadError';
    this.code = code;
    this.thread = options?.thread;
  }
}

/** A readable one-liner for any thrown value, with its `code` when it has one. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${err.message} [${code}]` : err.message;
  }
  return String(err);
}
