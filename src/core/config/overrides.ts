/**
 * Override requests from the environment and the command line, before they are
 * matched against the schema.
 *
 * Environment: `VELOZ_<SECTION>__<KEY>[__<SUBKEY>…]`. A double underscore separates
 * levels; within a level, case, `_` and `-` are ignored when matching a key, so
 * `VELOZ_ENGINE__STATE_DIR` sets `engine.stateDir`, `VELOZ_THREADS__WAL_SHIPPER__CPUS`
 * sets `threads.walShipper.cpus`, `VELOZ_VENUES__BINANCE__SYMBOLS` sets
 * `venues.binance.symbols` and `VELOZ_STRATEGIES__0__MODE` sets `strategies[0].mode`.
 * Variables starting with VELOZ_ but without `__` (VELOZ_CONFIG, VELOZ_NATIVE_PATH) are
 * not overrides. `DATABASE_URL` sets `database.url`.
 *
 * Flags: `--set <dotted.path>=<value>` (exact key names, array items by index:
 * `--set strategies.0.mode=live`), `--state-dir <dir>`, `--gateway-port <n>`,
 * `--log-level <level>`, and `--config <file>`. `--flag=value` works as well.
 */
import type { ConfigIssue } from './errors.js';
import type { SegmentMatcher } from './schema-walk.js';

export interface OverrideRequest {
  segments: string[];
  text: string;
  /** `env VELOZ_…` or `flag --set …`: how errors name it. */
  source: string;
  matcher: SegmentMatcher;
}

export const ENV_PREFIX = 'VELOZ_';
export const ENV_LEVEL_SEPARATOR = '__';

const loose = (s: string) => s.toLowerCase().replace(/[_-]/g, '');

/** Environment segments: case, `_` and `-` do not matter. */
export const envMatcher: SegmentMatcher = {
  key: (seg, keys) => keys.find((k) => loose(k) === loose(seg)),
  recordKey: (seg, present) => present.find((k) => loose(k) === loose(seg)) ?? seg.toLowerCase(),
};

/** Flag segments: exact key names. */
export const exactMatcher: SegmentMatcher = {
  key: (seg, keys) => (keys.includes(seg) ? seg : undefined),
  recordKey: (seg) => seg,
};

export function envOverrideRequests(env: Readonly<Record<string, string | undefined>>): OverrideRequest[] {
  const out: OverrideRequest[] = [];
  for (const name of Object.keys(env).sort()) {
    const text = env[name];
    if (text === undefined) continue;
    if (name === 'DATABASE_URL') {
      out.push({ segments: ['database', 'url'], text, source: `env ${name}`, matcher: exactMatcher });
      continue;
    }
    if (!name.startsWith(ENV_PREFIX) || !name.includes(ENV_LEVEL_SEPARATOR)) continue;
    const segments = name.slice(ENV_PREFIX.length).split(ENV_LEVEL_SEPARATOR);
    out.push({ segments, text, source: `env ${name}`, matcher: envMatcher });
  }
  return out;
}

/** Single-purpose flags and the key each sets. */
export const FLAG_KEYS: Readonly<Record<string, readonly string[]>> = {
  '--state-dir': ['engine', 'stateDir'],
  '--gateway-port': ['gateway', 'port'],
  '--log-level': ['log', 'level'],
};

export interface ParsedConfigFlags {
  file: string | undefined;
  requests: OverrideRequest[];
  /** Arguments that are not config flags, in order. */
  rest: string[];
  issues: ConfigIssue[];
}

/** Picks the config flags out of `argv`; everything else is returned in `rest`. */
export function parseConfigFlags(argv: readonly string[]): ParsedConfigFlags {
  const out: ParsedConfigFlags = { file: undefined, requests: [], rest: [], issues: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const isConfigFlag = flag === '--config' || flag === '--set' || FLAG_KEYS[flag] !== undefined;
    if (!isConfigFlag) {
      out.rest.push(arg);
      continue;
    }
    let value: string | undefined;
    if (flag !== arg) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    if (value === undefined) {
      out.issues.push({ key: '', source: `flag ${flag}`, message: 'needs a value' });
      continue;
    }
    if (flag === '--config') {
      out.file = value;
    } else if (flag === '--set') {
      const at = value.indexOf('=');
      const path = at > 0 ? value.slice(0, at) : '';
      if (path === '' || path.split('.').some((s) => s === '')) {
        out.issues.push({ key: '', source: 'flag --set', message: 'expects <dotted.key>=<value>, e.g. --set threads.book.cpus=[2]' });
        continue;
      }
      out.requests.push({ segments: path.split('.'), text: value.slice(at + 1), source: `flag --set ${path}`, matcher: exactMatcher });
    } else {
      out.requests.push({ segments: [...(FLAG_KEYS[flag] as string[])], text: value, source: `flag ${flag}`, matcher: exactMatcher });
    }
  }
  return out;
}
