/**
 * veloz loggers: pino writing JSON lines through an asynchronous destination (SonicBoom,
 * `sync: false`), so a log call formats a string and queues it; the write happens off
 * the caller's path. Secrets are removed twice: pino `redact` paths (secrets.ts) and the
 * sanitizer (sanitize.ts) for secrets at any depth or inside text.
 *
 * One root logger per thread (each thread owns its destination; a file is opened with
 * O_APPEND, so lines from several threads interleave whole), children per component.
 * Hot paths do not log per event: they count (metrics) and log state changes.
 */
import { mkdirSync, openSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import { pino, symbols, type Logger } from 'pino';
import { prettyDestination, type FlushableDestination } from './pretty.js';
import { redactPaths, CENSOR } from './secrets.js';
import { errSerializer, sanitizeObject, sanitizeValue } from './sanitize.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export type VelozLogger = Logger;

export class LogConfigError extends Error {
  readonly code: 'LOG_LEVEL' | 'LOG_FILE';
  constructor(code: 'LOG_LEVEL' | 'LOG_FILE', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LogConfigError';
    this.code = code;
  }
}

export interface LoggerOptions {
  /** Logger name, e.g. the process role ("veloz"). */
  name: string;
  level?: LogLevel;
  /** Append JSON lines to this file (directories are created); stdout when absent. */
  file?: string;
  /** Human-readable lines instead of JSON (development). */
  pretty?: boolean;
  /** Colour in pretty mode; defaults to whether stdout is a TTY and no file is given. */
  color?: boolean;
  /** Write to this destination instead of a file or stdout (embedding, tests). */
  destination?: FlushableDestination;
  /**
   * Bytes SonicBoom gathers before a write (below 16384). Default 1: write as soon as the
   * previous write is done (a quiet engine must not hold lines back), while keeping
   * SonicBoom's flush(cb) waiting for the data to reach the OS (with 0 it returns at once).
   */
  minLength?: number;
  /** Extra secret key names to redact. */
  redactKeys?: readonly string[];
}

/** Where the current thread runs: "main" or "worker-<threadId>". */
export function threadLabel(): string {
  return isMainThread ? 'main' : `worker-${threadId}`;
}

export function assertLogLevel(level: string): asserts level is LogLevel {
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new LogConfigError('LOG_LEVEL', `log level ${JSON.stringify(level)} is not one of ${LOG_LEVELS.join(', ')}`);
  }
}

function openDestination(opts: LoggerOptions): FlushableDestination {
  if (opts.destination) return opts.destination;
  let fd = 1;
  if (opts.file) {
    try {
      mkdirSync(dirname(opts.file), { recursive: true });
      // Opened here, synchronously, so the destination is ready at once and a fatal
      // flushSync during start-up never meets a half-open file.
      fd = openSync(opts.file, 'a');
    } catch (err) {
      throw new LogConfigError('LOG_FILE', `cannot open log file ${opts.file}: ${(err as Error).message}`, { cause: err });
    }
  }
  return pino.destination({ dest: fd, sync: false, minLength: opts.minLength ?? 1 });
}

export function createLogger(opts: LoggerOptions): VelozLogger {
  const level = opts.level ?? 'info';
  assertLogLevel(level);
  let dest = openDestination(opts);
  if (opts.pretty) dest = prettyDestination(dest, opts.color ?? (!opts.file && !opts.destination && process.stdout.isTTY === true));
  return pino(
    {
      name: opts.name,
      level,
      base: { pid: process.pid, hostname: hostname(), thread: threadLabel() },
      redact: { paths: redactPaths(opts.redactKeys), censor: CENSOR },
      serializers: {
        err: errSerializer,
        error: errSerializer,
        cause: errSerializer,
        msg: (m: unknown) => sanitizeValue(m),
      },
      formatters: { log: sanitizeObject, bindings: sanitizeObject },
    },
    dest,
  );
}

/**
 * A child for one component of this thread. Bindings are sanitized here: pino does not
 * run the root's formatters over child bindings.
 */
export function childLogger(parent: VelozLogger, component: string, bindings: Record<string, unknown> = {}): VelozLogger {
  return parent.child(sanitizeObject({ component, ...bindings }));
}

/**
 * Changes the level at runtime (control command `log.level`). Children created without
 * their own level follow their parent, because pino children inherit it through their
 * prototype.
 */
export function setLogLevel(logger: VelozLogger, level: string): void {
  assertLogLevel(level);
  logger.level = level;
}

function destinationOf(logger: VelozLogger): FlushableDestination {
  return (logger as unknown as Record<symbol, FlushableDestination>)[symbols.streamSym]!;
}

/** Resolves once everything logged so far has been handed to the OS. */
export function flushLogger(logger: VelozLogger): Promise<void> {
  return new Promise((resolve, reject) => logger.flush((err) => (err ? reject(err) : resolve())));
}

/** Writes everything buffered now, blocking; for exit paths. Never throws. */
export function flushLoggerSync(logger: VelozLogger): void {
  try {
    destinationOf(logger).flushSync?.();
  } catch {
    // Nothing left to do on an exit path if the destination is gone.
  }
}

/**
 * Flushes synchronously when this thread or process exits. pino does this for its own
 * destinations on the main thread only; worker threads need it too.
 */
export function installFlushOnExit(logger: VelozLogger): () => void {
  const onExit = (): void => flushLoggerSync(logger);
  process.once('exit', onExit);
  return () => process.removeListener('exit', onExit);
}

/** Logs at fatal (pino flushes synchronously on fatal) and flushes again to be sure. */
export function logFatal(logger: VelozLogger, err: unknown, msg: string): void {
  logger.fatal({ err }, msg);
  flushLoggerSync(logger);
}
