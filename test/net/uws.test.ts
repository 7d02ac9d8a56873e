import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uws } from '../../src/net/uws.js';

test('uWebSockets.js loads on this host and serves HTTP on loopback', async () => {
  const u = uws();
  const app = u.App();
  app.get('/ping', (res) => {
    res.writeHeader('content-type', 'text/plain').end('pong');
  });
  const token = await new Promise<unknown>((resolve) => app.listen('127.0.0.1', 0, resolve));
  assert.ok(token, 'listen failed');
  const port = u.us_socket_local_port(token as never);
  try {
    const res = await fetch(`http://127.0.0.1:${port}/ping`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'pong');
  } finally {
    u.us_listen_socket_close(token as never);
  }
});
