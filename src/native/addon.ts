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
  /**
   * A clock reader bound to `out`: each call of the returned function writes
   * CLOCK_MONOTONIC ns into out[0] as a number (exact below 2^53: 104 days of uptime).
   * Allocates nothing per reading, for clocks read per message. Throws TypeError
   * ERR_INVALID_ARG_TYPE unless `out` is a non-empty Float64Array.
   */
  monotonicClock(out: Float64Array): () => void;
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

// --- decoder (native/binding/md_decoder_binding.cc) ---------------------------
/** One instrument row as the native decoder takes it (checked again natively). */
export interface NativeDecoderInstrument {
  venueSymbol: string;
  instrumentId: number;
  priceScale: number;
  qtyScale: number;
}

/**
 * Methods bound to one native Binance decoder (native/core/binance_md_decoder.h). The
 * io block given at creation holds the result record (bytes 0..79) and the ring
 * position of the next call (f64 startPos at 80, f64 freeSlots at 88); layout in
 * src/venues/binance/decode/codes.ts. Venue input never throws: the return value is
 * the slot count or a negative DecodeStatus. Argument mistakes throw TypeError /
 * RangeError with `code` ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE or ERR_INVALID_STATE.
 */
export interface NativeBinanceMdDecoder {
  /** The ring's data region: a Uint8Array over a SharedArrayBuffer, 2^k × 64 bytes. */
  bindRing(region: Uint8Array): void;
  /** A websocket frame, written at io startPos/freeSlots of the bound ring. */
  decodeInto(frame: Uint8Array, recvTimeNs: bigint | number): number;
  /** A REST depth snapshot body for `instrumentId` (which must be in the table). */
  decodeSnapshotInto(body: Uint8Array, instrumentId: number, recvTimeNs: bigint | number): number;
  /** Counts per outcome into out[0..12), index -status (0 = decoded messages). */
  readCounters(out: BigUint64Array): void;
}

export interface NativeMdDecodeConstants {
  /** DecodeStatus name -> value, as compiled. */
  statuses: Record<string, number>;
  /** MessageKind name -> value. */
  kinds: Record<string, number>;
  /** io block field -> byte offset. */
  ioOffsets: Record<string, number>;
  resultBytes: number;
  ioBytes: number;
  maxJsonDepth: number;
  maxSymbolBytes: number;
}

export interface DecoderExports {
  /**
   * A decoder for 'binance' (spot) or 'binance-usdm' frames; `io` is a BigInt64Array of
   * at least 12 elements over a SharedArrayBuffer. Throws (ERR_INVALID_ARG_VALUE) on a
   * bad instrument table.
   */
  createBinanceMdDecoder(
    venue: string,
    instruments: readonly NativeDecoderInstrument[],
    maxMessageBytes: number,
    io: BigInt64Array,
  ): NativeBinanceMdDecoder;
  mdDecodeConstants(): NativeMdDecodeConstants;
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

// --- crc32c (native/binding/crc32c_binding.cc) -------------------------------
export interface Crc32cExports {
  /**
   * CRC-32C (Castagnoli) of `buf[start, end)` continuing from `init` (a previous result,
   * 0 to start), as an unsigned 32-bit number: crc32c(b, 0, n) equals
   * crc32c(b, k, n, crc32c(b, 0, k)). Uses SSE4.2 when the CPU has it. Throws TypeError
   * (ERR_INVALID_ARG_TYPE) unless `buf` is a Uint8Array, RangeError (ERR_OUT_OF_RANGE)
   * for a range outside it or an `init` outside 0..2^32-1.
   */
  crc32c(buf: Uint8Array, start?: number, end?: number, init?: number): number;
  /** Same contract, always the portable slicing-by-8 path (for tests and comparisons). */
  crc32cSoftware(buf: Uint8Array, start?: number, end?: number, init?: number): number;
  /** Whether `crc32c` runs on the CPU's crc32 instructions. */
  readonly crc32cHardware: boolean;
}

// --- wal (native/binding/wal_binding.cc) ------------------------------------
export interface WalExports {
  /**
   * Writes CLOCK_REALTIME in nanoseconds as a little-endian i64 at buf[offset, offset + 8).
   * Allocates nothing (every JS clock read in Node 20 does), so a WAL append can stamp
   * its record. TypeError (ERR_INVALID_ARG_TYPE) unless buf is a Uint8Array; RangeError
   * (ERR_OUT_OF_RANGE) if the 8 bytes do not fit.
   */
  walStampRealtime(buf: Uint8Array, offset: number): void;
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

export interface NativeAddon
  extends ClockExports,
    DecimalExports,
    SchemaExports,
    DecoderExports,
    SchedExports,
    Crc32cExports,
    WalExports,
    SystemdExports {
  /** Names of the bindings compiled into this build, for diagnostics. */
  readonly bindings: readonly string[];
}
