/** JSON for replies: bigint (fixed-point mantissas, ids) becomes a decimal string, never a float. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
