/**
 * The newest intact record on disk (for `veloz db status`: lag = head − shipped). Reads
 * only the newest segment, or the one before it when the newest holds no record yet.
 * Async in signature for the store's contract (src/store/wal-head.ts); the work is a
 * bounded synchronous scan of at most two segments.
 */
import { listSegments } from './segment-files.js';
import { WalReader } from './wal-reader.js';

export async function readWalHead(dir: string): Promise<{ seq: bigint; tsNs: bigint | null } | null> {
  const segs = listSegments(dir);
  for (let i = segs.length - 1; i >= 0 && i >= segs.length - 2; i--) {
    const reader = WalReader.open({ dir, fromSeq: segs[i]!.baseSeq });
    try {
      let seq = -1;
      let tsNs = 0n;
      for (let r = reader.next(); r !== null; r = reader.next()) {
        seq = r.seq;
        tsNs = r.tsNs;
      }
      if (seq >= 0) return { seq: BigInt(seq), tsNs };
    } finally {
      reader.close();
    }
  }
  return null;
}
