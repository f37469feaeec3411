import 'reflect-metadata';
import { once } from 'node:events';
import path from 'node:path';
import { Runtime } from '@temporalio/worker';
import { loadConfig } from '../config';
import { devConsoleStream } from '../dev-console';
import { migrateUp } from '../db/migrator';
import { createLogger } from '../logger';
import { createRuntime } from '../runtime';
import { createIds } from '../temporal/contract';
import { ensureDevServer } from '../temporal/dev-server';
import { terminateRetiredRuns } from '../temporal/retired-workflows';
import { applySchedules } from '../temporal/schedules';
import { createSdkLogger } from '../temporal/sdk-logger';
import { resolveTemporalBinaryPath } from '../temporal/tools';
import { createRuntimeWorker } from '../runtime-worker';
import { installFatalHandlers, runEntry } from './run-entry';

const ROOT = path.resolve(__dirname, '../..');

/**
 * `npm run dev`: the whole system in one process on the embedded defaults. Spawns (or reuses) the Temporal
 * dev server with its Web UI, migrates, applies the schedules, runs the worker and the API, prints the URLs.
 */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'subtracker-dev', devConsoleStream());
  installFatalHandlers(logger);
  // Before any worker or native connection exists: the SDK's lines then go through the same console.
  Runtime.install({ logger: createSdkLogger(logger) });
  const say = (message: string) => logger.info(message);

  let temporalAddress = config.temporal.address;
  let stopTemporal = async () => {};
  let uiUrl = 'the Web UI of your Temporal cluster';
  if (!temporalAddress) {
    // The tools resolver reads TEMPORAL_CLI_PATH, CI and the cache location itself (Jest runs it before config).
    // eslint-disable-next-line no-restricted-syntax
    const env = process.env;
    const cliPath =
      config.temporal.cliPath ?? (await resolveTemporalBinaryPath('cli', { env, root: ROOT, log: say }));
    const dev = await ensureDevServer({
      cliPath,
      port: config.temporal.devPort,
      uiPort: config.temporal.uiPort,
      dbFile: path.join(config.dataDir, 'temporal.db'),
      namespace: config.temporal.namespace,
      // Histories hold ciphertext: the Web UI (in the browser) decodes them through the API's codec endpoint.
      uiCodecEndpoint: `http://localhost:${config.port}/codec`,
      log: say,
    });
    temporalAddress = dev.address;
    uiUrl = dev.uiUrl;
    stopTemporal = dev.stop;
  }

  const runtime = createRuntime(config, logger, { temporalAddress });
  const applied = await migrateUp(runtime.db.sequelize);
  say(applied.length ? `migrated: ${applied.join(', ')}` : 'database schema is up to date');
  const schedules = await applySchedules(runtime.temporal.client, {
    ids: createIds(config.temporal.idPrefix),
    taskQueue: config.temporal.taskQueue,
    idPrefix: config.temporal.idPrefix,
    reminderCheckCron: config.temporal.reminderCheckCron,
    monthlyReportCron: config.temporal.monthlyReportCron,
    exchangeRatesCron: config.temporal.exchangeRatesCron,
  });
  say(`schedules: ${schedules.map((s) => `${s.id} ${s.action}`).join(', ')}`);
  const retired = await terminateRetiredRuns(runtime.temporal.client, config.temporal.idPrefix);
  if (retired) say(`terminated ${retired} runs of retired workflow types`);

  const { worker, connection } = await createRuntimeWorker(runtime, { address: temporalAddress });
  const workerDone = worker.run();

  await runtime.ready();
  const server = runtime.createApp().listen(config.port, config.host);
  await once(server, 'listening');
  const api = `http://localhost:${config.port}`;
  console.log(
    [
      '',
      'SubTracker is running on embedded defaults:',
      `  API              ${api}`,
      `  Swagger UI       ${config.apiDocs ? `${api}/swagger-ui` : 'off (API_DOCS=false)'}`,
      `  Temporal Web UI  ${uiUrl}`,
      `  database         ${config.database.url ? 'DATABASE_URL' : config.database.sqlitePath}`,
      `  email            ${config.mail.apiKey ? 'Mailgun' : `outbox ${config.mail.outboxDir}`}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  // The Temporal runtime shuts the worker down on SIGINT/SIGTERM; once it has drained, stop the rest.
  await workerDone;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await connection.close();
  await runtime.close();
  await stopTemporal();
  say('stopped');
}

runEntry('subtracker-dev', main);
