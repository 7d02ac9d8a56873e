/**
 * loadConfig: built-in defaults < $STATE_DIRECTORY (engine.stateDir only) < TOML file <
 * environment overrides < command-line flags, then one validation of the result.
 * Anything wrong — syntax, unknown key, wrong type, bad override — is a ConfigError
 * naming the key and where it came from, all problems at once.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { ConfigError, keyPath, type ConfigIssue } from './errors.js';
import { envMatcher, envOverrideRequests, exactMatcher, parseConfigFlags, type OverrideRequest } from './overrides.js';
import { ConfigInputSchema, ConfigSchema, type Config } from './schema.js';
import { keysAt, walkSchema, type Segment } from './schema-walk.js';
import { parseOverrideValue } from './value-parse.js';

export interface LoadConfigOptions {
  /** TOML file; `--config` in argv wins, then this, then $VELOZ_CONFIG. Absent = defaults only. */
  file?: string;
  /** Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Config flags only (see overrides.ts); split them from other arguments with parseConfigFlags. */
  argv?: readonly string[];
}

type Raw = Record<string, unknown>;

function isTable(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads and parses the TOML file; syntax errors name file, line and column. */
function readConfigFile(file: string): Raw {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    throw new ConfigError([{ key: '', source: file, message: `cannot read config file: ${why}` }]);
  }
  try {
    return parseToml(text) as Raw;
  } catch (err) {
    if (err instanceof TomlError) {
      // Only the first line: the rest is smol-toml's excerpt of the file, which may
      // hold a secret someone pasted in.
      const reason = err.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
      throw new ConfigError([
        { key: '', source: `${file}:${err.line}:${err.column}`, message: `TOML syntax error: ${reason}`, line: err.line, column: err.column },
      ]);
    }
    throw err;
  }
}

function closest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDist = 3;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestDist) {
      best = o;
      bestDist = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

const SECRET_LIKE = /(secret|token|password|passphrase|apikey|api_key|privatekey)$/i;

const screaming = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/** `style` says how the key was written: as a config key, or as an env var segment. */
function unknownKeyMessage(key: string, known: readonly string[], style: 'key' | 'env'): string {
  let msg = 'unknown key';
  if (SECRET_LIKE.test(key.replace(/_/g, ''))) {
    msg +=
      style === 'key'
        ? `; secrets are never written in the config: reference one with ${key}Env or ${key}File`
        : `; secrets are never set through the config: reference one with ${key}_ENV or ${key}_FILE`;
  }
  const near = closest(style === 'key' ? key : key.replace(/_/g, ''), known);
  if (near !== undefined) msg += `; did you mean ${style === 'key' ? near : screaming(near)}?`;
  return msg;
}

/** Who set the value at `path`: the nearest override at or above it, else the file. */
class Provenance {
  private readonly owners = new Map<string, string>();
  constructor(private readonly base: string) {}

  claim(path: readonly Segment[], source: string): void {
    this.owners.set(keyPath(path), source);
  }

  sourceOf(path: readonly PropertyKey[]): string {
    for (let n = path.length; n >= 0; n--) {
      const owner = this.owners.get(keyPath(path.slice(0, n)));
      if (owner !== undefined) return owner;
    }
    return this.base;
  }
}

function applyOverride(raw: Raw, req: OverrideRequest, prov: Provenance, issues: ConfigIssue[]): void {
  const walked = walkSchema(ConfigInputSchema, req.segments, raw, req.matcher);
  if (!walked.ok) {
    const known = walked.known.filter((k) => k !== '<index>');
    const style = req.matcher === envMatcher ? 'env' : 'key';
    const message = walked.known.includes('<index>') ? 'expected an array index' : unknownKeyMessage(walked.unknown, known, style);
    issues.push({ key: keyPath([...walked.path, walked.unknown]), source: req.source, message });
    return;
  }
  const key = keyPath(walked.path);
  const parsed = parseOverrideValue(req.text, walked.value);
  if (!parsed.ok) {
    issues.push({ key, source: req.source, message: parsed.message });
    return;
  }
  let node: Raw | unknown[] = raw;
  for (let i = 0; i < walked.path.length - 1; i++) {
    const seg = walked.path[i] as Segment;
    const nextIsIndex = typeof walked.path[i + 1] === 'number';
    let child = (node as Record<Segment, unknown>)[seg];
    if (child === undefined) {
      child = nextIsIndex ? [] : {};
      (node as Record<Segment, unknown>)[seg] = child;
      prov.claim(walked.path.slice(0, i + 1), req.source);
    } else if (nextIsIndex ? !Array.isArray(child) : !isTable(child)) {
      issues.push({ key, source: req.source, message: `cannot be set: ${keyPath(walked.path.slice(0, i + 1))} is not a ${nextIsIndex ? 'list' : 'table'}` });
      return;
    }
    node = child as Raw | unknown[];
  }
  (node as Record<Segment, unknown>)[walked.path[walked.path.length - 1] as Segment] = parsed.value;
  prov.claim(walked.path, req.source);
}

function issuesFromZod(error: z.ZodError, raw: Raw, prov: Provenance): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = keysAt(ConfigInputSchema, issue.path as Segment[], raw);
      for (const k of issue.keys) {
        const path = [...issue.path, k];
        out.push({ key: keyPath(path), source: prov.sourceOf(path), message: unknownKeyMessage(k, known, 'key') });
      }
      continue;
    }
    let message = issue.message.replace(/^Invalid input: /, '');
    if (issue.code === 'invalid_type') {
      message = /received undefined$/.test(message) ? `is required (${message.replace(/, received undefined$/, '')})` : message.replace('received', 'got');
      if (issue.expected === 'string' && /got number$/.test(message) && issue.path[0] === 'risk') {
        message += ' (write limits as quoted decimal strings, e.g. "0.5")';
      }
    }
    out.push({ key: keyPath(issue.path), source: prov.sourceOf(issue.path), message });
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Loads, merges and validates the config; throws ConfigError. The result is frozen. */
export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  const flags = parseConfigFlags(opts.argv ?? []);
  const issues: ConfigIssue[] = [...flags.issues];
  for (const arg of flags.rest) issues.push({ key: '', source: `flag ${arg}`, message: 'is not a config flag' });

  const fileArg = flags.file ?? opts.file ?? env['VELOZ_CONFIG'];
  const file = fileArg !== undefined && fileArg !== '' ? resolve(fileArg) : undefined;
  const raw: Raw = file !== undefined ? readConfigFile(file) : {};
  const prov = new Provenance(file ?? 'defaults');

  for (const req of envOverrideRequests(env)) applyOverride(raw, req, prov, issues);
  for (const req of flags.requests) applyOverride(raw, req, prov, issues);
  if (issues.length > 0) throw new ConfigError(issues);

  // systemd's StateDirectory= hands the path over in $STATE_DIRECTORY (colon-separated
  // when several are declared: the first is ours). Anything explicit wins.
  const stateDirectory = env['STATE_DIRECTORY']?.split(':')[0];
  const engine = raw['engine'];
  if (stateDirectory && (engine === undefined || (isTable(engine) && engine['stateDir'] === undefined))) {
    const req = { segments: ['engine', 'stateDir'], text: stateDirectory, source: 'env STATE_DIRECTORY', matcher: exactMatcher };
    applyOverride(raw, req, prov, issues);
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const result = ConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(issuesFromZod(result.error, raw, prov));
  return deepFreeze(result.data);
}
