/**
 * Warms the book thread's hot path before live data arrives: V8 runs a function in its
 * interpreter until it has been hot for a while, then compiles it concurrently (tens of
 * ms on a busy machine), and a burst arriving meanwhile queues in the md ring. So the
 * worker first runs the very same BookWorkerCore code over a scratch book: a snapshot
 * and a stream of small diffs in its venue's sequencing, written as md ring events.
 */
import { resolveBookConfig } from '../book/book-config.js';
import { SharedBookWriter } from '../book/shared-book-writer.js';
import { BroadcastRing } from '../core/ring/broadcast-ring.js';
import { SpscRing } from '../core/ring/spsc-ring.js';
import { EventType, MdFlag, Source } from '../core/schema/constants.js';
import { EventBuffer } from '../core/schema/event-buffer.js';
import { MD_LEVEL, MD_MARKER } from '../core/schema/offsets.js';
import { BookWorkerCore } from './book-worker-core.js';
import { bookStatsBytes } from './book-stats.js';
import type { MdSyncKind } from './md-venue.js';
import { SnapshotRequestWriter } from './snapshot-requests.js';

const SNAPSHOT_ID = 100;
const SNAPSHOT_LEVELS = 50;

/** Runs `messages` scratch diffs (two levels each) through a private BookWorkerCore. */
export function warmUpBookWorker(syncKind: MdSyncKind, messages = 20_000): void {
  const md = SpscRing.create({ capacity: 4096 });
  const out = BroadcastRing.create({ capacity: 1024, consumers: 1 });
  const config = resolveBookConfig({ layout: 'window', tickMantissa: 1, windowTicks: 1024 });
  const core = new BookWorkerCore({
    syncKind,
    books: [{ instrumentId: 1, config, buffer: new SharedBookWriter(config).buffer }],
    md: md.consumer('spin'),
    mdBuffer: md.buffer,
    bookRing: out.producer(),
    bookRingBuffer: out.buffer,
    requests: new SnapshotRequestWriter(SpscRing.create({ capacity: 16 }), 1),
    stats: new Float64Array(bookStatsBytes(1) / 8),
  });
  const p = md.producer('spin');
  const e = new EventBuffer(md.buffer);
  const put = (type: number, source: number, flags: number, seq: number, first: number, prev: number, price: number, qty: number): void => {
    const at = p.tryClaim();
    e.clear(at, 64);
    e.setU8(at + MD_LEVEL.type, type);
    e.setU8(at + MD_LEVEL.source, source);
    e.setU16(at + MD_LEVEL.flags, flags);
    e.setU32(at + MD_LEVEL.instrument, 1);
    e.setI64Number(at + MD_LEVEL.seq, seq);
    e.setI64Number(at + MD_LEVEL.exchTimeNs, 1_700_000_000_000_000_000 + seq);
    e.setI64Number(at + MD_LEVEL.recvTimeNs, seq);
    if (type === EventType.SNAPSHOT_BEGIN || type === EventType.SNAPSHOT_END) {
      e.setU32(at + MD_MARKER.levelCount, 2 * SNAPSHOT_LEVELS);
      e.setU32(at + MD_MARKER.bidCount, SNAPSHOT_LEVELS);
      e.setIdUndef(at + MD_MARKER.firstSeq);
      e.setIdUndef(at + MD_MARKER.prevSeq);
      return;
    }
    e.setI64Number(at + MD_LEVEL.price, price);
    e.setI64Number(at + MD_LEVEL.qty, qty);
    e.setI64Number(at + MD_LEVEL.firstSeq, first);
    e.setI64Number(at + MD_LEVEL.prevSeq, prev);
  };
  put(EventType.SNAPSHOT_BEGIN, Source.VENUE_SNAPSHOT, MdFlag.SNAPSHOT, SNAPSHOT_ID, 0, 0, 0, 0);
  for (let i = 0; i < SNAPSHOT_LEVELS; i++) put(EventType.LEVEL_BID, Source.VENUE_SNAPSHOT, MdFlag.SNAPSHOT_BID, SNAPSHOT_ID, 0, 0, 1000 - i, 5);
  for (let i = 0; i < SNAPSHOT_LEVELS; i++) put(EventType.LEVEL_ASK, Source.VENUE_SNAPSHOT, MdFlag.SNAPSHOT_ASK, SNAPSHOT_ID, 0, 0, 1001 + i, 5);
  put(EventType.SNAPSHOT_END, Source.VENUE_SNAPSHOT, MdFlag.SNAPSHOT | MdFlag.BATCH_END, SNAPSHOT_ID, 0, 0, 0, 0);
  p.commit();
  core.poll();
  // Diff k covers ids 100+k .. 101+k, pu = 100+k: bridges the snapshot and chains under
  // both the spot (U <= id + 1) and the USD-M (pu == previous u) rules.
  for (let k = 0; k < messages; k++) {
    const first = SNAPSHOT_ID + k;
    const final = first + 1;
    put(EventType.LEVEL_BID, Source.VENUE_STREAM, MdFlag.BUY, final, first, first, 1000 - (k % 5), 1 + (k % 7));
    put(EventType.LEVEL_ASK, Source.VENUE_STREAM, MdFlag.ASK_BATCH_END, final, first, first, 1001 + (k % 5), 1 + (k % 3));
    if ((k & 255) === 255) {
      p.commit();
      core.poll();
    }
  }
  p.commit();
  core.poll();
}
