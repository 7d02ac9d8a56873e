/**
 * Strategy params: declared by the strategy as a zod schema, given by the config as a
 * table (TOML → plain values), parsed once at load. Every problem is reported, each
 * naming its param. At the top level params are strict whatever the schema says: a key
 * the strategy does not declare is a typo in the config, never silently dropped.
 */
import { z } from 'zod';
import { parseDecimal } from '../../core/fixed/decimal.js';
import { StrategyParamsError, type ParamIssue } from './errors.js';

/** A params schema: anything zod that yields an object. */
export type ParamsSchema = z.ZodType<Record<string, unknown>, unknown>;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The keys a schema declares at its top level, when it is an object schema. */
function declaredKeys(schema: ParamsSchema): string[] | undefined {
  const shape = (schema as unknown as { shape?: unknown }).shape;
  return isPlainObject(shape) ? Object.keys(shape) : undefined;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function issueMessage(issue: z.core.$ZodIssue, input: unknown): string {
  // A union (decimalParam) reports a missing value as a bare "Invalid input".
  if (valueAt(input, issue.path) === undefined && issue.code !== 'custom') return 'is required';
  let m = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'invalid_type') {
    m = /received undefined$/.test(m) ? `is required (${m.replace(/, received undefined$/, '')})` : m.replace('received', 'got');
  }
  return m;
}

/** Parses `raw` params with `schema`; throws StrategyParamsError listing every problem. */
export function parseStrategyParams<P extends ParamsSchema>(strategy: string, schema: P, raw: unknown): z.output<P> {
  const input = raw === undefined ? {} : raw;
  if (!isPlainObject(input)) {
    throw new StrategyParamsError(strategy, [{ param: '', message: `params must be an object (a TOML table), got ${describe(input)}` }]);
  }
  const issues: ParamIssue[] = [];
  const keys = declaredKeys(schema);
  if (keys !== undefined) {
    for (const k of Object.keys(input)) {
      if (!keys.includes(k)) {
        issues.push({ param: k, message: `is not a param of this strategy (it has: ${keys.length > 0 ? keys.join(', ') : 'none'})` });
      }
    }
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) {
          const param = [...issue.path, k].join('.');
          if (!issues.some((i) => i.param === param)) issues.push({ param, message: 'is not a param of this strategy' });
        }
        continue;
      }
      issues.push({ param: issue.path.map(String).join('.'), message: issueMessage(issue, input) });
    }
  }
  if (issues.length > 0) throw new StrategyParamsError(strategy, issues);
  const out = (result as { data: unknown }).data;
  if (!isPlainObject(out)) {
    throw new StrategyParamsError(strategy, [{ param: '', message: `the params schema must produce an object, it produced ${describe(out)}` }]);
  }
  return out as z.output<P>;
}

/**
 * A price or quantity param: a decimal string ("0.25") or an integer, as a mantissa at
 * `scale` decimal places (bigint). Numbers with a fraction are refused: a TOML float has
 * already been rounded to binary, so the config must write such values as strings.
 */
export function decimalParam(scale: number, opts: { allowNegative?: boolean } = {}) {
  return z.union([z.string(), z.number()]).transform((v, ctx): bigint => {
    if (typeof v === 'number' && !Number.isSafeInteger(v)) {
      ctx.addIssue({ code: 'custom', message: `write ${v} as a quoted decimal string (e.g. "${v}"): numbers with a fraction are floats` });
      return z.NEVER;
    }
    try {
      return parseDecimal(String(v), scale, { allowNegative: opts.allowNegative ?? false });
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });
}
