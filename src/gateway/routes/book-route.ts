/**
 * GET /api/v1/books/:venue/:symbol?depth=N — the top N levels of a shared book, read
 * consistently (seqlock) from shared memory on the io thread.
 */
import { BookLevels } from '../../book/book-levels.js';
import type { BookDirectory } from '../books/book-directory.js';
import { bookFields } from '../books/book-json.js';
import { HttpError } from '../http/errors.js';
import { GatewayResponse, type GatewayRequest } from '../http/request.js';
import type { RouteTable } from '../http/route-table.js';

export const DEFAULT_REST_DEPTH = 20;
export const MAX_REST_DEPTH = 1000;

export function registerBookRoute(routes: RouteTable, books: BookDirectory): void {
  routes.register('GET', '/api/v1/books/:venue/:symbol', (req: GatewayRequest) => {
    const venue = req.params['venue']!;
    const symbol = req.params['symbol']!.toUpperCase();
    const depthText = req.query.get('depth');
    let depth = DEFAULT_REST_DEPTH;
    if (depthText !== null) {
      if (!/^[0-9]{1,4}$/.test(depthText) || Number(depthText) < 1 || Number(depthText) > MAX_REST_DEPTH) {
        throw new HttpError(400, 'BAD_REQUEST', `depth must be an integer 1..${MAX_REST_DEPTH}`);
      }
      depth = Number(depthText);
    }
    const book = books.lookup(venue, symbol);
    if (book === undefined) throw new HttpError(404, 'UNKNOWN_BOOK', `no book for ${venue}:${symbol}`);
    const levels = new BookLevels(depth);
    if (!book.reader.readTop(depth, levels)) {
      throw new HttpError(503, 'BOOK_BUSY', `book ${venue}:${symbol} is being rewritten continuously; retry`, { headers: { 'Retry-After': '1' } });
    }
    return new GatewayResponse(200, `{${bookFields(book, levels)},"depth":${depth}}`, { 'Content-Type': 'application/json; charset=utf-8' });
  });
}
