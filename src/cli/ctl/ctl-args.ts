/**
 * Command line of `veloz ctl`: global options, command words and arguments.
 *
 *   veloz ctl [--socket P | --state-dir D | --config F] [--json] [--timeout MS] <word>… [args]
 *
 * Words before the first argument name the command (`strategy list` → strategy.list;
 * `book.snapshot` works too). Arguments are `--key value`, `--key=value` or
 * `key=value`; kebab-case keys become camelCase (--max-qty → maxQty) and dotted keys
 * build objects (params.spread=0.5 → {params: {spread: "0.5"}}). Values are typed by the
 * command's JSON Schema when the engine serves one (`commands`); otherwise they stay
 * strings, and a bare `--flag` is true.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CtlGlobals {
  socket?: string;
  stateDir?: string;
  config?: string;
  json: boolean;
  help: boolean;
  timeoutMs: number;
}

export interface RawArg {
  /** Dotted camelCase path. */
  path: string[];
  /** null: given as a bare --flag. */
  value: string | null;
  /** As written, for messages. */
  written: string;
}

export interface CtlCommandLine {
  globals: CtlGlobals;
  words: string[];
  args: RawArg[];
}

const VALUE_OPTIONS: Record<string, 'socket' | 'stateDir' | 'config' | 'timeout'> = {
  '--socket': 'socket',
  '--state-dir': 'stateDir',
  '--config': 'config',
  '--timeout': 'timeout',
};

const camel = (s: string): string => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const KEY = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_][A-Za-z0-9_-]*)*$/;

function keyPath(key: string, written: string): string[] {
  if (!KEY.test(key)) throw new UsageError(`${JSON.stringify(written)} is not an argument (use --key value or key=value)`);
  return key.split('.').map(camel);
}

export function parseCtlArgv(argv: readonly string[]): CtlCommandLine {
  const globals: CtlGlobals = { json: false, help: false, timeoutMs: 10_000 };
  const words: string[] = [];
  const args: RawArg[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') {
      globals.json = true;
      continue;
    }
    if (a === '--help' || a === '-h') {
      globals.help = true;
      continue;
    }
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const opt = VALUE_OPTIONS[flag];
    if (opt !== undefined) {
      const value = flag !== a ? a.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
      if (opt === 'timeout') {
        if (!/^[1-9][0-9]{0,6}$/.test(value)) throw new UsageError(`--timeout must be a whole number of ms (1..9999999), got ${JSON.stringify(value)}`);
        globals.timeoutMs = Number.parseInt(value, 10);
      } else {
        globals[opt] = value;
      }
      continue;
    }
    if (a.startsWith('--')) {
      if (a === '--') throw new UsageError('"--" is not an argument');
      if (eq > 0) {
        args.push({ path: keyPath(a.slice(2, eq), a), value: a.slice(eq + 1), written: a });
        continue;
      }
      const next = argv[i + 1];
      const takesNext = next !== undefined && !next.startsWith('--');
      args.push({ path: keyPath(a.slice(2), a), value: takesNext ? next : null, written: a });
      if (takesNext) i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1 && !/^-[0-9]/.test(a)) throw new UsageError(`unknown option ${a}`);
    if (eq > 0) {
      args.push({ path: keyPath(a.slice(0, eq), a), value: a.slice(eq + 1), written: a });
      continue;
    }
    if (args.length > 0) throw new UsageError(`unexpected ${JSON.stringify(a)} after the arguments: command words come first, then --key value or key=value`);
    words.push(a);
  }
  return { globals, words, args };
}

/** `strategy list` / `strategy.list` → strategy.list. */
export function commandName(words: readonly string[]): string {
  return words.flatMap((w) => w.split('.')).filter((w) => w !== '').map(camel).join('.');
}

type JsonSchema = Record<string, unknown>;

function typesOf(schema: JsonSchema | undefined): string[] {
  if (schema === undefined) return [];
  const t = schema['type'];
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  const alts = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  if (Array.isArray(alts)) return alts.flatMap((s) => typesOf(s));
  if (Array.isArray(schema['enum'])) return ['string'];
  return [];
}

