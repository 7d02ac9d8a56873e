/**
 * What counts as a secret in a log line, and how it is masked. Two layers use this:
 * pino's compiled `redact` paths (fast, exact key paths at the depths listed) and the
 * sanitizer (sanitize.ts), which catches what paths cannot: secret keys at any depth or
 * spelling, and secrets embedded in text (URL query strings, URL passwords, header
 * lines, JSON bodies quoted in error messages).
 */

export const CENSOR = '[Redacted]';

/** Secret field names as written in code, venue APIs and HTTP headers. */
export const SECRET_KEYS = [
  'apiKey',
  'api_key',
  'apiSecret',
  'api_secret',
  'secret',
  'secretKey',
  'signature',
  'password',
  'passphrase',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'Authorization',
  'cookie',
  'privateKey',
  'listenKey',
  'X-MBX-APIKEY',
  'x-mbx-apikey',
  'OK-ACCESS-KEY',
  'OK-ACCESS-SIGN',
  'OK-ACCESS-PASSPHRASE',
] as const;

/** Depth of the generated pino redact paths (0 = top level). Deeper keys: the sanitizer. */
export const REDACT_DEPTH = 4;

function pathKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
}

/** pino `redact` paths: every secret key at the top level and under 1..REDACT_DEPTH wildcards. */
export function redactPaths(extra: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const key of [...SECRET_KEYS, ...extra]) {
    const k = pathKey(key);
    for (let depth = 0; depth <= REDACT_DEPTH; depth++) {
      const prefix = '*'.repeat(depth).split('').join('.');
      if (depth === 0) out.push(k);
      else out.push(k.startsWith('[') ? `${prefix}${k}` : `${prefix}.${k}`);
    }
  }
  return out;
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

const SECRET_NORMALIZED = new Set(SECRET_KEYS.map(normalize));
for (const k of ['apikey', 'apisecret', 'secretkey', 'passwd', 'pwd', 'sessiontoken', 'bearer', 'xapikey', 'clientsecret']) {
  SECRET_NORMALIZED.add(k);
}

/** Whether a field name names a secret, whatever its case or separators. */
export function isSecretKey(key: string): boolean {
  return SECRET_NORMALIZED.has(normalize(key));
}

const KEY_ALT =
  'api[-_]?key|api[-_]?secret|secret[-_]?key|secret|signature|sig|password|passwd|pwd|passphrase|' +
  'token|access[-_]?token|refresh[-_]?token|listen[-_]?key|x-mbx-apikey|authorization';

/** key=value in query strings, form bodies, DSNs and `k=v` prose. */
const QUERY_PAIR = new RegExp(`((?:^|[?&;,\\s"'(])(?:${KEY_ALT}))=([^&\\s#"',;)]+)`, 'gi');
/** scheme://user:password@host */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)@/gi;
/** "apiKey": "..." inside quoted JSON */
const JSON_PAIR = new RegExp(`("(?:${KEY_ALT})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
/** Header lines: `X-MBX-APIKEY: abc`, `Authorization: Bearer abc` */
const HEADER_LINE = /\b(x-mbx-apikey|authorization|ok-access-key|ok-access-sign|ok-access-passphrase)(\s*:\s*)(?:(bearer|basic)\s+)?[^\s,;"']+/gi;

const MAYBE_SECRET = /[=:@]/;

/** Masks every secret embedded in free text; returns the input itself when clean. */
export function maskSecrets(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  return text
    .replace(URL_PASSWORD, `$1${CENSOR}@`)
    .replace(QUERY_PAIR, `$1=${CENSOR}`)
    .replace(JSON_PAIR, `$1"${CENSOR}"`)
    .replace(HEADER_LINE, (_m, name: string, sep: string, scheme?: string) => `${name}${sep}${scheme ? scheme + ' ' : ''}${CENSOR}`);
}
