import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { buildCollection, COLLECTION_PATH } from '../../postman/build-collection';

interface Item {
  name: string;
  item?: Item[];
  request?: { method: string; url: { path: string[] } };
}

const root = path.resolve(__dirname, '../..');
const spec = YAML.parse(fs.readFileSync(path.join(root, 'openapi.yaml'), 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
};
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function requests(items: Item[]): { method: string; path: string }[] {
  return items.flatMap((item) =>
    item.item
      ? requests(item.item)
      : [{ method: item.request!.method.toLowerCase(), path: `/${item.request!.url.path.join('/')}` }],
  );
}

/** `/subscriptions/{{subscriptionId}}` and `/subscriptions/999` both match `/subscriptions/{id}`. */
function matches(template: string, actual: string): boolean {
  const t = template.split('/');
  const a = actual.split('/');
  return t.length === a.length && t.every((part, i) => part.startsWith('{') || part === a[i]);
}

describe('the Postman collection', () => {
  it('is the output of postman/build-collection.ts (run it with tsx after editing)', () => {
    const committed = JSON.parse(fs.readFileSync(COLLECTION_PATH, 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildCollection())));
  });

  it('has a request for every path and method in openapi.yaml', () => {
    const sent = requests(buildCollection().item as Item[]);
    const missing = Object.entries(spec.paths).flatMap(([p, ops]) =>
      Object.keys(ops)
        .filter((m) => METHODS.includes(m))
        .filter((m) => !sent.some((r) => r.method === m && matches(p, r.path)))
        .map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(missing).toEqual([]);
  });

  it('holds no fixed personal data: every address is generated per run', () => {
    const text = fs.readFileSync(COLLECTION_PATH, 'utf8');
    expect(text).not.toMatch(/[\w.+-]+@(?!example\.com)[\w-]+\.[\w.]+/);
  });
});
