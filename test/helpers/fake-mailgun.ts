import http from 'node:http';
import type { AddressInfo } from 'node:net';
import crypto from 'node:crypto';

/**
 * A local stand-in for the Mailgun HTTP API that the real mailgun.js client talks to: it parses the
 * multipart body, checks Basic auth and records each message; it can be told to fail or hang.
 */

export interface FakeMailgunMessage {
  domain: string;
  from: string;
  /** Recipients, comma-separated when several `to` fields were sent. */
  to: string;
  subject: string;
  text: string;
  html: string;
  /** From the `h:<Name>` fields. */
  headers: Record<string, string>;
  /** From the `v:<name>` fields. */
  variables: Record<string, string>;
  /** From the `o:tag` fields. */
  tags: string[];
  id: string;
  receivedAt: Date;
}

export interface FailureOptions {
  status: number;
  /** Sent as the Retry-After header, as is (seconds or an HTTP-date). */
  retryAfter?: number | string;
  /** JSON body of the answer; defaults to `{ message }` with the status text. */
  body?: unknown;
}

export interface FakeMailgun {
  /** Base URL to hand to mailgun.js (`http://127.0.0.1:<port>`). */
  url: string;
  apiKey: string;
  /** Accepted messages, oldest first. */
  messages: FakeMailgunMessage[];
  /** Every request received, accepted or not. */
  readonly requests: number;
  failNext(n: number, options: FailureOptions): void;
  /** The next n requests are never answered (until `close()`). */
  hangNext(n: number): void;
  /**
   * From now on (after any queued failNext/hangNext), each request fails with probability `rate`, drawn from a
   * seeded RNG (repeatable runs), with one of `behaviours` picked at random; `flaky(0)` turns it off.
   */
  flaky(rate: number, options?: FlakyOptions): void;
  /** What the flaky mode did: counts per behaviour (`500`, `503`, `429`, `hang`, ...). */
  readonly flakyCounts: Record<string, number>;
  /** Resolves once `n` messages were accepted; rejects after `timeoutMs`. */
  waitForMessages(n: number, timeoutMs?: number): Promise<FakeMailgunMessage[]>;
  reset(): void;
  close(): Promise<void>;
}

type Behaviour = { kind: 'fail'; options: FailureOptions } | { kind: 'hang' };

export interface FlakyOptions {
  /** RNG seed (default 1). */
  seed?: number;
  /** Failures to choose from, uniformly (default: 500, 503, 429 with Retry-After: 1, and a hang). */
  behaviours?: (FailureOptions | 'hang')[];
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEFAULT_FLAKY: (FailureOptions | 'hang')[] = [
  { status: 500 },
  { status: 503 },
  { status: 429, retryAfter: 1 },
  'hang',
];

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeMailgun({ apiKey = 'fake-mailgun-key' } = {}): Promise<FakeMailgun> {
  const messages: FakeMailgunMessage[] = [];
  const queue: Behaviour[] = [];
  const waiters = new Set<() => void>();
  let requests = 0;
  let flakyRate = 0;
  let flakyBehaviours = DEFAULT_FLAKY;
  let random = seededRandom(1);
  const flakyCounts: Record<string, number> = {};
  const drawFlaky = (): Behaviour | undefined => {
    if (flakyRate <= 0 || random() >= flakyRate) return undefined;
    const pick = flakyBehaviours[Math.floor(random() * flakyBehaviours.length)];
    const label = pick === 'hang' ? 'hang' : String(pick.status);
    flakyCounts[label] = (flakyCounts[label] ?? 0) + 1;
    return pick === 'hang' ? { kind: 'hang' } : { kind: 'fail', options: pick };
  };
  const expectedAuth = `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}`;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests += 1;
    const body = await readBody(req);
    const next = queue.shift() ?? drawFlaky();
    if (next?.kind === 'hang') return;
    if (next?.kind === 'fail') return fail(res, next.options);

    const match = /^\/v3\/([^/]+)\/messages$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return json(res, 404, { message: 'Not found' });
    if (req.headers.authorization !== expectedAuth) return json(res, 401, { message: 'Forbidden' });
    let form: FormData;
    try {
      form = await parseForm(req.headers['content-type'], body);
    } catch {
      return json(res, 400, { message: 'Invalid multipart body' });
    }
    const id = `<${Date.now()}.${crypto.randomBytes(6).toString('hex')}@fake.mailgun>`;
    messages.push(toMessage(decodeURIComponent(match[1]), form, id));
    json(res, 200, { id, message: 'Queued. Thank you.' });
    for (const wake of [...waiters]) wake();
  };
  // A client that gives up mid-upload must not become an unhandled rejection.
  const server = http.createServer((req, res) => handle(req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    messages,
    get requests() {
      return requests;
    },
    failNext: (n, options) =>
      queue.push(...Array.from({ length: n }, () => ({ kind: 'fail' as const, options }))),
    hangNext: (n) => queue.push(...Array.from({ length: n }, () => ({ kind: 'hang' as const }))),
    flaky(rate, options = {}) {
      flakyRate = rate;
      flakyBehaviours = options.behaviours ?? DEFAULT_FLAKY;
      random = seededRandom(options.seed ?? 1);
    },
    flakyCounts,
    waitForMessages: (n, timeoutMs = 5_000) => waitFor(messages, waiters, n, timeoutMs),
    reset() {
      messages.length = 0;
      queue.length = 0;
      requests = 0;
      flakyRate = 0;
      for (const key of Object.keys(flakyCounts)) delete flakyCounts[key];
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function waitFor(
  messages: FakeMailgunMessage[],
  waiters: Set<() => void>,
  n: number,
  timeoutMs: number,
): Promise<FakeMailgunMessage[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (messages.length < n) return;
      cleanup();
      resolve(messages.slice(0, n));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`fake Mailgun: ${messages.length} of ${n} messages after ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      waiters.delete(check);
    };
    waiters.add(check);
    check();
  });
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Undici's Request parses a buffered multipart (or urlencoded) body exactly as a server would. */
function parseForm(contentType: string | undefined, body: Buffer): Promise<FormData> {
  return new Request('http://fake.mailgun/', {
    method: 'POST',
    headers: { 'content-type': contentType ?? '' },
    body,
  }).formData();
}

function toMessage(domain: string, form: FormData, id: string): FakeMailgunMessage {
  const text = (name: string) => String(form.get(name) ?? '');
  const prefixed = (prefix: string) =>
    Object.fromEntries(
      [...form.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, value]) => [key.slice(prefix.length), String(value)]),
    );
  return {
    domain,
    from: text('from'),
    to: form.getAll('to').map(String).join(', '),
    subject: text('subject'),
    text: text('text'),
    html: text('html'),
    headers: prefixed('h:'),
    variables: prefixed('v:'),
    tags: form.getAll('o:tag').map(String),
    id,
    receivedAt: new Date(),
  };
}

function fail(res: http.ServerResponse, { status, retryAfter, body }: FailureOptions): void {
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  json(res, status, body ?? { message: http.STATUS_CODES[status] ?? 'Error' });
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
