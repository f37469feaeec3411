/** Starts a server as its own process group, waits until it answers, stops it (the whole group). */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export interface Server {
  name: string;
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startServer(opts: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  port: number;
  /** A path answering any HTTP status once the server is up. */
  probe: string;
  logFile: string;
}): Promise<Server> {
  const out = fs.openSync(opts.logFile, 'a');
  const child: ChildProcess = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', out, out],
    detached: true,
  });
  fs.closeSync(out);
  let exited = false;
  child.once('exit', () => (exited = true));
  const baseUrl = `http://127.0.0.1:${opts.port}`;
  const stop = async () => {
    if (exited || !child.pid) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    }, 10_000);
    await gone;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`${opts.name} exited before it answered; see ${opts.logFile}`);
    try {
      await fetch(baseUrl + opts.probe, { signal: AbortSignal.timeout(2000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`${opts.name} did not answer within 60 s; see ${opts.logFile}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  return { name: opts.name, baseUrl, pid: child.pid!, stop };
}

/** Logs every user in (a few at a time) and returns their access tokens, in user order. */
export async function loginAll(
  baseUrl: string,
  emails: string[],
  password: string,
  concurrency = 4,
): Promise<string[]> {
  const tokens: string[] = new Array(emails.length);
  let next = 0;
  const worker = async () => {
    while (next < emails.length) {
      const i = next++;
      let res: Response;
      let body: { access_token?: string };
      // A server just started may still be connecting to Redis (503): retry for a while.
      for (let attempt = 0; ; attempt++) {
        res = await fetch(`${baseUrl}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: emails[i], password }),
        });
        body = (await res.json()) as { access_token?: string };
        if (res.status !== 503 || attempt >= 20) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      if (res.status !== 200 || !body.access_token)
        throw new Error(`login ${emails[i]} on ${baseUrl}: ${res.status} ${JSON.stringify(body)}`);
      tokens[i] = body.access_token;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return tokens;
}

/** One subscription id per user, read through the API (GET /subscriptions), in user order. */
export async function firstSubscriptionIds(baseUrl: string, tokens: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const token of tokens) {
    const res = await fetch(`${baseUrl}/subscriptions`, { headers: { authorization: `Bearer ${token}` } });
    const list = (await res.json()) as { id: number }[];
    if (res.status !== 200 || !Array.isArray(list) || !list.length)
      throw new Error(`GET /subscriptions on ${baseUrl}: ${res.status}`);
    ids.push(list[Math.floor(list.length / 2)]!.id);
  }
  return ids;
}
