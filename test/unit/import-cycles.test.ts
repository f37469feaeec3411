import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findImportCycles } from '../helpers/import-cycles';

const ROOT = path.resolve(__dirname, '../..');

describe('the import graph', () => {
  it('has no circle under src/, activities/ or workflows/', () => {
    expect(findImportCycles(ROOT, ['src', 'activities', 'workflows'])).toEqual([]);
  });

  describe('the circle finder', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-cycles-'));
      const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      };
      // A type-only circle through a folder index, as report-email.ts and report-email-html.ts once were.
      write('a/view.ts', "import { render } from './render';\nexport interface View { x: number }\n");
      write('a/render.ts', "import type { View } from '.';\nexport const render = (v: View) => v.x;\n");
      write('a/index.ts', "export type { View } from './view';\n");
      // A chain without a circle, and a re-export.
      write('b/one.ts', "export { two } from './two';\n");
      write('b/two.ts', "import { three } from '../b/three';\nexport const two = three;\n");
      write('b/three.ts', "import fs from 'node:fs';\nexport const three = fs;\n");
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('finds a circle made of type imports and an index, and nothing in a plain chain', () => {
      expect(findImportCycles(dir, ['a', 'b'])).toEqual([['a/index.ts', 'a/render.ts', 'a/view.ts']]);
    });
  });
});
