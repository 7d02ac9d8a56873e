/**
 * Everything the C++ addon (build/Release/veloz_native.node) exports, declared once.
 * Nothing outside src/native touches the .node file: import `native()` from
 * `./load-addon.js` and program against this interface.
 *
 * Each section belongs to one binding file under native/binding/.
 */
import type { RoundingMode } from '../core/fixed/decimal.js';

// --- clock (native/binding/clock_binding.cc) ---------------------------------
export interface ClockExports {
  /** CLOCK_MONOTONIC in nanoseconds: the clock of every receive stamp and latency. */
  monotonicNs(): bigint;
  /** CLOCK_REALTIME in nanoseconds. */
  realtimeNs(): bigint;
}

// --- decimal (native/binding/decimal_binding.cc) -----------------------------
export interface DecimalExports {
  /**
   * Parses a venue decimal string to an int64 mantissa at `scale` decimal places.
   * Throws an Error whose `code` is one of the DecimalErrorCode strings
   * (src/core/fixed/errors.ts) and whose message names the input.
   */
  decimalParse(text: string, scale: number, allowNegative: boolean): bigint;
  /** Formats a mantissa at `scale` back to its shortest exact decimal string. */
  decimalFormat(mantissa: bigint, scale: number, minFractionDigits: number): string;
  /**
   * Moves an int64 mantissa from `fromScale` to `toScale` with `mode`, like `rescale` in
   * src/core/fixed/decimal.ts (same errors: DECIMAL_OVERFLOW, DECIMAL_PRECISION, DECIMAL_SCALE).
   */
  decimalRescale(mantissa: bigint, fromScale: number, toScale: number, mode: RoundingMode): bigint;
  /**
   * Parses `count` ASCII decimals laid out in `bytes` ([starts[i], ends[i]) each) into
   * `out[i]`; `status[i]` receives 0 or a numeric DecimalStatus. Returns how many
   * failed; a failed entry gets `out[i] = 0n`. A scale outside 0..18 fails every entry
   * with SCALE. Throws RangeError (code ERR_OUT_OF_RANGE), before writing anything, when
   * `count` exceeds any array or a range falls outside `bytes`. No JS object is created
   * per value.
   */
  decimalParseBatch(
    bytes: Uint8Array,
    starts: Uint32Array,
    ends: Uint32Array,
    count: number,
    scale: number,
    allowNegative: boolean,
    out: BigInt64Array,
    status: Int32Array,
  ): number;
}

// --- schema (native/binding/schema_binding.cc) --------------------------------
export interface SchemaExports {
  /**
   * The C++ view of the event schema (native/core/schema.h): for every record, its
   * size and each field's byte offset and width, plus every named constant. The
   * schema identity test compares it with src/core/schema.
   */
  schemaLayout(): NativeSchemaLayout;
}

export interface NativeSchemaLayout {
  /** Record name → sizeof and, per TS field name, offsetof/sizeof as the compiler computed them. */
  records: Record<string, { size: number; fields: Record<string, { offset: number; size: number }> }>;
  /** "Group.NAME" → value; 64-bit constants (sentinels) are bigint. */
  constants: Record<string, number | bigint>;
  /** veloz::schema::SCHEMA_HASH as compiled. */
  schemaHash: number;
}

// --- sched (native/binding/sched_binding.cc) ---------------------------------
export interface SchedResult {
  ok: boolean;
  /** errno of the failed call, 0 on success. */
  errno: number;
  message: string;
}

export interface SchedExports {
  /** Kernel thread id (gettid) of the calling thread. */
  currentTid(): number;
  /** pthread_setaffinity_np on the calling thread; throws naming the cpus on failure. */
  setAffinity(cpus: readonly number[]): void;
  /** The calling thread's allowed cpus (pthread_getaffinity_np). */
  getAffinity(): number[];
  /** mlockall(MCL_CURRENT | MCL_FUTURE). */
  mlockAll(): SchedResult;
  /** SCHED_FIFO at `priority` for the calling thread. */
  setSchedFifo(priority: number): SchedResult;
}

// --- systemd (native/binding/sd_notify_binding.cc) ----------------------------
export interface SdNotifyResult {
  /** The datagram was sent. */
  ok: boolean;
  /** errno of the failure; 0 on success and when NOTIFY_SOCKET is unset. */
  errno: number;
  message: string;
}

export interface SystemdExports {
  /**
   * Sends `state` ("READY=1", "WATCHDOG=1", "STATUS=…", "STOPPING=1", "MAINPID=…",
   * newline-separated) as one datagram to `socketPath`, default $NOTIFY_SOCKET (read from
   * the process environment). An '@' path is the abstract namespace.
   */
  sdNotify(state: string, socketPath?: string): SdNotifyResult;
  /** $WATCHDOG_USEC when set for this pid ($WATCHDOG_PID), else 0. Microseconds. */
  watchdogUsec(): number;
}

export interface NativeAddon extends ClockExports, DecimalExports, SchemaExports, SchedExports, SystemdExports {
  /** Names of the bindings compiled into this build, for diagnostics. */
  readonly bindings: readonly string[];
}
