/**
 * Tells the few frames the feed must act on (SUBSCRIBE replies, serverShutdown) from
 * market data by looking at the first bytes only: market data is never JSON-parsed here,
 * it goes to the decoder as received. Binance writes compact JSON with a fixed key order,
 * so the prefixes below are exact:
 *
 *   {"result":null,"id":7}                       reply          frame[2] = 'r'
 *   {"error":{"code":2,"msg":".."},"id":7}       error reply    frame[2..3] = 'er'
 *   {"id":7,"result":null}                       reply (other key order, accepted)
 *   {"e":"serverShutdown","E":..}                raw notice     frame[2..3] = 'e"'
 *   {"stream":"!serverShutdown","data":{..}}     combined notice frame[11] = '!'
 *   {"e":"depthUpdate",..} {"u":..} {"stream":"btcusdt@depth","data":..}   data
 *
 * Anything else — including malformed frames — is data: the decoder validates and counts.
 */
export const FRAME_DATA = 0;
export const FRAME_REPLY = 1;
export const FRAME_SHUTDOWN = 2;
export type FrameKind = typeof FRAME_DATA | typeof FRAME_REPLY | typeof FRAME_SHUTDOWN;

const BRACE = 0x7b;
const QUOTE = 0x22;
const CHAR_R = 0x72;
const CHAR_I = 0x69;
const CHAR_E = 0x65;
const CHAR_S = 0x73;
const BANG = 0x21;
/** Index of the first character of the stream name in `{"stream":"…`. */
const STREAM_NAME_AT = 11;

const RESULT = Buffer.from('{"result":');
const ERROR = Buffer.from('{"error":');
const ID = Buffer.from('{"id":');
const SHUTDOWN_RAW = Buffer.from('{"e":"serverShutdown"');
const SHUTDOWN_COMBINED = Buffer.from('{"stream":"!serverShutdown"');

/** A JS loop: for prefixes this short it beats Buffer.compare, whose native call costs ~100 ns. */
function startsWith(frame: Buffer, prefix: Buffer): boolean {
  const n = prefix.length;
  if (frame.length < n) return false;
  for (let i = 0; i < n; i++) if (frame[i] !== prefix[i]) return false;
  return true;
}

export function classifyFrame(frame: Buffer): FrameKind {
  if (frame.length < 8 || frame[0] !== BRACE || frame[1] !== QUOTE) return FRAME_DATA;
  switch (frame[2]) {
    case CHAR_S:
      return frame[STREAM_NAME_AT] === BANG && startsWith(frame, SHUTDOWN_COMBINED) ? FRAME_SHUTDOWN : FRAME_DATA;
    case CHAR_E:
      if (frame[3] === QUOTE) return startsWith(frame, SHUTDOWN_RAW) ? FRAME_SHUTDOWN : FRAME_DATA;
      return startsWith(frame, ERROR) ? FRAME_REPLY : FRAME_DATA;
    case CHAR_R:
      return startsWith(frame, RESULT) ? FRAME_REPLY : FRAME_DATA;
    case CHAR_I:
      return startsWith(frame, ID) ? FRAME_REPLY : FRAME_DATA;
    default:
      return FRAME_DATA;
  }
}

export interface ControlReply {
  /** The request id, or -1 when the reply has none (an error about an unparseable request). */
  id: number;
  /** Set when the venue refused the request. */
  error: { code: number; msg: string } | null;
}

/** Parses a frame classified FRAME_REPLY (tiny, so JSON.parse is fine); null when malformed. */
export function parseControlReply(frame: Buffer): ControlReply | null {
  let v: unknown;
  try {
    v = JSON.parse(frame.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as { id?: unknown; error?: unknown };
  const id = typeof o.id === 'number' && Number.isInteger(o.id) && o.id >= 0 ? o.id : -1;
  if (o.error === undefined) return id < 0 ? null : { id, error: null };
  const e = o.error as { code?: unknown; msg?: unknown } | null;
  const code = typeof e?.code === 'number' ? e.code : 0;
  const msg = typeof e?.msg === 'string' ? e.msg : 'unspecified error';
  return { id, error: { code, msg } };
}