function propertySchema(schema: JsonSchema | undefined, key: string): JsonSchema | undefined | null {
  if (schema === undefined) return undefined;
  const props = schema['properties'] as Record<string, JsonSchema> | undefined;
  if (props !== undefined && props[key] !== undefined) return props[key];
  const extra = schema['additionalProperties'];
  if (extra === false) return null;
  if (typeof extra === 'object' && extra !== null) return extra as JsonSchema;
  return undefined;
}

function typedValue(raw: RawArg, schema: JsonSchema | undefined): unknown {
  const name = raw.path.join('.');
  const types = typesOf(schema);
  const v = raw.value;
  if (v === null) {
    if (types.length === 0 || types.includes('boolean')) return true;
    throw new UsageError(`--${name} needs a value`);
  }
  if (types.length === 0 || types.includes('string')) return v;
  if (types.includes('integer') && /^-?(0|[1-9][0-9]*)$/.test(v) && Number.isSafeInteger(Number.parseInt(v, 10))) return Number.parseInt(v, 10);
  if (types.includes('number') && /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(v)) return Number(v);
  if (types.includes('boolean')) {
    if (/^(true|yes|1)$/i.test(v)) return true;
    if (/^(false|no|0)$/i.test(v)) return false;
  }
  if (types.includes('array') || types.includes('object')) {
    if (/^[[{]/.test(v)) {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        throw new UsageError(`--${name}: ${JSON.stringify(v)} is not valid JSON`);
      }
    }
    if (types.includes('array')) {
      const items = schema?.['items'] as JsonSchema | undefined;
      return v.split(',').map((part, i) => typedValue({ path: [...raw.path, String(i)], value: part, written: raw.written }, items));
    }
  }
  throw new UsageError(`--${name} expects ${types.join(' or ')}, got ${JSON.stringify(v)}`);
}

/**
 * Builds the request args. With `schema` (the command's JSON Schema), unknown keys are
 * refused and values typed; without, values are strings.
 */
export function buildArgs(cmd: string, raws: readonly RawArg[], schema: JsonSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const raw of raws) {
    let node = out;
    let s: JsonSchema | undefined = schema;
    for (let i = 0; i < raw.path.length; i++) {
      const key = raw.path[i]!;
      const ps = propertySchema(s, key);
      if (ps === null) {
        const known = Object.keys((s?.['properties'] as object | undefined) ?? {});
        const where = raw.path.slice(0, i + 1).join('.');
        throw new UsageError(`${cmd} has no argument ${JSON.stringify(where)}${known.length > 0 ? ` (arguments: ${known.join(', ')})` : ' (it takes none)'}`);
      }
      if (i === raw.path.length - 1) {
        if (key in node) throw new UsageError(`argument ${raw.path.join('.')} is given twice`);
        node[key] = typedValue(raw, ps);
      } else {
        const child = node[key];
        if (child !== undefined && (typeof child !== 'object' || child === null || Array.isArray(child))) {
          throw new UsageError(`argument ${raw.path.slice(0, i + 1).join('.')} is given both as a value and as an object`);
        }
        node = (child as Record<string, unknown> | undefined) ?? (node[key] = {} as Record<string, unknown>);
        s = ps;
      }
    }
  }
  return out;
}

/** One line per argument of a command's JSON Schema, for `veloz ctl <cmd> --help`. */
export function describeArgs(schema: JsonSchema | undefined): string[] {
  const props = (schema?.['properties'] as Record<string, JsonSchema> | undefined) ?? {};
  const required = new Set((schema?.['required'] as string[] | undefined) ?? []);
  const lines: string[] = [];
  for (const [key, p] of Object.entries(props)) {
    const parts: string[] = [];
    const en = p['enum'] as unknown[] | undefined;
    parts.push(Array.isArray(en) ? en.map(String).join('|') : typesOf(p).join('|') || 'value');
    if (typeof p['minimum'] === 'number' || typeof p['maximum'] === 'number') parts.push(`${p['minimum'] ?? ''}..${p['maximum'] ?? ''}`);
    if (p['default'] !== undefined) parts.push(`default ${JSON.stringify(p['default'])}`);
    lines.push(`  --${key.padEnd(14)} ${parts.join(', ')}${required.has(key) ? ' (required)' : ''}`);
  }
  return lines;
}
