/**
 * A listener on 127.0.0.1 that records every request and WebSocket upgrade: if isolation
 * ever leaks, it shows up here (reachable, so zero hits means blocked, not offline).
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
