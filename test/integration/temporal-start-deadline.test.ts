import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/app';
import { silentTemporal } from '../helpers/silent-server';
import { createOwner, createSubscription } from '../helpers/subscriptions';

/**
 * Temporal that accepts connections and never answers: every workflow start gives up at its deadline and the
 * request answers 503, not a hang and not a 500.
 */
describe('workflow starts against a Temporal that hangs', () => {
  let t: TestApp;
  let silent: Awaited<ReturnType<typeof silentTemporal>>;
  beforeAll(async () => {
    silent = await silentTemporal();
    t = await createTestApp({ temporalAddress: silent.address });
  });
  afterAll(async () => {
    await t.close();
    await silent.close();
  });

  const expectUnavailable = (res: request.Response) => {
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ code: 503, error: 'service_unavailable' });
  };

  it('POST /reminders/send-test answers 503 once the start deadline has passed', async () => {
    const { auth } = await createOwner(t);
    const sub = await createSubscription(t.app, auth);
    const started = Date.now();
    const res = await request(t.app).post('/reminders/send-test').set(auth).send({ subscription_id: sub.id });
    expectUnavailable(res);
    // The deadline is 2 s; generous above it for a loaded machine, far below a hang.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('POST /stats/send-test answers 503 once the start deadline has passed', async () => {
    const { auth } = await createOwner(t);
    const res = await request(t.app).post('/stats/send-test').set(auth).send({});
    expectUnavailable(res);
  });
});
