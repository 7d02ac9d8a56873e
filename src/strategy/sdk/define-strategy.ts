/**
 * defineStrategy: how a strategy module declares itself (design §8).
 *
 *     export default defineStrategy({
 *       name: 'mm',
 *       params: z.object({ spread: decimalParam(2), size: decimalParam(3) }),
 *       onStart(ctx, state) { … },     // ctx.params is { spread: bigint; size: bigint }
 *       onBook(ctx, ev) { … },
 *       onStop(ctx) { return { … } },  // handed to the next onStart (restart, hot swap)
 *     });
 *
 * The state type comes from the annotation of onStart's `state` (`state?: MyState`);
 * without one it is `unknown`, and onStop may return anything.
 *
 * Handlers are declared as function-typed properties, not methods, so TypeScript checks
 * their parameters strictly: an onBook that expects a TradeEvent does not compile.
 * The definition is also checked at run time (JavaScript strategies, bad modules) and
 * every problem is a StrategyError with code STRATEGY_DEFINITION naming the strategy.
 */
import { z } from 'zod';
import type { StrategyContext } from './context.js';
import { StrategyError, StrategyErrorCode } from './errors.js';
import type { BookEvent, OrderEvent, TimerEvent, TradeEvent } from './events.js';
import { parseStrategyParams, type ParamsSchema } from './params.js';

/** The params type when a strategy declares none. */
export type NoParams = z.ZodType<Record<never, never>, unknown>;

export type ParamsOf<P extends ParamsSchema> = z.output<P>;

export interface StrategySpec<P extends ParamsSchema, S> {
  /** [a-z][a-z0-9_-]*, at most 64 characters: the name the config and the oms use. */
  name: string;
  description?: string;
  params?: P;
  /** Once, before any event; `state` is what the previous instance's onStop returned. */
  onStart?: (ctx: StrategyContext<ParamsOf<P>>, state: S | undefined) => void | Promise<void>;
  onBook?: (ctx: StrategyContext<ParamsOf<P>>, event: BookEvent) => void;
  onTrade?: (ctx: StrategyContext<ParamsOf<P>>, event: TradeEvent) => void;
  onOrder?: (ctx: StrategyContext<ParamsOf<P>>, event: OrderEvent) => void;
  onTimer?: (ctx: StrategyContext<ParamsOf<P>>, event: TimerEvent) => void;
  /** Once, after the last event; returns the state to hand over. */
  onStop?: (ctx: StrategyContext<ParamsOf<P>>) => S | Promise<S>;
}

const BRAND: unique symbol = Symbol.for('veloz.strategy');

export interface Strategy<P extends ParamsSchema = ParamsSchema, S = unknown> extends Readonly<StrategySpec<P, S>> {
  readonly [BRAND]: true;
  /** Validates raw params (from the config or the control socket) with the strategy's schema. */
  parseParams(raw: unknown): ParamsOf<P>;
}

/**
 * Any strategy, whatever its params and state types: what hosts take. (`Strategy` with
 * its defaults is not enough: handler parameters are checked strictly, so a strategy
 * with typed params is not assignable to one with generic params.)
 */
export type AnyStrategy = Strategy<any, any>;

export const STRATEGY_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
export const HANDLER_KEYS = ['onStart', 'onBook', 'onTrade', 'onOrder', 'onTimer', 'onStop'] as const;
const ALLOWED_KEYS: readonly string[] = ['name', 'description', 'params', ...HANDLER_KEYS];

function definitionError(where: string, message: string): StrategyError {
  return new StrategyError(StrategyErrorCode.DEFINITION, `${where}: ${message}`);
}

function isZodSchema(v: unknown): v is ParamsSchema {
  return typeof v === 'object' && v !== null && '_zod' in v && typeof (v as { safeParse?: unknown }).safeParse === 'function';
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

export function defineStrategy<P extends ParamsSchema = NoParams, S = unknown>(spec: StrategySpec<P, S>): Strategy<P, S> {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw definitionError('defineStrategy', `expects an object, got ${kindOf(spec)}`);
  }
  const raw = spec as unknown as Record<string, unknown>;
  const name = raw['name'];
  if (typeof name !== 'string' || !STRATEGY_NAME.test(name)) {
    throw definitionError(
      'defineStrategy',
      `name must match ${STRATEGY_NAME.source} (lower case letter, then letters, digits, _ or -; at most 64), got ${typeof name === 'string' ? JSON.stringify(name) : kindOf(name)}`,
    );
  }
  const where = `strategy ${name}`;
  for (const key of Object.keys(raw)) {
    if (!ALLOWED_KEYS.includes(key)) throw definitionError(where, `unknown key ${JSON.stringify(key)} (allowed: ${ALLOWED_KEYS.join(', ')})`);
  }
  for (const key of HANDLER_KEYS) {
    const h = raw[key];
    if (h !== undefined && typeof h !== 'function') throw definitionError(where, `${key} must be a function, got ${kindOf(h)}`);
  }
  if (raw['description'] !== undefined && typeof raw['description'] !== 'string') {
    throw definitionError(where, `description must be a string, got ${kindOf(raw['description'])}`);
  }
  if (raw['params'] !== undefined && !isZodSchema(raw['params'])) {
    throw definitionError(where, `params must be a zod schema such as z.object({...}), got ${kindOf(raw['params'])}`);
  }
  const schema = spec.params;
  const strategy: Strategy<P, S> = {
    ...spec,
    [BRAND]: true,
    parseParams(input: unknown): ParamsOf<P> {
      if (schema === undefined) return parseStrategyParams(name, EMPTY_PARAMS, input) as ParamsOf<P>;
      return parseStrategyParams(name, schema, input);
    },
  };
  return Object.freeze(strategy);
}

/** A strategy without params accepts only an empty table. */
const EMPTY_PARAMS: ParamsSchema = z.strictObject({});

export function isStrategy(value: unknown): value is AnyStrategy {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * The strategy a loaded module default-exports, or a STRATEGY_DEFINITION error naming
 * `where` (the module path) and what was found instead.
 */
export function strategyFromModule(mod: unknown, where: string): AnyStrategy {
  const def = (mod as { default?: unknown } | null)?.default;
  if (!isStrategy(def)) {
    throw new StrategyError(
      StrategyErrorCode.DEFINITION,
      `${where}: the module must default-export defineStrategy({...}), its default export is ${def === undefined ? 'missing' : typeof def === 'object' && def !== null ? 'an object not made by defineStrategy' : kindOf(def)}`,
    );
  }
  return def;
}
