import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One local HTTP server standing in for every channel service (a webhook receiver, ntfy, Discord, Slack, the
 * Telegram Bot API): it records each request and answers 200 (JSON `{ id }`), unless told to answer otherwise
 * for a path prefix.
 */
export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface CannedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface FakeReceiver {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: ReceivedRequest[];
  /** Requests whose path starts with `prefix`. */
  to(prefix: string): ReceivedRequest[];
  /** The next `n` requests to `prefix` get `answer` (n = Infinity: all of them). */
  answer(prefix: string, answer: CannedAnswer, n?: number): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeReceiver(): Promise<FakeReceiver> {
  const requests: ReceivedRequest[] = [];
  let canned: { prefix: string; answer: CannedAnswer; left: number }[] = [];
  let served = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const rule = canned.find((c) => c.left > 0 && path.startsWith(c.prefix));
      if (rule) {
        rule.left -= 1;
        res.writeHead(rule.answer.status, { 'content-type': 'application/json', ...rule.answer.headers });
        res.end(rule.answer.body ?? JSON.stringify({ error: `status ${rule.answer.status}` }));
        return;
      }
      served += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `recv-${served}`, ok: true, result: { message_id: served } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    to: (prefix) => requests.filter((r) => r.path.startsWith(prefix)),
    answer(prefix, answer, n = Infinity) {
      canned.push({ prefix, answer, left: n });
    },
    reset() {
      requests.length = 0;
      canned = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
