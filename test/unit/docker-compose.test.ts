import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { dynamicConfigArgs, SERVER_DYNAMIC_CONFIG } from '../../src/temporal/dev-server';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  healthcheck?: { test?: unknown; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
}

const root = path.resolve(__dirname, '../..');
const compose = YAML.parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as {
  services: Record<string, Service>;
};
const services = compose.services;

describe('docker-compose.yml', () => {
  it('has the production pieces: MySQL 8, Redis 7, Temporal on official images, the UI, migrate, api, worker', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'migrate',
        'mysql',
        'redis',
        'temporal',
        'temporal-namespace',
        'temporal-schema',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    expect(services.mysql.image).toMatch(/^mysql:8/);
    expect(services.redis.image).toMatch(/^redis:7/);
    expect(services.temporal.image).toMatch(/^temporalio\/server:/);
    expect(services['temporal-schema'].image).toMatch(/^temporalio\/admin-tools:/);
    expect(services['temporal-namespace'].image).toMatch(/^temporalio\/admin-tools:/);
    expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:/);
  });

  it('publishes the Temporal frontend and Web UI on loopback only, and nothing else of Temporal', () => {
    expect(services.temporal.ports).toEqual(['127.0.0.1:7233:7233']);
    expect(services['temporal-ui'].ports).toEqual(['127.0.0.1:8080:8080']);
    for (const name of ['mysql', 'redis', 'temporal-schema', 'temporal-namespace', 'migrate', 'worker']) {
      expect(services[name].ports).toBeUndefined();
    }
    // Every other published port is the API's.
    expect(services.api.ports).toEqual(['${PORT:-3000}:3000']);
  });

  it("points the Web UI at the API's codec endpoint and gives every app piece the payload keys", () => {
    expect(services['temporal-ui'].environment?.TEMPORAL_CODEC_ENDPOINT).toBe(
      '${TEMPORAL_CODEC_ENDPOINT:-http://localhost:3000/codec}',
    );
    for (const name of ['api', 'worker', 'migrate']) {
      expect(String(services[name].environment?.TEMPORAL_PAYLOAD_KEYS)).toMatch(
        /^\$\{TEMPORAL_PAYLOAD_KEYS:\?/,
      );
      expect(services[name].environment?.CODEC_CORS_ORIGINS).toBe(
        '${CODEC_CORS_ORIGINS:-http://localhost:8080,http://127.0.0.1:8080}',
      );
    }
  });

  it('gives every long-running dependency a healthcheck', () => {
    for (const name of ['mysql', 'redis', 'temporal']) expect(services[name].healthcheck?.test).toBeDefined();
  });

  it('starts things in order: schema before Temporal, migrations before api and worker', () => {
    expect(services['temporal-schema'].depends_on?.mysql.condition).toBe('service_healthy');
    expect(services.temporal.depends_on?.['temporal-schema'].condition).toBe(
      'service_completed_successfully',
    );
    expect(services['temporal-namespace'].depends_on?.temporal.condition).toBe('service_healthy');
    expect(services.migrate.depends_on?.['temporal-namespace'].condition).toBe(
      'service_completed_successfully',
    );
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on?.migrate.condition).toBe('service_completed_successfully');
      expect(services[name].depends_on?.redis.condition).toBe('service_healthy');
    }
  });

  it('runs api, worker and migrate from the one Dockerfile, in production mode against the services', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      const s = services[name];
      expect(s.build).toBe('.');
      expect(s.environment).toMatchObject({
        NODE_ENV: 'production',
        REDIS_URL: 'redis://redis:6379/0',
        TEMPORAL_ADDRESS: 'temporal:7233',
      });
      expect(String(s.environment?.DATABASE_URL)).toMatch(/@mysql:3306\//);
    }
    expect(services.worker.command).toEqual(['node', 'dist/src/entry/worker.js']);
    expect(services.api.command).toEqual(['node', 'dist/src/entry/api.js']);
    expect(String(services.migrate.command)).toMatch(/migrate\.js up.*schedules-apply\.js/);
  });

  it('lets the worker scale out: no fixed container name or host port', () => {
    expect(services.worker).not.toHaveProperty('container_name');
    expect(services.worker.ports).toBeUndefined();
  });

  it('gives its Temporal server the same dynamic configuration as the dev server SubTracker starts', () => {
    const mount = services.temporal.volumes?.find((v) => v.includes('dynamicconfig'));
    expect(mount).toBeDefined();
    const [file, target] = mount!.split(':');
    expect(target).toBe(String(services.temporal.environment?.DYNAMIC_CONFIG_FILE_PATH));
    const yaml = YAML.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<
      string,
      { value: unknown }[]
    >;
    const values = Object.fromEntries(Object.entries(yaml).map(([key, [first]]) => [key, first.value]));
    expect(values).toEqual(SERVER_DYNAMIC_CONFIG);
    expect(dynamicConfigArgs()).toEqual([
      '--dynamic-config-value',
      'system.enableActivityEagerExecution=true',
    ]);
  });
});
