import type { Server } from 'node:http';

/** Starts a plain Node HTTP server; a port that cannot be bound rejects instead of crashing. */
export function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
