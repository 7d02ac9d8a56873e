import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import { ThreadError } from './errors.js';

/** How a thread waits when its input ring is empty (see docs/ARCHITECTURE.md §2). */
export type WaitStrategy = 'spin' | 'backoff' | 'block';
export const WAIT_STRATEGIES: readonly WaitStrategy[] = ['spin', 'backoff', 'block'];

/** What the runtime does when a thread ends without being asked to. */
export type ExitPolicy =
  | { kind: 'fail' }
  | {
      kind: 'restart';
      /** Restarts allowed within `windowMs` before the thread is declared fatal. */
      maxRestarts: number;
      /** First restart delay; doubles on each further restart up to `maxBackoffMs`. */
      backoffMs: number;
      maxBackoffMs?: number;
      /** Restarts older than this no longer count against `maxRestarts` (default: never forget). */
      windowMs?: number;
    };

/**
 * One role thread. `module` is a compiled ES module exporting `run(ctx: ThreadContext)`
 * (or a default function); it is loaded by the common worker entry after the thread is
 * placed (affinity, SCHED_FIFO), so the role's first instruction already runs where it
 * will live.
 */
export interface ThreadSpec {
  /** Unique, [a-z][a-z0-9_-]*: used in logs, events and errors. */
  name: string;
  /** Absolute path or file: URL of the role module (compiled JS). */
  module: string | URL;
  /** Cpus to pin the thread to; absent = inherit the process affinity. */
  cpus?: readonly number[];
  /** SCHED_FIFO priority (1..99); absent = the normal scheduler. */
  schedFifo?: number;
  waitStrategy: WaitStrategy;
  /**
   * Rings this thread gets, by runtime ring name. An array hands each ring under its
   * own name; a record maps the name the role sees to the runtime ring name
   * (`{ intents: 'intents.mm1' }`).
   */
  rings?: readonly string[] | Readonly<Record<string, string>>;
  /** The role's slice of the config; must be structured-cloneable. */
  config?: unknown;
  /** Default `{ kind: 'fail' }`. */
  onExit?: ExitPolicy;
  resourceLimits?: ResourceLimits;
}

/** A ring the runtime allocates (`bytes`) or one it is given. */
export type RingDecl = number | SharedArrayBuffer;

const NAME = /^[a-z][a-z0-9_-]*$/;

function specError(thread: string | undefined, message: string): ThreadError {
  return new ThreadError('VELOZ_THREAD_SPEC', message, thread === undefined ? undefined : { thread });
}

/** Resolves a module reference to a file: URL string, checking the file exists. */
export function resolveModuleUrl(thread: string, module: string | URL): string {
  let url: URL;
  if (module instanceof URL) url = module;
  else if (module.startsWith('file:')) url = new URL(module);
  else url = pathToFileURL(isAbsolute(module) ? module : resolve(module));
  if (url.protocol !== 'file:') throw specError(thread, `thread ${thread}: module ${url.href} is not a file: URL`);
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw specError(thread, `thread ${thread}: role module ${path} does not exist (is it compiled?)`);
  return url.href;
}

/** The thread's rings as [name the role sees, runtime ring name] pairs. */
export function ringBindings(spec: ThreadSpec): Array<[string, string]> {
  if (spec.rings === undefined) return [];
  if (Array.isArray(spec.rings)) return (spec.rings as readonly string[]).map((r) => [r, r]);
  return Object.entries(spec.rings as Readonly<Record<string, string>>);
}

function validateExitPolicy(name: string, policy: ExitPolicy): void {
  if (policy.kind === 'fail') return;
  if (policy.kind !== 'restart') throw specError(name, `thread ${name}: onExit.kind must be 'fail' or 'restart'`);
  const nonNegInt = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  if (!nonNegInt(policy.maxRestarts)) throw specError(name, `thread ${name}: onExit.maxRestarts must be an integer >= 0`);
  if (!nonNegInt(policy.backoffMs)) throw specError(name, `thread ${name}: onExit.backoffMs must be an integer >= 0`);
  if (policy.maxBackoffMs !== undefined && !nonNegInt(policy.maxBackoffMs)) {
    throw specError(name, `thread ${name}: onExit.maxBackoffMs must be an integer >= 0`);
  }
  if (policy.windowMs !== undefined && !(Number.isInteger(policy.windowMs) && policy.windowMs > 0)) {
    throw specError(name, `thread ${name}: onExit.windowMs must be a positive integer`);
  }
}

/** Checks specs and ring declarations together; throws ThreadError VELOZ_THREAD_SPEC. */
export function validateThreadSpecs(specs: readonly ThreadSpec[], rings: Readonly<Record<string, RingDecl>>): void {
  for (const [ring, decl] of Object.entries(rings)) {
    if (decl instanceof SharedArrayBuffer) continue;
    if (!Number.isSafeInteger(decl) || decl <= 0) {
      throw specError(undefined, `ring ${ring}: size must be a positive integer number of bytes, got ${String(decl)}`);
    }
  }
  const seen = new Set<string>();
  for (const spec of specs) {
    const name = spec.name;
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw specError(undefined, `thread name ${JSON.stringify(name)} must match ${NAME.source}`);
    }
    if (seen.has(name)) throw specError(name, `thread ${name} is declared twice`);
    seen.add(name);
    if (!WAIT_STRATEGIES.includes(spec.waitStrategy)) {
      throw specError(name, `thread ${name}: waitStrategy must be one of ${WAIT_STRATEGIES.join(', ')}`);
    }
    if (spec.cpus !== undefined) {
      if (spec.cpus.length === 0) throw specError(name, `thread ${name}: cpus is empty (omit it to inherit the process affinity)`);
      for (const cpu of spec.cpus) {
        if (!Number.isInteger(cpu) || cpu < 0) throw specError(name, `thread ${name}: cpu ${String(cpu)} is not a cpu id`);
      }
    }
    if (spec.schedFifo !== undefined) {
      if (!Number.isInteger(spec.schedFifo) || spec.schedFifo < 1 || spec.schedFifo > 99) {
        throw specError(name, `thread ${name}: schedFifo must be an integer priority in 1..99`);
      }
      // A real-time thread that spins on a core it shares with others starves them.
      if (spec.waitStrategy === 'spin' && spec.cpus === undefined) {
        throw specError(name, `thread ${name}: schedFifo with waitStrategy 'spin' needs pinned cpus`);
      }
    }
    for (const [, ring] of ringBindings(spec)) {
      if (!(ring in rings)) throw specError(name, `thread ${name}: ring ${ring} is not declared in the runtime's rings`);
    }
    validateExitPolicy(name, spec.onExit ?? { kind: 'fail' });
  }
}
