export * from './constants.js';
export { RECORDS, CONSTANT_GROUPS, type FieldType, type FieldSpec, type RecordSpec } from './definition.js';
export {
  RECORD_LAYOUTS,
  SCHEMA_HASH,
  SchemaDefinitionError,
  recordLayout,
  flatConstants,
  type RecordLayout,
  type FieldLayout,
} from './layout.js';
export * from './offsets.js';
export { EventBuffer } from './event-buffer.js';
export { readRecord, writeRecord, RecordValueError, type RecordValues, type FieldValue } from './record-io.js';
