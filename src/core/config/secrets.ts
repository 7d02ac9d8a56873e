/**
 * Secrets are referenced by the config, never written in it: an environment variable
 * name (`apiKeyEnv`) or a file path (`apiSecretFile`). A secret file must be readable by
 * its owner only (mode 0600 or 0400): anything looser is refused, naming the file, so a
 * world-readable key never gets used. Errors name the variable or file, never the value.
 */
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from './errors.js';
import type { Config, VenueConfig } from './schema.js';

export interface SecretRef {
  env?: string | undefined;
  file?: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

function fail(key: string, source: string, message: string): never {
  throw new ConfigError([{ key, source, message }]);
}

/**
 * The secret `ref` points to. `key` names the config key for errors
 * (e.g. `venues.binance.apiSecretFile`).
 */
export function resolveSecret(ref: SecretRef, key: string, env: Env = process.env): string {
  if (ref.env !== undefined && ref.file !== undefined) fail(key, 'config', 'give an environment variable or a file, not both');
  if (ref.env !== undefined) {
    const value = env[ref.env];
    if (value === undefined || value === '') fail(key, `env ${ref.env}`, `secret variable ${ref.env} is not set`);
    return value;
  }
  if (ref.file === undefined) fail(key, 'config', 'no secret reference given');
  const file = ref.file;
  let mode: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) fail(key, file, `secret file ${file} is not a regular file`);
    mode = st.mode & 0o777;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    fail(key, file, `secret file ${file} cannot be read: ${code === 'ENOENT' ? 'no such file' : (code ?? 'error')}`);
  }
  if ((mode & 0o077) !== 0) {
    fail(key, file, `secret file ${file} has mode 0${mode.toString(8)}; refusing it: it must be readable by its owner only (chmod 600 ${file})`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    fail(key, file, `secret file ${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '') fail(key, file, `secret file ${file} is empty`);
  return secret;
}

export interface VenueCredentials {
  apiKey: string;
  apiSecret: string;
}

/** A venue's API key and secret, or null when it references none (market data only). */
export function resolveVenueCredentials(name: string, venue: VenueConfig, env: Env = process.env): VenueCredentials | null {
  const hasKey = venue.apiKeyEnv !== undefined || venue.apiKeyFile !== undefined;
  const hasSecret = venue.apiSecretEnv !== undefined || venue.apiSecretFile !== undefined;
  if (!hasKey && !hasSecret) return null;
  const base = `venues.${name}`;
  if (!hasKey) fail(`${base}.apiKeyEnv`, 'config', 'an API secret is referenced but no API key (apiKeyEnv or apiKeyFile)');
  if (!hasSecret) fail(`${base}.apiSecretEnv`, 'config', 'an API key is referenced but no API secret (apiSecretEnv or apiSecretFile)');
  return {
    apiKey: resolveSecret({ env: venue.apiKeyEnv, file: venue.apiKeyFile }, `${base}.${venue.apiKeyEnv !== undefined ? 'apiKeyEnv' : 'apiKeyFile'}`, env),
    apiSecret: resolveSecret(
      { env: venue.apiSecretEnv, file: venue.apiSecretFile },
      `${base}.${venue.apiSecretEnv !== undefined ? 'apiSecretEnv' : 'apiSecretFile'}`,
      env,
    ),
  };
}

/** The gateway's API token, or null when none is configured. */
export function resolveGatewayToken(gateway: Config['gateway'], env: Env = process.env): string | null {
  if (gateway.tokenEnv === undefined && gateway.tokenFile === undefined) return null;
  const key = gateway.tokenEnv !== undefined ? 'gateway.tokenEnv' : 'gateway.tokenFile';
  return resolveSecret({ env: gateway.tokenEnv, file: gateway.tokenFile }, key, env);
}
