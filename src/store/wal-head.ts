/**
 * The newest record of the local WAL, for `veloz db status` (lag = head − shipped).
 * Reads only the newest segment that holds a record (the segment names give the base
 * seqs), through the WAL's own reader, so a torn or corrupt tail is treated exactly as
 * replay treats it. A WAL that cannot be read is reported as unknown, with the reason.
 */
import { listSegments, WalReader } from '../wal/index.js';

export type WalHead = { known: true; seq: bigint; tsNs: bigint | null } | { known: false; reason: string };

export type WalHeadReader = (walDir: string) => Promise<WalHead>;

export const readWalHead: WalHeadReader = async (walDir) => {
  try {
    const segments = listSegments(walDir);
    for (let i = segments.length - 1; i >= 0; i--) {
      const reader = WalReader.open({ dir: walDir, fromSeq: (segments[i] as { baseSeq: number }).baseSeq });
      try {
        let seq = -1;
        let tsNs = 0n;
        for (let r = reader.next(); r !== null; r = reader.next()) {
          seq = r.seq;
          tsNs = r.tsNs;
        }
        if (seq >= 0) return { known: true, seq: BigInt(seq), tsNs };
      } finally {
        reader.close();
      }
    }
    // No segment or no record yet: nothing to ship.
    return { known: true, seq: 0n, tsNs: null };
  } catch (err) {
    const e = err as { code?: string; message: string };
    return { known: false, reason: `reading the WAL in ${walDir} failed: ${e.code ? `[${e.code}] ` : ''}${e.message}` };
  }
};
