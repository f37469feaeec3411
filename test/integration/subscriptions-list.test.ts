import request from 'supertest';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  type ClockedTestApp,
} from '../helpers/subscriptions';

describe('listing subscriptions: a JSON array, paginated, sorted and filtered', () => {
  let t: ClockedTestApp;
  let auth: Record<string, string>;
  beforeAll(async () => {
    t = await createClockedTestApp('2026-11-27T12:00:00Z');
    ({ auth } = await createOwner(t));
    const plans = [
      { name: 'Netflix', price: '15.49', category: 'video', next_payment_date: '2026-12-03' },
      { name: 'spotify', price: '9.99', category: 'music', next_payment_date: '2026-12-01' },
      { name: 'Gym', price: '40.00', category: null, next_payment_date: '2026-12-20', status: 'paused' },
      { name: 'Apple Music', price: '10.99', category: 'music', next_payment_date: '2026-12-11' },
      {
        name: 'Hulu',
        price: '7.99',
        category: 'video',
        next_payment_date: '2026-12-07',
        status: 'cancelled',
      },
    ];
    for (const plan of plans) await createSubscription(t.app, auth, plan);
    // Someone else's rows never show.
    await createSubscription(t.app, (await createOwner(t)).auth, { name: 'Netflix' });
  });
  afterAll(() => t.close());

  const list = (query = '') => request(t.app).get(`/subscriptions${query}`).set(auth);
  const names = (body: { name: string }[]) => body.map((s) => s.name);

  it("lists all of the owner's subscriptions in creation order with X-Total-Count", async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(['Netflix', 'spotify', 'Gym', 'Apple Music', 'Hulu']);
    expect(res.headers['x-total-count']).toBe('5');
    expect(res.headers.link).toBe(
      '</subscriptions?page=1&per_page=100>; rel="first", </subscriptions?page=1&per_page=100>; rel="last"',
    );
  });

  it('pages with first, prev, next and last links', async () => {
    const res = await list('?page=2&per_page=2');
    expect(names(res.body)).toEqual(['Gym', 'Apple Music']);
    const links = Object.fromEntries(
      res.headers.link!.split(', ').map((part: string) => {
        const [, url, rel] = /^<([^>]+)>; rel="(\w+)"$/.exec(part)!;
        return [rel, url];
      }),
    );
    expect(links).toEqual({
      first: '/subscriptions?page=1&per_page=2',
      prev: '/subscriptions?page=1&per_page=2',
      next: '/subscriptions?page=3&per_page=2',
      last: '/subscriptions?page=3&per_page=2',
    });
    expect(names((await list('?page=3&per_page=2')).body)).toEqual(['Hulu']);
  });

  it('keeps filters and sort in the links', async () => {
    const res = await list('?status=active&sort=-price&per_page=1');
    expect(res.headers.link).toContain(
      '</subscriptions?status=active&sort=-price&page=2&per_page=1>; rel="next"',
    );
  });

  it('answers a page past the end with an empty array and the true total', async () => {
    const res = await list('?page=9&per_page=2');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
    expect(res.headers['x-total-count']).toBe('5');
    expect(res.headers.link).toContain('rel="last"');
    expect(res.headers.link).not.toContain('rel="next"');
  });

  it.each([
    ['?page=0', 'page'],
    ['?page=x', 'page'],
    ['?page=99999999999', 'page'],
    ['?per_page=0', 'per_page'],
    ['?per_page=101', 'per_page'],
    ['?sort=colour', 'sort'],
    ['?status=gone', 'status'],
  ])('answers 422 for %s naming the parameter', async (query, field) => {
    const res = await list(query);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors.query)).toEqual([field]);
  });

  it('sorts by a field, descending with a leading minus, names case-insensitively', async () => {
    expect(names((await list('?sort=name')).body)).toEqual([
      'Apple Music',
      'Gym',
      'Hulu',
      'Netflix',
      'spotify',
    ]);
    expect(names((await list('?sort=-price')).body)).toEqual([
      'Gym',
      'Netflix',
      'Apple Music',
      'spotify',
      'Hulu',
    ]);
    expect(names((await list('?sort=next_payment_date')).body)).toEqual([
      'spotify',
      'Netflix',
      'Hulu',
      'Apple Music',
      'Gym',
    ]);
  });

  it('filters by status and by category', async () => {
    expect(names((await list('?status=active')).body)).toEqual(['Netflix', 'spotify', 'Apple Music']);
    const music = await list('?category=music');
    expect(names(music.body)).toEqual(['spotify', 'Apple Music']);
    expect(music.headers['x-total-count']).toBe('2');
    expect(names((await list('?category=video&status=cancelled')).body)).toEqual(['Hulu']);
  });

  it('ignores unknown query parameters, as the seed did', async () => {
    expect((await list('?colour=blue')).body).toHaveLength(5);
  });
});
