import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A test server listening on loopback: its URL, and the way to end it. */
export interface LoopbackServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts `server` on a free loopback port. `close` runs `beforeClose` (to drop what the server
 * holds open on purpose: held responses, pending timers), ends every connection and resolves
 * once the server has closed.
 */
export async function listenOnLoopback(server: Server, beforeClose: () => void = () => {}): Promise<LoopbackServer> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        beforeClose();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
