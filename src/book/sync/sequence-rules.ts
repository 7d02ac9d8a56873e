/**
 * Binance's sequencing rules, as pure functions of update ids. Sources (see
 * shared/protocols/PROTOCOLS.md §1–2):
 *
 * Spot ("How to manage a local order book correctly", web-socket-streams.md):
 *   drop a diff with u <= book id; a diff with U > book id + 1 means a gap; otherwise
 *   apply it (normally U == previous u + 1). The first diff after the snapshot must
 *   have U <= lastUpdateId + 1 <= u. The docs' step 3 ("refetch if lastUpdateId < the
 *   first buffered U") and the update rule disagree at U == lastUpdateId + 1; we follow
 *   the update rule, which accepts that edge (the diff continues the snapshot exactly),
 *   so the snapshot is too old only when lastUpdateId < U - 1.
 *
 * USD-M futures (How-to-manage-a-local-order-book-correctly):
 *   drop a diff with u < lastUpdateId; the first applied diff must have
 *   U <= lastUpdateId <= u (else the snapshot is too old: lastUpdateId < U); after that
 *   every diff's pu must equal the previous diff's u, else re-initialise. U need not be
 *   previous u + 1 on futures, and a diff that fails the pu check is a gap even if it
 *   repeats one already applied (the docs give no "ignore" rule there).
 */

export const Verdict = {
  APPLY: 0,
  /** Already in the book (or older than the snapshot). */
  STALE: 1,
  /** The diff does not continue the previous one. */
  GAP: 2,
  /** The snapshot is older than the first diff that could continue it: fetch it again. */
  TOO_OLD: 3,
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export type BinanceMarket = 'spot' | 'usdm';

export interface SequenceRules {
  readonly market: BinanceMarket;
  /** First diff after a snapshot with lastUpdateId `snapshotId`. */
  bridge(snapshotId: number, firstId: number, finalId: number): Verdict;
  /** A diff after one with final id `lastId` (applied or buffered). */
  follow(lastId: number, firstId: number, finalId: number, prevFinalId: number): Verdict;
  /** The id the next diff was expected to carry, and the one it did, for a GAP report. */
  gapExpected(lastId: number): number;
  gapReceived(firstId: number, prevFinalId: number): number;
}

export const SPOT_RULES: SequenceRules = {
  market: 'spot',
  bridge(snapshotId, firstId, finalId) {
    if (finalId <= snapshotId) return Verdict.STALE;
    if (firstId > snapshotId + 1) return Verdict.TOO_OLD;
    return Verdict.APPLY;
  },
  follow(lastId, firstId, finalId) {
    if (finalId <= lastId) return Verdict.STALE;
    if (firstId > lastId + 1) return Verdict.GAP;
    return Verdict.APPLY;
  },
  gapExpected: (lastId) => lastId + 1,
  gapReceived: (firstId) => firstId,
};

export const USDM_RULES: SequenceRules = {
  market: 'usdm',
  bridge(snapshotId, firstId, finalId) {
    if (finalId < snapshotId) return Verdict.STALE;
    if (firstId > snapshotId) return Verdict.TOO_OLD;
    return Verdict.APPLY;
  },
  follow(lastId, _firstId, _finalId, prevFinalId) {
    return prevFinalId === lastId ? Verdict.APPLY : Verdict.GAP;
  },
  gapExpected: (lastId) => lastId,
  gapReceived: (_firstId, prevFinalId) => prevFinalId,
};

export function sequenceRules(market: BinanceMarket): SequenceRules {
  return market === 'spot' ? SPOT_RULES : USDM_RULES;
}
