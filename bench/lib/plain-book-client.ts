/**
 * The baseline of bench/md-sustained: what a Node developer writes without veloz — a
 * `ws` client, JSON.parse per frame, a Map per book side keyed by the price string, the
 * documented Binance spot sync (buffer, REST snapshot, drop u <= lastUpdateId, bridge,
 * then U == previous u + 1), all on one thread. (Float parsing here is the baseline's
 * own choice; veloz never does it.)
 */
import WebSocket from 'ws';

interface Diff {
  s: string;
  U: number;
  u: number;
  b: [string, string][];
  a: [string, string][];
}

class PlainBook {
  readonly bids = new Map<string, string>();
  readonly asks = new Map<string, string>();
  id = -1;
  live = false;
  fetching = false;
  buffered: Diff[] = [];
}

export class PlainBookClient {
  /** Diff messages handled (applied or dropped as already applied). */
  processed = 0;
  gaps = 0;
  private readonly books = new Map<string, PlainBook>();
  private ws: WebSocket | null = null;

  constructor(
    private readonly restUrl: string,
    symbols: readonly string[],
  ) {
    for (const s of symbols) this.books.set(s, new PlainBook());
  }

  connect(url: string): Promise<void> {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 20 });
    this.ws = ws;
    ws.on('message', (data: Buffer) => this.onMessage(data));
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  }

  close(): void {
    this.ws?.terminate();
  }

  lastUpdateId(symbol: string): number {
    return this.books.get(symbol)?.id ?? -1;
  }

  /** Whole book as [price, qty] strings, best first (for the end-of-run check). */
  levels(symbol: string): { bids: [string, string][]; asks: [string, string][] } {
    const b = this.books.get(symbol)!;
    const sorted = (m: Map<string, string>, desc: boolean): [string, string][] =>
      [...m.entries()].sort((x, y) => (desc ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0])));
    return { bids: sorted(b.bids, true), asks: sorted(b.asks, false) };
  }

  private onMessage(data: Buffer): void {
    const msg = JSON.parse(data as unknown as string) as { data?: Diff } & Diff;
    const d = msg.data ?? msg;
    const book = this.books.get(d.s);
    if (!book) return;
    if (!book.live) {
      book.buffered.push(d);
      if (!book.fetching) {
        book.fetching = true;
        void this.snapshot(d.s, book);
      }
      return;
    }
    this.apply(book, d);
  }

  private async snapshot(symbol: string, book: PlainBook): Promise<void> {
    const res = await fetch(`${this.restUrl}/api/v3/depth?symbol=${symbol}&limit=1000`);
    const snap = (await res.json()) as { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] };
    book.bids.clear();
    book.asks.clear();
    for (const [p, q] of snap.bids) book.bids.set(p, q);
    for (const [p, q] of snap.asks) book.asks.set(p, q);
    book.id = snap.lastUpdateId;
    book.live = true;
    let first = true;
    for (const d of book.buffered) {
      if (d.u <= book.id) {
        this.processed++;
        continue;
      }
      if (first && !(d.U <= book.id + 1 && d.u >= book.id + 1)) {
        this.gaps++;
        return;
      }
      this.apply(book, d, first);
      first = false;
    }
    book.buffered = [];
  }

  private apply(book: PlainBook, d: Diff, bridging = false): void {
    this.processed++;
    if (d.u <= book.id) return;
    if (!bridging && d.U !== book.id + 1) {
      this.gaps++;
      book.live = false;
      return;
    }
    for (const [p, q] of d.b) {
      if (Number(q) === 0) book.bids.delete(p);
      else book.bids.set(p, q);
    }
    for (const [p, q] of d.a) {
      if (Number(q) === 0) book.asks.delete(p);
      else book.asks.set(p, q);
    }
    book.id = d.u;
  }
}
