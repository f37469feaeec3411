import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/**
 * The import circles among the .ts files under `dirs` (relative to `root`): each circle is the list of its
 * files, relative to `root`. Every relative import counts: `import type`, `export ... from`, `require` and
 * dynamic `import()` too (a type-only circle still couples two files both ways).
 */
export function findImportCycles(root: string, dirs: string[]): string[][] {
  const files = dirs.flatMap((dir) => tsFiles(path.join(root, dir)));
  const known = new Set(files);
  const resolve = (from: string, spec: string): string | undefined => {
    if (!spec.startsWith('.')) return undefined;
    const base = path.resolve(path.dirname(from), spec);
    return [base, `${base}.ts`, path.join(base, 'index.ts')].find((candidate) => known.has(candidate));
  };
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.map((imported) => resolve(file, imported.fileName));
    edges.set(
      file,
      targets.filter((target): target is string => target !== undefined),
    );
  }
  return stronglyConnected(files, edges)
    .filter((component) => component.length > 1 || edges.get(component[0]!)!.includes(component[0]!))
    .map((component) => component.map((file) => path.relative(root, file)).sort());
}

/** Tarjan's strongly connected components: every circle lies inside one. */
function stronglyConnected(nodes: string[], edges: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of edges.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    components.push(component);
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return components;
}
