import request from 'supertest';
import { createClockedTestApp, createOwner, type ClockedTestApp } from '../helpers/subscriptions';

/** Found by schemathesis: on SQLite a U+0000 in a looked-up string ended the SQL text (a 500). */
describe('U+0000 in input', () => {
  let t: ClockedTestApp;
  beforeAll(async () => {
    t = await createClockedTestApp();
  });
  afterAll(() => t.close());

  it('is an ordinary character: a login with it is just wrong credentials', async () => {
    const res = await request(t.app)
      .post('/login')
      .send({ email: 'a\u0000@example.com', password: 'whatever1' });
    expect(res.status).toBe(401);
  });

  it('is stored, compared and read back like any other character', async () => {
    const { auth } = await createOwner(t);
    const name = 'Music\u0000Plus';
    const created = await request(t.app).post('/subscriptions').set(auth).send({
      name,
      price: '5.00',
      billing_cycle: 'monthly',
      next_payment_date: '2030-01-01',
      category: 'a\u0000b',
    });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe(name);
    const filtered = await request(t.app).get('/subscriptions?category=a%00b').set(auth);
    expect(filtered.status).toBe(200);
    expect(filtered.body.map((s: { name: string }) => s.name)).toEqual([name]);
    const again = await request(t.app)
      .post('/subscriptions')
      .set(auth)
      .send({ name, price: '5.00', billing_cycle: 'monthly', next_payment_date: '2030-01-01' });
    expect(again.status).toBe(409);
  });
});
