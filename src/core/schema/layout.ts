/**
 * Turns the record definitions into byte layouts. This is the descriptor that owns
 * every offset: nothing else in TS computes one, and the generated C++ header asserts
 * the same numbers with static_assert.
 *
 * Rule: fields are placed in the order listed, each at the next offset aligned to its
 * own size (ascii: 1), exactly as a C++ compiler lays out a standard-layout struct on
 * every 64-bit target veloz supports. The record size is its slot size.
 */
import { CONSTANT_GROUPS, RECORDS, type FieldSpec, type FieldType, type RecordSpec } from './definition.js';

export interface FieldLayout {
  readonly name: string;
  readonly type: FieldType;
  readonly offset: number;
  readonly size: number;
}

export interface RecordLayout {
  readonly name: string;
  /** Slot size in bytes (64 or 128). */
  readonly size: number;
  /** Bytes actually used by fields, including alignment holes (≤ size). */
  readonly usedBytes: number;
  readonly types: readonly string[];
  readonly fields: readonly FieldLayout[];
}

export class SchemaDefinitionError extends Error {
  readonly code = 'SCHEMA_DEFINITION';
  constructor(message: string) {
    super(message);
    this.name = 'SchemaDefinitionError';
  }
}

const WIDTH: Record<Exclude<FieldType, 'ascii'>, number> = { u8: 1, u16: 2, u32: 4, i32: 4, u64: 8, i64: 8 };

export function fieldSize(field: FieldSpec): number {
  if (field.type === 'ascii') {
    if (!Number.isInteger(field.length) || field.length! <= 0) {
      throw new SchemaDefinitionError(`ascii field ${field.name} needs a positive length, got ${field.length}`);
    }
    return field.length!;
  }
  return WIDTH[field.type];
}

export function fieldAlign(field: FieldSpec): number {
  return field.type === 'ascii' ? 1 : WIDTH[field.type];
}

/** Computes and checks one record's layout; throws SchemaDefinitionError naming the field. */
export function layoutRecord(spec: RecordSpec): RecordLayout {
  const seen = new Set<string>();
  const fields: FieldLayout[] = [];
  let at = 0;
  for (const f of spec.fields) {
    if (seen.has(f.name)) throw new SchemaDefinitionError(`${spec.name}.${f.name} is defined twice`);
    seen.add(f.name);
    const align = fieldAlign(f);
    at = Math.ceil(at / align) * align;
    const size = fieldSize(f);
    fields.push({ name: f.name, type: f.type, offset: at, size });
    at += size;
  }
  if (at > spec.slotBytes) {
    throw new SchemaDefinitionError(`${spec.name} needs ${at} bytes, its slot has ${spec.slotBytes}`);
  }
  if (fields[0]?.name !== 'type' || fields[0].type !== 'u8') {
    throw new SchemaDefinitionError(`${spec.name} must start with the u8 field "type"`);
  }
  return { name: spec.name, size: spec.slotBytes, usedBytes: at, types: spec.types, fields };
}

export const RECORD_LAYOUTS: readonly RecordLayout[] = RECORDS.map(layoutRecord);

type FieldNames<R> = R extends RecordSpec<infer F> ? F[number]['name'] : never;
/** Byte offset of every field of record R, relative to the start of its slot. */
export type Offsets<R> = { readonly [K in FieldNames<R>]: number };

export function offsetsOf<R extends RecordSpec>(spec: R): Offsets<R> {
  const layout = layoutRecord(spec);
  const out: Record<string, number> = {};
  for (const f of layout.fields) out[f.name] = f.offset;
  return Object.freeze(out) as Offsets<R>;
}

export function recordLayout(name: string): RecordLayout {
  const r = RECORD_LAYOUTS.find((x) => x.name === name);
  if (!r) throw new SchemaDefinitionError(`no record named ${JSON.stringify(name)}`);
  return r;
}

/** Every constant as "Group.NAME" → value, the shape the native layout reports. */
export function flatConstants(): Map<string, number | bigint> {
  const out = new Map<string, number | bigint>();
  for (const g of CONSTANT_GROUPS) {
    for (const [k, v] of Object.entries(g.values)) out.set(`${g.name}.${k}`, v);
  }
  return out;
}

/**
 * FNV-1a (32-bit) over a canonical text of every record layout and constant: a cheap
 * tag a ring header or a recorded file can carry to refuse data of another schema.
 */
function computeSchemaHash(): number {
  const parts: string[] = [];
  for (const r of RECORD_LAYOUTS) {
    parts.push(`${r.name}/${r.size}:` + r.fields.map((f) => `${f.name}:${f.type}:${f.offset}:${f.size}`).join(','));
  }
  for (const [k, v] of flatConstants()) parts.push(`${k}=${v}`);
  const text = parts.join(';');
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export const SCHEMA_HASH = computeSchemaHash();
