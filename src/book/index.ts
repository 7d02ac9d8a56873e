/** Public surface of the book package: shared L2 books, their readers, Binance sync, replay. */
export { Side, LevelResult } from './side.js';
export { BookError, BookErrorCode } from './errors.js';
export { resolveBookConfig, bookConfigForInstrument, type BookConfig, type ResolvedBookConfig, type BookLayoutName } from './book-config.js';
export { BookFlag, LayoutKind } from './book-descriptor.js';
export type { BookSink } from './book-sink.js';
export { SharedBookWriter } from './shared-book-writer.js';
export { SharedBookReader, type BookCounters } from './shared-book-reader.js';
export { BookLevels, TopOfBook } from './book-levels.js';
export * from './book-math.js';
export { u53FromWords, MAX_U53 } from './int64-words.js';
export { BinanceBookSync, type BookSyncOptions } from './sync/binance-book-sync.js';
export { SPOT_RULES, USDM_RULES, Verdict, sequenceRules, type BinanceMarket, type SequenceRules } from './sync/sequence-rules.js';
export * from './sync/sync-types.js';
export { replayBook, type ReplayBookInput, type ReplayBookResult, type ReplayGap, type ReplayVenue } from './replay/replay-book.js';
