import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createExchangeRateActivities } from '../../activities/exchange-rate-activities';
import { createExchangeRateStore } from '../../src/services/exchange-rate-store';
import type { ExchangeRatesResult } from '../../src/temporal/contract';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTimeSkipping, startWorker, uniquePrefix, uniqueTaskQueue } from '../helpers/temporal';

const FIXTURES = path.join(__dirname, '../fixtures/ecb');
const DAILY = fs.readFileSync(path.join(FIXTURES, 'eurofxref-daily.xml'), 'utf8');
const HISTORY = fs.readFileSync(path.join(FIXTURES, 'eurofxref-hist-90d.xml'), 'utf8');
/** Rates in the fixtures: 29 in the daily document (2026-12-03), 64 days of the history with 5 or 6 each. */
const DAILY_RATES = 29;

type Mode = 'ok' | 'down' | 'html';

/** A local stand-in for www.ecb.europa.eu: serves the fixtures, or 503, or an HTML page; counts requests. */
async function startFakeEcb() {
  const mode: Record<string, Mode> = { '/daily.xml': 'ok', '/hist.xml': 'ok' };
  const hits: Record<string, number> = { '/daily.xml': 0, '/hist.xml': 0 };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    hits[url] = (hits[url] ?? 0) + 1;
    const body = url === '/daily.xml' ? DAILY : url === '/hist.xml' ? HISTORY : undefined;
    if (!body) return void res.writeHead(404).end();
    if (mode[url] === 'down') return void res.writeHead(503).end('Service Unavailable');
    if (mode[url] === 'html') return void res.writeHead(200).end('<html><body>Maintenance</body></html>');
    res.writeHead(200, { 'content-type': 'text/xml' }).end(body);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, mode, hits, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('exchangeRatesWorkflow (time skipping, real activities against a fake ECB and a real database)', () => {
  const prefix = uniquePrefix('fx');
  const taskQueue = uniqueTaskQueue();
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  let ecb: Awaited<ReturnType<typeof startFakeEcb>>;
  let testDb: TestDatabase;
  const urls = { daily: '', history: '' };
  let run = 0;

  beforeAll(async () => {
    [env, ecb, testDb] = await Promise.all([startTimeSkipping(), startFakeEcb(), createTestDatabase()]);
    const activities = createExchangeRateActivities({
      exchangeRates: { store: createExchangeRateStore(testDb.db), urls },
    });
    worker = await startWorker(env, taskQueue, activities);
    running = worker.run();
  });
  beforeEach(() => {
    Object.assign(urls, { daily: `${ecb.base}/daily.xml`, history: `${ecb.base}/hist.xml` });
    Object.assign(ecb.mode, { '/daily.xml': 'ok', '/hist.xml': 'ok' });
    Object.assign(ecb.hits, { '/daily.xml': 0, '/hist.xml': 0 });
  });
  afterAll(async () => {
    if (worker) {
      worker.shutdown();
      await running;
    }
    await env?.teardown();
    await ecb?.close();
    await testDb?.close();
  });

  const runOnce = (): Promise<ExchangeRatesResult> =>
    env.client.workflow.execute('exchangeRatesWorkflow', {
      taskQueue,
      workflowId: `${prefix}rates-${++run}`,
      args: [{}],
    });
  const stored = () => testDb.db.models.ExchangeRate.count();
  const rateOf = async (rateDate: string, currency: string) =>
    (await testDb.db.models.ExchangeRate.findOne({ where: { rateDate, currency } }))?.rate;
  const clear = () => testDb.db.models.ExchangeRate.destroy({ where: {} });

  /** The run's failure, unwrapped to the activity's last error message. */
  async function failure(): Promise<string> {
    const err = await runOnce().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause;
    expect(cause?.name).toBe('ActivityFailure');
    return String((cause?.cause as Error | undefined)?.message);
  }

  it('on an empty store reads the daily document and the 90-day history and stores them', async () => {
    await clear();
    expect(await createExchangeRateStore(testDb.db).lastWrittenAt()).toBeNull();
    const result = await runOnce();
    const historyRates = (HISTORY.match(/currency=/g) ?? []).length;
    expect(result).toEqual({
      newestDate: '2026-12-03',
      // Every TARGET business day from 2026-10-04 to 2026-12-02 (the daily document holds 2026-12-03).
      missingDays: 43,
      historyFetched: true,
      daysWritten: 65,
      ratesWritten: DAILY_RATES + historyRates,
    });
    expect(ecb.hits).toEqual({ '/daily.xml': 1, '/hist.xml': 1 });
    expect(await stored()).toBe(DAILY_RATES + historyRates);
    expect(await rateOf('2026-12-03', 'USD')).toBe('1.2100');
    expect(await rateOf('2026-11-13', 'USD')).toBe('1.1000');
    // The write stamp a cache of totals could key on (second precision on MariaDB).
    expect(await createExchangeRateStore(testDb.db).lastWrittenAt()).toBeInstanceOf(Date);
  });

  it('a second run finds no missing day: it reads only the daily document, and changes nothing', async () => {
    const before = await stored();
    const result = await runOnce();
    expect(result).toMatchObject({ missingDays: 0, historyFetched: false, daysWritten: 1, ratesWritten: 29 });
    expect(ecb.hits).toEqual({ '/daily.xml': 1, '/hist.xml': 0 });
    expect(await stored()).toBe(before);
    expect(await rateOf('2026-12-03', 'GBP')).toBe('0.86000');
  });

  it('a publication day missing from the store makes it read the history again and fill the gap', async () => {
    const before = await stored();
    await testDb.db.models.ExchangeRate.destroy({ where: { rateDate: '2026-11-18' } });
    expect(await stored()).toBe(before - 5);
    const result = await runOnce();
    expect(result).toMatchObject({ missingDays: 1, historyFetched: true });
    expect(await stored()).toBe(before);
    expect(await rateOf('2026-11-18', 'USD')).toBe('1.2000');
  });

  it('when the history answers 503, the run fails after its five attempts and stores nothing, not even the daily', async () => {
    await clear();
    ecb.mode['/hist.xml'] = 'down';
    expect(await failure()).toMatch(/answered HTTP 503/);
    expect(ecb.hits).toEqual({ '/daily.xml': 1, '/hist.xml': 5 });
    expect(await stored()).toBe(0);
  });

  it('when the source cannot be reached (no internet), the run fails after its retries and stores nothing', async () => {
    urls.daily = `http://127.0.0.1:${await closedPort()}/eurofxref-daily.xml`;
    expect(await failure()).toMatch(
      /ECB rates unreachable at http:\/\/127\.0\.0\.1:\d+\/eurofxref-daily\.xml/,
    );
    expect(await stored()).toBe(0);
  });

  it('a document that is not the ECB format fails the run at once, without retrying', async () => {
    ecb.mode['/daily.xml'] = 'html';
    expect(await failure()).toMatch(/Not an ECB reference rates document/);
    expect(ecb.hits['/daily.xml']).toBe(1);
    expect(await stored()).toBe(0);
  });
});
