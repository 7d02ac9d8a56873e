/**
 * Counters of one logical feed connection (a slot of the connection plan; they survive
 * its reconnects), as float64 words at fixed indexes so the metrics exporter can copy the
 * block into shared memory, or hand in a view of shared memory to be written directly.
 * The per-frame path only does `values[FRAMES]++` style stores: no Map, no object.
 *
 *   index  name                       meaning
 *   0      frames                     data frames handed to the sink
 *   1      bytes                      bytes of those frames
 *   2      controlFrames              SUBSCRIBE replies and serverShutdown notices
 *   3      pings                      server pings received
 *   4      pongs                      pongs sent (ws answers every ping, echoing its payload)
 *   5      connectAttempts            sockets opened or tried
 *   6      connects                   handshakes completed
 *   7      subscribeRequests          SUBSCRIBE messages sent
 *   8      subscribeAcks              SUBSCRIBE replies {"result":null}
 *   9      subscribeErrors            SUBSCRIBE replies with an error (streams refused)
 *   10     subscribeTimeouts          SUBSCRIBE replies that never came
 *   11     readDeadlineExpiries       connections declared dead by the read deadline
 *   12-16  reconnects.<reason>        sockets lost or attempts failed, by DisconnectReason (reasons.ts)
 *   17     handoversLifetime          make-before-break replacements for the lifetime
 *   18     handoversShutdown          make-before-break replacements after serverShutdown
 *   19     handoverFailures           replacements that died before going live
 *   20     budgetWaits                attempts delayed by the connection-attempt budget
 *   21     lastFrameMonoMs            monotonic ms of the last frame (updated by tick/snapshot)
 *   22     liveSinceMonoMs            monotonic ms the current connection went live, 0 if not live
 *   23     badControlFrames           control-looking frames that did not parse or match an id
 */
import type { DisconnectReason } from './reasons.js';

export const CONN_COUNTER_NAMES = [
  'frames',
  'bytes',
  'controlFrames',
  'pings',
  'pongs',
  'connectAttempts',
  'connects',
  'subscribeRequests',
  'subscribeAcks',
  'subscribeErrors',
  'subscribeTimeouts',
  'readDeadlineExpiries',
  'reconnects.remoteClose',
  'reconnects.error',
  'reconnects.readDeadline',
  'reconnects.serverShutdown',
  'reconnects.subscribeTimeout',
  'handoversLifetime',
  'handoversShutdown',
  'handoverFailures',
  'budgetWaits',
  'lastFrameMonoMs',
  'liveSinceMonoMs',
  'badControlFrames',
] as const;

export type ConnCounterName = (typeof CONN_COUNTER_NAMES)[number];

export const CONN_COUNTER = {
  FRAMES: 0,
  BYTES: 1,
  CONTROL_FRAMES: 2,
  PINGS: 3,
  PONGS: 4,
  CONNECT_ATTEMPTS: 5,
  CONNECTS: 6,
  SUBSCRIBE_REQUESTS: 7,
  SUBSCRIBE_ACKS: 8,
  SUBSCRIBE_ERRORS: 9,
  SUBSCRIBE_TIMEOUTS: 10,
  READ_DEADLINE_EXPIRIES: 11,
  RECONNECT_BASE: 12,
  HANDOVERS_LIFETIME: 17,
  HANDOVERS_SHUTDOWN: 18,
  HANDOVER_FAILURES: 19,
  BUDGET_WAITS: 20,
  LAST_FRAME_MONO_MS: 21,
  LIVE_SINCE_MONO_MS: 22,
  BAD_CONTROL_FRAMES: 23,
} as const;

export const CONN_COUNTER_COUNT = CONN_COUNTER_NAMES.length;

const RECONNECT_INDEX: Partial<Record<DisconnectReason, number>> = {
  remoteClose: CONN_COUNTER.RECONNECT_BASE,
  error: CONN_COUNTER.RECONNECT_BASE + 1,
  readDeadline: CONN_COUNTER.RECONNECT_BASE + 2,
  serverShutdown: CONN_COUNTER.RECONNECT_BASE + 3,
  subscribeTimeout: CONN_COUNTER.RECONNECT_BASE + 4,
};

export class ConnectionCounters {
  readonly values: Float64Array;
  /** Receive stamp of the last frame (the sink's recvNs), kept exactly; 0n before any. */
  lastFrameNs = 0n;

  constructor(
    readonly slot: number,
    values?: Float64Array,
  ) {
    if (values !== undefined && values.length < CONN_COUNTER_COUNT) {
      throw new RangeError(`counter block for slot ${slot} needs ${CONN_COUNTER_COUNT} float64 words, got ${values.length}`);
    }
    this.values = values ?? new Float64Array(CONN_COUNTER_COUNT);
  }

  countReconnect(reason: DisconnectReason): void {
    const i = RECONNECT_INDEX[reason];
    if (i !== undefined) this.values[i]! += 1;
  }

  reconnects(reason: DisconnectReason): number {
    const i = RECONNECT_INDEX[reason];
    return i === undefined ? 0 : (this.values[i] as number);
  }

  /** Copies the exact last-frame stamp into its float64 word. */
  sync(): void {
    if (this.lastFrameNs !== 0n) this.values[CONN_COUNTER.LAST_FRAME_MONO_MS] = Number(this.lastFrameNs / 1_000_000n);
  }

  snapshot(): Record<ConnCounterName, number> {
    this.sync();
    const out = {} as Record<ConnCounterName, number>;
    for (let i = 0; i < CONN_COUNTER_COUNT; i++) out[CONN_COUNTER_NAMES[i] as ConnCounterName] = this.values[i] as number;
    return out;
  }
}
