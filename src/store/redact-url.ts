/**
 * A database URL as it may appear in logs and `veloz db status`: the password (in the
 * authority or as a `password`/`sslpassword` query parameter) is removed, everything
 * else is kept so the operator can see which server is in use.
 */
const SECRET_PARAMS = new Set(['password', 'sslpassword', 'sslkey']);

export function redactDatabaseUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not parseable: show only the scheme, never the rest (it may hold the password).
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '';
    return `${scheme}//<unparseable url>`;
  }
  u.password = '';
  for (const key of [...u.searchParams.keys()]) {
    if (SECRET_PARAMS.has(key.toLowerCase())) u.searchParams.delete(key);
  }
  return u.toString();
}
