import http from 'node:http';
import https from 'node:https';
import { checkUrlShape, guardedLookup } from './url-guard';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** At most `maxBytes` of the body, as text. */
  body: string;
}

/**
 * POSTs with a whole-request timeout and a cap on the body read, connecting only to addresses the SSRF guard
 * allows (the lookup runs at connect time, so a DNS change since the channel was saved is caught). Redirects are
 * not followed. Rejects on network errors, timeouts and refused addresses.
 */
export function httpPost(
  rawUrl: string,
  options: {
    headers: Record<string, string>;
    body: string;
    timeoutMs: number;
    maxBytes: number;
    allowPrivate: boolean;
  },
): Promise<HttpAnswer> {
  const url = checkUrlShape(rawUrl, options.allowPrivate);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...options.headers,
          'content-length': Buffer.byteLength(options.body),
          'user-agent': 'SubTracker',
        },
        lookup: guardedLookup(options.allowPrivate),
        timeout: options.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size >= options.maxBytes) return;
          chunks.push(chunk.subarray(0, options.maxBytes - size));
          size += chunk.length;
          if (size >= options.maxBytes) res.destroy();
        });
        const finish = () => {
          clearTimeout(deadline);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      },
    );
    // The socket timeout covers idleness; this covers a peer that trickles bytes.
    const deadline = setTimeout(
      () => req.destroy(new Error(`timed out after ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${options.timeoutMs} ms`)));
    req.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    req.end(options.body);
  });
}
