/**
 * Errors of the book package. Programmer errors (bad config, calls out of order) and
 * rejected outside input (replay files) are BookErrors with a stable `code`; the hot
 * path never throws for data, it returns a LevelResult / counts instead.
 */
export const BookErrorCode = {
  CONFIG: 'BOOK_CONFIG',
  LAYOUT: 'BOOK_LAYOUT',
  BATCH_ORDER: 'BOOK_BATCH_ORDER',
  REPLAY_INPUT: 'BOOK_REPLAY_INPUT',
  REPLAY_VALUE: 'BOOK_REPLAY_VALUE',
} as const;
export type BookErrorCode = (typeof BookErrorCode)[keyof typeof BookErrorCode];

export class BookError extends Error {
  readonly code: BookErrorCode;
  constructor(code: BookErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BookError';
    this.code = code;
  }
}
