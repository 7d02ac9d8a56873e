/**
 * Every configuration failure is a ConfigError (code VELOZ_CONFIG) whose message names
 * the key path and where the value came from: the file (with line and column for TOML
 * syntax), the environment variable, or the command-line flag. Messages never contain
 * a configured value, so a secret pasted in the wrong place is not echoed to logs.
 */
export interface ConfigIssue {
  /** Dotted key path, e.g. `threads.book.cpus` or `strategies[0].name`; '' for the whole document. */
  key: string;
  /** Where it came from: a file path (`file:line:col` for syntax), `env VELOZ_…`, `flag --set …`, `defaults`. */
  source: string;
  message: string;
  /** For TOML syntax errors: 1-based position in the file. */
  line?: number;
  column?: number;
}

export class ConfigError extends Error {
  readonly code = 'VELOZ_CONFIG';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(formatIssues(issues));
    this.name = 'ConfigError';
    this.issues = issues;
  }

  /** The first issue's key path. */
  get key(): string {
    return this.issues[0]?.key ?? '';
  }

  /** The first issue's source. */
  get source(): string {
    return this.issues[0]?.source ?? '';
  }
}

function formatIssue(i: ConfigIssue): string {
  return i.key === '' ? `${i.source}: ${i.message}` : `${i.source}: ${i.key}: ${i.message}`;
}

function formatIssues(issues: readonly ConfigIssue[]): string {
  if (issues.length === 1) return `invalid config: ${formatIssue(issues[0] as ConfigIssue)}`;
  return `invalid config (${issues.length} problems):\n` + issues.map((i) => `  - ${formatIssue(i)}`).join('\n');
}

export function configError(key: string, source: string, message: string): ConfigError {
  return new ConfigError([{ key, source, message }]);
}

/** `strategies[0].name` from ['strategies', 0, 'name']. */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}
