/**
 * Finds what the schema expects at a key path, so an override given as text (an
 * environment variable, a --set flag) can be parsed as the type it is meant to be and
 * an override of a key that does not exist is refused before anything is merged.
 */
import type { z } from 'zod';

/** What a value must be parsed as. */
export type ValueKind =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'array'; element: ValueKind }
  | { kind: 'table' }
  | { kind: 'any' };

export type Segment = string | number;

/** How a written path segment picks among the keys known at that level. */
export interface SegmentMatcher {
  /** The object key `segment` means, or undefined. */
  key(segment: string, keys: readonly string[]): string | undefined;
  /** The record key `segment` means, given the keys already present. */
  recordKey(segment: string, present: readonly string[]): string;
}

export type WalkResult =
  | { ok: true; path: Segment[]; value: ValueKind; node: z.ZodType; rawNode: unknown }
  | { ok: false; path: Segment[]; unknown: string; known: readonly string[] };

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
}

function defOf(s: z.ZodType): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    const def = defOf(s);
    if (WRAPPERS.has(def.type) && def.innerType !== undefined) s = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined) s = def.in;
    else return s;
  }
}

function kindOf(s: z.ZodType): ValueKind {
  const def = defOf(unwrap(s));
  switch (def.type) {
    case 'string':
    case 'enum':
      return { kind: 'string' };
    case 'literal':
      return typeof def.values?.[0] === 'number' ? { kind: 'number' } : { kind: 'string' };
    case 'number':
      return { kind: 'number' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array':
      return { kind: 'array', element: kindOf(def.element as z.ZodType) };
    case 'object':
    case 'record':
    case 'union':
      return { kind: 'table' };
    default:
      return { kind: 'any' };
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object shapes a union offers for `raw` (the one its discriminator picks, if any). */
function unionShapes(options: z.ZodType[], raw: unknown): Array<Record<string, z.ZodType>> {
  const shapes = options.map((o) => defOf(unwrap(o))).filter((d) => d.type === 'object').map((d) => d.shape ?? {});
  const kind = isRecord(raw) ? raw['kind'] : undefined;
  const picked = shapes.filter((shape) => {
    const lit = shape['kind'] !== undefined ? defOf(unwrap(shape['kind'])) : undefined;
    return lit?.type === 'literal' && lit.values?.[0] === kind;
  });
  return picked.length > 0 ? picked : shapes;
}

/**
 * Walks `segments` through `schema`, following the current raw config where the schema
 * depends on it (record keys, a union's discriminator).
 */
export function walkSchema(schema: z.ZodType, segments: readonly string[], raw: unknown, match: SegmentMatcher): WalkResult {
  let cur = schema;
  let rawCur: unknown = raw;
  const path: Segment[] = [];
  for (const seg of segments) {
    const def = defOf(unwrap(cur));
    let next: z.ZodType | undefined;
    let step: Segment | undefined;
    if (def.type === 'object' || def.type === 'union') {
      const shapes = def.type === 'object' ? [def.shape ?? {}] : unionShapes(def.options ?? [], rawCur);
      const keys = [...new Set(shapes.flatMap((s) => Object.keys(s)))];
      const key = match.key(seg, keys);
      if (key === undefined) return { ok: false, path, unknown: seg, known: keys };
      next = shapes.find((s) => s[key] !== undefined)?.[key];
      step = key;
    } else if (def.type === 'record') {
      step = match.recordKey(seg, isRecord(rawCur) ? Object.keys(rawCur) : []);
      next = def.valueType;
    } else if (def.type === 'array') {
      if (!/^(0|[1-9][0-9]{0,5})$/.test(seg)) return { ok: false, path, unknown: seg, known: ['<index>'] };
      step = Number.parseInt(seg, 10);
      next = def.element;
    }
    if (next === undefined || step === undefined) return { ok: false, path, unknown: seg, known: [] };
    path.push(step);
    cur = next;
    rawCur = isRecord(rawCur) || Array.isArray(rawCur) ? (rawCur as Record<Segment, unknown>)[step] : undefined;
  }
  return { ok: true, path, value: kindOf(cur), node: cur, rawNode: rawCur };
}

/** Object keys the schema allows at `path` (for "did you mean" hints); [] if not an object. */
export function keysAt(schema: z.ZodType, path: readonly Segment[], raw: unknown): readonly string[] {
  const exact: SegmentMatcher = { key: (s, keys) => (keys.includes(s) ? s : undefined), recordKey: (s) => s };
  const walked = walkSchema(schema, path.map(String), raw, exact);
  if (!walked.ok) return [];
  const def = defOf(unwrap(walked.node));
  if (def.type === 'object') return Object.keys(def.shape ?? {});
  if (def.type === 'union') return [...new Set(unionShapes(def.options ?? [], walked.rawNode).flatMap((s) => Object.keys(s)))];
  return [];
}
