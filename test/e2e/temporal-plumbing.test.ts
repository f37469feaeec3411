import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { UnavailableError } from '../../src/errors';
import { createTemporal } from '../../src/temporal/client';
import { createIds } from '../../src/temporal/contract';
import { answersTemporal, ensureDevServer } from '../../src/temporal/dev-server';
import { startWelcome } from '../../src/temporal/welcome-starter';
import { testPayloadCodec } from '../helpers/payload-keys';
import { startDevServer, uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

describe('Temporal client, welcome starter and dev server', () => {
  let env: TestWorkflowEnvironment;
  let closedAddress: string;
  beforeAll(async () => {
    [env, closedAddress] = await Promise.all([startDevServer(), freeAddress()]);
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('ping resolves against a running server and fails fast with UnavailableError when none answers', async () => {
    const up = createTemporal({
      address: env.address,
      namespace: 'default',
      payloadCodec: testPayloadCodec(),
    });
    const down = createTemporal({
      address: closedAddress,
      namespace: 'default',
      payloadCodec: testPayloadCodec(),
    });
    try {
      await expect(up.ping()).resolves.toBeUndefined();
      const started = Date.now();
      await expect(down.ping(500)).rejects.toBeInstanceOf(UnavailableError);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await Promise.all([up.close(), down.close()]);
    }
  });

  it('startWelcome starts welcome-{userId} once, then reports it as already started', async () => {
    const ids = createIds(uniquePrefix('plumbing'));
    const taskQueue = uniqueTaskQueue();
    expect(await startWelcome(env.client, ids, taskQueue, 7)).toBe('started');
    expect(await startWelcome(env.client, ids, taskQueue, 7)).toBe('already_started');
    const described = await env.client.workflow.getHandle(ids.welcome(7)).describe();
    expect(described.type).toBe('welcomeWorkflow');
    expect(described.taskQueue).toBe(taskQueue);
  });

  it('startWelcome throws UnavailableError within its deadline when Temporal is down', async () => {
    const down = createTemporal({
      address: closedAddress,
      namespace: 'default',
      payloadCodec: testPayloadCodec(),
    });
    const started = Date.now();
    try {
      await expect(
        startWelcome(down.client, createIds('x-'), 'q', 1, { timeoutMs: 500 }),
      ).rejects.toBeInstanceOf(UnavailableError);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await down.close();
    }
  });

  it('ensureDevServer reuses a server that already answers and leaves it running on stop()', async () => {
    const port = Number(env.address.split(':').pop());
    const dev = await ensureDevServer({ ...devOptions(), port, uiPort: port + 1 });
    expect(dev).toMatchObject({ address: `127.0.0.1:${port}`, reused: true });
    await dev.stop();
    expect(await answersTemporal(env.address)).toBe(true);
  });

  it('ensureDevServer spawns the CLI dev server when nothing answers, and stop() ends it', async () => {
    const [address, ui] = await Promise.all([freeAddress(), freeAddress()]);
    const port = Number(address.split(':').pop());
    const uiCodecEndpoint = 'http://localhost:3999/codec';
    const dev = await ensureDevServer({
      ...devOptions(),
      port,
      uiPort: Number(ui.split(':').pop()),
      uiCodecEndpoint,
    });
    try {
      expect(dev).toMatchObject({ address, reused: false });
      expect(await answersTemporal(address)).toBe(true);
      // Its Web UI decodes the encrypted payloads through the API's codec endpoint.
      const settings = (await uiSettings(dev.uiUrl)) as { Codec: { Endpoint: string } };
      expect(settings.Codec.Endpoint).toBe(uiCodecEndpoint);
    } finally {
      await dev.stop();
    }
    expect(await answersTemporal(address)).toBe(false);
  });
});

function devOptions() {
  const cliPath = process.env.TEMPORAL_CLI_PATH;
  if (!cliPath) throw new Error('TEMPORAL_CLI_PATH is unset: global setup resolves it');
  const dbFile = path.join(os.tmpdir(), `${uniquePrefix('temporal-dev')}db`, 'temporal.db');
  return { cliPath, dbFile, namespace: 'default', log: () => {} };
}

/** The Web UI's settings, once its HTTP server (started with the frontend, a moment later) answers. */
async function uiSettings(uiUrl: string, timeoutMs = 10_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${uiUrl}/api/v1/settings`);
      if (res.ok) return await res.json();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`${uiUrl} did not answer its settings`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** 127.0.0.1:<a port nothing listens on right now>. */
async function freeAddress(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `127.0.0.1:${port}`;
}
