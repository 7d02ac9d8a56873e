/**
 * Turns override text (environment variables, --set flags) into a value of the type
 * the schema expects there. Arrays and tables use TOML inline syntax (`[2, 3]`,
 * `{ a = 1 }`); a plain comma list is also accepted for arrays. Error messages describe
 * the expected form and never repeat the text, which may be a misplaced secret.
 */
import { parse as parseToml } from 'smol-toml';
import type { ValueKind } from './schema-walk.js';

export type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

function tomlValue(text: string): Parsed {
  if (/[\r\n]/.test(text)) return { ok: false, message: 'must be on one line' };
  try {
    return { ok: true, value: parseToml(`v = ${text}`)['v'] };
  } catch {
    return { ok: false, message: 'is not a valid TOML value' };
  }
}

export function parseOverrideValue(text: string, kind: ValueKind): Parsed {
  switch (kind.kind) {
    case 'string':
      return { ok: true, value: text };
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (TRUE.has(t)) return { ok: true, value: true };
      if (FALSE.has(t)) return { ok: true, value: false };
      return { ok: false, message: 'expected a boolean (true/false, 1/0, yes/no, on/off)' };
    }
    case 'number': {
      const t = text.trim();
      if (!/^[+-]?[0-9][0-9_]*(\.[0-9]+)?$/.test(t)) return { ok: false, message: 'expected a number' };
      return tomlValue(t);
    }
    case 'array': {
      const t = text.trim();
      if (t.startsWith('[')) {
        const parsed = tomlValue(t);
        if (!parsed.ok) return { ok: false, message: `expected an array like [1, 2] (${parsed.message})` };
        return parsed;
      }
      if (t === '') return { ok: true, value: [] };
      const out: unknown[] = [];
      for (const [i, item] of t.split(',').entries()) {
        const parsed = parseOverrideValue(item.trim(), kind.element);
        if (!parsed.ok) return { ok: false, message: `item ${i}: ${parsed.message}` };
        out.push(parsed.value);
      }
      return { ok: true, value: out };
    }
    case 'table': {
      const t = text.trim();
      if (!t.startsWith('{')) return { ok: false, message: 'expected a TOML inline table like { key = "value" }' };
      return tomlValue(t);
    }
    case 'any': {
      const parsed = tomlValue(text.trim());
      return parsed.ok ? parsed : { ok: true, value: text };
    }
  }
}
