/**
 * A Binance API key and HMAC secret that cannot reach a log line: both live in private
 * fields (the secret as a crypto KeyObject, so not even a heap string of it stays
 * reachable from here), and every way an object gets printed — JSON.stringify (pino),
 * util.inspect (console), String() — shows `[redacted]`. Code that needs the key asks
 * for it (`apiKey()`), code that needs a signature asks for one (`sign()`).
 *
 * Sources: literal values (tests, embedding) or references resolved by the config's
 * secrets resolver: an environment variable or a file readable by its owner only (0600).
 */
import { createSecretKey, createHash, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { resolveSecret, type SecretRef } from '../../../core/config/secrets.js';
import { hmacSha256Hex } from './hmac.js';

export const REDACTED = '[redacted]';

/** Where the key and the secret come from: values, or env/file references. */
export interface CredentialSource {
  apiKey?: string;
  apiSecret?: string;
  apiKeyEnv?: string;
  apiKeyFile?: string;
  apiSecretEnv?: string;
  apiSecretFile?: string;
}

export class CredentialsError extends Error {
  readonly code = 'BINANCE_CREDENTIALS';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CredentialsError';
  }
}

/** Binance API keys are 64 alphanumerics; anything with other characters is refused. */
const API_KEY_RE = /^[A-Za-z0-9]{1,128}$/;

export class BinanceCredentials {
  readonly #apiKey: string;
  readonly #secret: KeyObject;
  /** A short non-reversible tag of the API key, safe to log (which key is in use). */
  readonly keyTag: string;

  private constructor(apiKey: string, secret: string) {
    if (!API_KEY_RE.test(apiKey)) throw new CredentialsError('API key must be 1..128 letters or digits');
    if (secret.length === 0) throw new CredentialsError('API secret is empty');
    this.#apiKey = apiKey;
    this.#secret = createSecretKey(Buffer.from(secret, 'utf8'));
    this.keyTag = createHash('sha256').update(apiKey).digest('hex').slice(0, 8);
  }

  static of(apiKey: string, apiSecret: string): BinanceCredentials {
    return new BinanceCredentials(apiKey, apiSecret);
  }

  /**
   * Resolves a source: each of key and secret from exactly one of value, env var or
   * 0600 file. Errors name the variable, file or field, never a value.
   */
  static resolve(src: CredentialSource, where = 'binance', env: Readonly<Record<string, string | undefined>> = process.env): BinanceCredentials {
    const pick = (name: 'apiKey' | 'apiSecret'): string => {
      const value = src[name];
      const ref: SecretRef = { env: src[`${name}Env`], file: src[`${name}File`] };
      const given = (value !== undefined ? 1 : 0) + (ref.env !== undefined ? 1 : 0) + (ref.file !== undefined ? 1 : 0);
      if (given !== 1) throw new CredentialsError(`${where}: give exactly one of ${name}, ${name}Env, ${name}File (got ${given})`);
      if (value !== undefined) return value;
      try {
        return resolveSecret(ref, `${where}.${ref.env !== undefined ? `${name}Env` : `${name}File`}`, env);
      } catch (err) {
        throw new CredentialsError(`${where}: ${(err as Error).message}`, { cause: err });
      }
    };
    return new BinanceCredentials(pick('apiKey'), pick('apiSecret'));
  }

  apiKey(): string {
    return this.#apiKey;
  }

  /** hex HMAC-SHA256 of `payload` with the secret. */
  sign(payload: string): string {
    return hmacSha256Hex(this.#secret, payload);
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `BinanceCredentials ${REDACTED} (key ${this.keyTag})`;
  }
}
