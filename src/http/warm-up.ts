import type { Express } from 'express';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { loadOpenApiDocument } from './openapi';

/**
 * Sends one anonymous request to every documented GET, and to POST /subscriptions, on a private port before
 * the app takes traffic: the OpenAPI validator compiles its schemas and routes on first use, which otherwise
 * lands on the first real requests. Reads only: without a token every one stops at the contract or the auth
 * check, and a missing body stops POST /subscriptions at the contract.
 */
export async function warmUp(app: Express): Promise<void> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    const paths = Object.entries(loadOpenApiDocument().paths ?? {});
    const requests = paths
      .filter(([, item]) => item && 'get' in item)
      .map(([path]): [string, string] => ['GET', path.replace(/\{[^}]+\}/g, '1')]);
    requests.push(['POST', '/subscriptions']);
    for (const [method, path] of requests) {
      await fetch(`http://127.0.0.1:${port}${path}`, { method }).then(
        (res) => res.arrayBuffer(),
        () => undefined,
      );
    }
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
