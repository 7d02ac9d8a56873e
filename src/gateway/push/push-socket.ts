/**
 * The uWS behaviour of /ws: token check at upgrade (Authorization header, or `?token=`
 * for browsers, which cannot set headers on a WebSocket), then JSON control messages
 * handed to the hub. uWS maxBackpressure is the per-client send limit, so uWS itself
 * refuses (DROPPED) a send to a client over it; closeOnBackpressureLimit stays off
 * because the hub decides, with the drop budget, when a slow client goes.
 */
import type { HttpRequest, HttpResponse, us_socket_context_t, WebSocketBehavior } from '@btc-vision/uwebsockets.js';
import type { VelozLogger } from '../../core/log/index.js';
import type { GatewayMetrics } from '../gateway-metrics.js';
import type { BearerAuth } from '../http/auth.js';
import { HttpError, errorBody, statusLine } from '../http/errors.js';
import type { PushClient } from './push-client.js';
import type { PushHub } from './push-hub.js';
import { PushProtocolError, errorFrame, parseClientOp, replyFrame } from './push-protocol.js';

export interface PushSocketOptions {
  hub: PushHub;
  auth: BearerAuth;
  metrics: GatewayMetrics;
  log: VelozLogger;
  sendLimitBytes: number;
  /** Close after this many bad messages from one client. Default 20. */
  maxProtocolErrors?: number;
  /** Seconds without traffic before uWS pings / closes. Default 60. */
  idleTimeoutS?: number;
}

interface UserData {
  remote: string;
  client: PushClient | null;
}

export function pushBehavior(o: PushSocketOptions): WebSocketBehavior<UserData> {
  const maxErrors = o.maxProtocolErrors ?? 20;
  return {
    compression: 0,
    maxPayloadLength: 16 * 1024,
    maxBackpressure: o.sendLimitBytes,
    closeOnBackpressureLimit: false,
    idleTimeout: o.idleTimeoutS ?? 60,
    sendPingsAutomatically: true,
    upgrade(res: HttpResponse, req: HttpRequest, context: us_socket_context_t) {
      const header = req.getHeader('authorization');
      const queryToken = req.getQuery('token');
      try {
        if (header === '' && queryToken !== undefined && queryToken !== '') {
          if (!o.auth.matches(queryToken)) throw new HttpError(401, 'UNAUTHORIZED', 'invalid token');
        } else {
          o.auth.check(header);
        }
      } catch (err) {
        const e = err as HttpError;
        o.metrics.request('ws', e.status);
        res.cork(() => {
          res.writeStatus(statusLine(e.status)).writeHeader('Content-Type', 'application/json; charset=utf-8');
          res.end(errorBody(e.code, e.message), true);
        });
        return;
      }
      o.metrics.request('ws', 200);
      const data: UserData = { remote: Buffer.from(res.getRemoteAddressAsText()).toString(), client: null };
      res.upgrade(
        data,
        req.getHeader('sec-websocket-key'),
        req.getHeader('sec-websocket-protocol'),
        req.getHeader('sec-websocket-extensions'),
        context,
      );
    },
    open(ws) {
      const data = ws.getUserData();
      data.client = o.hub.attach(ws, data.remote);
    },
    message(ws, message, isBinary) {
      const c = ws.getUserData().client;
      if (c === null || c.closed) return;
      try {
        if (isBinary) throw new PushProtocolError('BAD_REQUEST', 'send JSON text frames');
        const op = parseClientOp(Buffer.from(message).toString('utf8'));
        if (op.op === 'subscribe') o.hub.subscribe(c, op.fields, op.id);
        else if (op.op === 'unsubscribe') o.hub.unsubscribe(c, op.sub, op.fields, op.id);
        else o.hub.sendControl(c, replyFrame('pong', op.id));
      } catch (caught) {
        let err = caught;
        if (!(err instanceof PushProtocolError)) {
          o.log.error({ client: c.id, err }, 'push message handling failed');
          err = new PushProtocolError('INTERNAL', 'internal error');
        }
        c.protocolErrors++;
        o.metrics.pushProtocolErrors.inc();
        o.hub.sendControl(c, errorFrame(err as PushProtocolError));
        if (c.protocolErrors >= maxErrors) {
          o.log.warn({ client: c.id, remoteAddress: c.remoteAddress }, 'push client sent too many bad messages: disconnecting');
          o.hub.disconnect(c, 'protocol');
        }
      }
    },
    drain(ws) {
      const c = ws.getUserData().client;
      if (c !== null) o.hub.drained(c);
    },
    close(ws) {
      const data = ws.getUserData();
      if (data.client !== null) o.hub.detach(data.client);
      data.client = null;
    },
  };
}
