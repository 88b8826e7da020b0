import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/**
 * The dependency rules of the tree (the README's architecture section), checked on every import
 * of every source file under src/: a rule broken anywhere fails here with the file and the import.
 */
const SRC = __dirname;

interface Import {
  from: string; // file, relative to src/
  to: string; // imported file, relative to src/, without extension
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

function imports(): Import[] {
  return sourceFiles(SRC).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)'/g)].map((m) => ({
      from: relative(SRC, file),
      to: relative(SRC, normalize(join(dirname(file), m[1]))),
    }));
  });
}

/** `modules/<name>`, `infra`, `common`, `config` or `root` (files directly in src/). */
function area(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'modules') return `modules/${parts[1]}`;
  return parts.length > 1 ? parts[0] : 'root';
}

const ALL = imports();

describe('architecture', () => {
  it('reads the imports of the whole tree', () => {
    expect(ALL.length).toBeGreaterThan(200);
  });

  it('infra, common and config know no feature module', () => {
    const upward = ALL.filter((i) => ['infra', 'common', 'config'].includes(area(i.from)) && area(i.to).startsWith('modules/'));
    expect(upward.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('a module reaches another only through its service, module, errors or DTO files', () => {
    const allowed = /(\.service|\.module|\.errors|\/dto\/[^/]+\.dto)$/;
    const crossing = ALL.filter((i) => {
      const [a, b] = [area(i.from), area(i.to)];
      return a.startsWith('modules/') && b.startsWith('modules/') && a !== b && !allowed.test(i.to);
    });
    expect(crossing.map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('controllers, processors, loops and listeners call services, never a repository or the database', () => {
    const thin = /\.(controller|processor|loop|listener)\.ts$/;
    const reaching = ALL.filter((i) => thin.test(i.from) && /\.repository$/.test(i.to)).map((i) => `${i.from} -> ${i.to}`);
    const touching = sourceFiles(SRC)
      .filter((f) => thin.test(f) && /from 'typeorm'/.test(readFileSync(f, 'utf8')))
      .map((f) => `${relative(SRC, f)} -> typeorm`);
    expect([...reaching, ...touching]).toEqual([]);
  });

  it('no module exports its repositories', () => {
    const leaks = sourceFiles(SRC)
      .filter((f) => f.endsWith('.module.ts'))
      .flatMap((f) => {
        const exported = /exports:\s*\[([^\]]*)\]/.exec(readFileSync(f, 'utf8'))?.[1] ?? '';
        return exported.split(',').map((s) => s.trim()).filter((s) => /Repository$/.test(s)).map((s) => `${relative(SRC, f)}: ${s}`);
      });
    expect(leaks).toEqual([]);
  });

  it('has no cycle between folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of ALL) {
      const [a, b] = [area(i.from), area(i.to)];
      if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      for (const next of edges.get(node) ?? []) {
        if (next === path[0]) cycles.push([...path, next].join(' -> '));
        else if (!path.includes(next) && next > path[0]) visit(next, [...path, next]);
      }
    };
    for (const node of edges.keys()) visit(node, [node]);
    expect(cycles).toEqual([]);
  });
});
