import { randomBytes } from 'node:crypto';

const CLIENT_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Request ids: a per-process random prefix and a counter, or the client's own
 * x-request-id when it is a short token-safe string (so a caller can correlate).
 */
export class RequestIds {
  private readonly prefix = randomBytes(4).toString('hex');
  private n = 0;

  next(fromClient: string): string {
    if (fromClient !== '' && CLIENT_ID.test(fromClient)) return fromClient;
    return `${this.prefix}-${(++this.n).toString(36)}`;
  }
}
