/**
 * Pushes books to subscribers: every `intervalMs` it looks at each watched (book, depth)
 * topic, and when the book's seqlock version moved since the last push it copies the top
 * N levels (a consistent seqlock read of shared memory, never blocking the book writer),
 * serialises once and publishes. Books conflate: subscribers get the latest state at
 * most once per interval, never a backlog.
 *
 * It is the book channel's adapter too: a subscription must name a book the directory
 * knows, and only books someone watches are sampled.
 */
import { BookLevels } from '../../book/book-levels.js';
import type { VelozLogger } from '../../core/log/index.js';
import type { BookDirectory, BookHandle } from '../books/book-directory.js';
import { bookFields } from '../books/book-json.js';
import { MAX_BOOK_DEPTH, bookDepth, bookTopicKey, requireMarket, type ChannelAdapter } from './channel-adapters.js';
import type { PushHub } from './push-hub.js';
import { PushProtocolError, type RequestId, type SubscriptionFields } from './push-protocol.js';

export interface BookPushOptions {
  books: BookDirectory;
  /** Sampling period. Default 100 ms. */
  intervalMs?: number;
  /** Deepest book a client may ask for. Default 100. */
  maxDepth?: number;
  log?: VelozLogger;
}

interface Watched {
  readonly key: string;
  readonly sub: string;
  readonly book: BookHandle;
  readonly depth: number;
  readonly levels: BookLevels;
  lastVersion: number;
}

export class BookPushSource implements ChannelAdapter {
  readonly conflate = true;
  readonly intervalMs: number;
  private readonly maxDepth: number;
  private readonly watched = new Map<string, Watched>();
  private timer: NodeJS.Timeout | null = null;
  /** Samples that found the writer mid-batch every retry (book busy); tried again next tick. */
  busy = 0;
  pushed = 0;

  constructor(
    private readonly hub: PushHub,
    private readonly o: BookPushOptions,
  ) {
    this.intervalMs = o.intervalMs ?? 100;
    this.maxDepth = o.maxDepth ?? MAX_BOOK_DEPTH;
    if (!(this.intervalMs >= 1)) throw new RangeError(`book push intervalMs must be >= 1, got ${this.intervalMs}`);
    if (!(Number.isInteger(this.maxDepth) && this.maxDepth >= 1)) throw new RangeError(`book push maxDepth must be a positive integer`);
    hub.setAdapter('book', this);
  }

  resolve(fields: SubscriptionFields, id: RequestId): string {
    for (const k of ['strategy'] as const) {
      if (fields[k] !== undefined) throw new PushProtocolError('BAD_REQUEST', `channel book takes no ${k}`, id);
    }
    const { venue, symbol } = requireMarket(fields, id);
    if (this.o.books.lookup(venue, symbol) === undefined) {
      throw new PushProtocolError('UNKNOWN_BOOK', `no book for ${venue}:${symbol}`, id);
    }
    return bookTopicKey(venue, symbol, bookDepth(fields, id, this.maxDepth));
  }

  topicOpened(key: string): void {
    const [venue, symbol, depthText] = key.split(':') as [string, string, string];
    const book = this.o.books.lookup(venue, symbol)!;
    const depth = Number(depthText);
    this.watched.set(key, { key, sub: `book:${key}`, book, depth, levels: new BookLevels(depth), lastVersion: -1 });
    // The first subscriber should not wait a whole interval for its first state.
    this.sampleOne(this.watched.get(key)!);
  }

  topicClosed(key: string): void {
    this.watched.delete(key);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One sampling pass (the timer's work; callable directly). */
  sample(): void {
    for (const w of this.watched.values()) this.sampleOne(w);
  }

  private sampleOne(w: Watched): void {
    const reader = w.book.reader;
    const v = reader.version();
    if (v === w.lastVersion) return;
    if (!reader.readTop(w.depth, w.levels)) {
      this.busy++;
      return;
    }
    w.lastVersion = w.levels.version;
    const frame = Buffer.from(`{"channel":"book","sub":${JSON.stringify(w.sub)},${bookFields(w.book, w.levels)}}`, 'utf8');
    if (this.hub.publish('book', w.key, frame)) this.pushed++;
  }
}
