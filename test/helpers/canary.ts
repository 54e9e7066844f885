/**
 * A listener on 127.0.0.1 that records every request, WebSocket upgrade and proxy CONNECT:
 * if isolation ever leaks, it shows up here (reachable, so zero hits means blocked, not
 * offline). Used as Chromium's proxy, it sees whatever leaves the browser, to any host.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Canary {
  /** host:port */
  address: string;
  hits: string[];
  close(): Promise<void>;
}

export async function startCanary(): Promise<Canary> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('canary');
  });
  server.on('upgrade', (req, socket) => {
    hits.push(`upgrade ${req.url}`);
    socket.destroy();
  });
  // As a proxy (tests point Chromium's --proxy-server here), https and WebSockets arrive as CONNECT.
  server.on('connect', (req, socket) => {
    hits.push(`CONNECT ${req.url}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
