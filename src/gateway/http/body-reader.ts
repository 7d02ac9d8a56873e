/**
 * Reads a request body from uWS with a size limit. uWS hands chunks that are only valid
 * during the callback (the ArrayBuffer is neutered on return), so each is copied. Over
 * the limit, reading stops and the caller answers 413 at once: a client cannot make the
 * gateway buffer more than `limit` bytes.
 */
import type { HttpResponse } from '@btc-vision/uwebsockets.js';
import { HttpError } from './errors.js';

export function readBody(res: HttpResponse, limit: number, declaredLength: number, done: (body: Buffer | HttpError) => void): void {
  if (declaredLength > limit) {
    done(new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body of ${declaredLength} bytes is over the ${limit}-byte limit`, { details: { limit } }));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  res.onData((chunk, isLast) => {
    if (finished) return;
    size += chunk.byteLength;
    if (size > limit) {
      finished = true;
      done(new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body is over the ${limit}-byte limit`, { details: { limit } }));
      return;
    }
    if (chunk.byteLength > 0) chunks.push(Buffer.from(new Uint8Array(chunk)));
    if (isLast) {
      finished = true;
      done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    }
  });
}

/** Parses a JSON body; a malformed one is a 400 naming the parser's complaint. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, 'BAD_JSON', `request body is not valid JSON: ${(err as Error).message}`);
  }
}
