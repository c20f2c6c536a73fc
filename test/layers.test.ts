import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layer order the README's Development section states, lowest first. A file may import its own layer and
 * any layer below it, never one above; type-only imports count too, since they tie the design just the same.
 */
const LAYERS: string[][] = [
  ['domain', 'util'],
  ['config'],
  ['store'],
  ['report'],
  ['aws'],
  ['slack'],
  ['jobs'],
  ['bot'],
  ['cli', 'lambda'],
];

const SRC = path.resolve('src');
/** Packages the domain may use: computation, not I/O (a scan's fingerprint is a hash). */
const PURE_PACKAGES = ['node:crypto'];
const rankOf = (layer: string): number => LAYERS.findIndex((l) => l.includes(layer));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): { relative: string[]; packages: string[] } {
  const text = readFileSync(file, 'utf8');
  const relative: string[] = [];
  const packages: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2]!;
    if (spec.startsWith('.')) relative.push(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
    else packages.push(spec);
  }
  return { relative, packages };
}

const files = sourceFiles(SRC);
const graph: Graph = new Map(files.map((f) => [f, importsOf(f)]));
const layerOf = (file: string): string => path.relative(SRC, file).split(path.sep)[0]!.replace(/\.ts$/, '');
const name = (file: string): string => path.relative(process.cwd(), file);

type Graph = Map<string, { relative: string[]; packages: string[] }>;

function upwardImports(g: Graph): string[] {
  return [...g].flatMap(([file, { relative }]) =>
    relative.filter((t) => rankOf(layerOf(t)) > rankOf(layerOf(file))).map((t) => `${name(file)} -> ${name(t)}`),
  );
}

function circlesOf(g: Graph): string[] {
  const circles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of g.get(file)?.relative ?? []) {
      if (!g.has(next)) continue;
      if (state.get(next) === 'open') circles.push([...stack.slice(stack.indexOf(next)), next].map(name).join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of g.keys()) if (!state.has(file)) visit(file);
  return circles;
}

describe('layers', () => {
  it('places every top-level folder of src/ in a layer', () => {
    const unplaced = [...new Set(files.map(layerOf))].filter((l) => rankOf(l) < 0);
    expect(unplaced).toEqual([]);
  });

  it('never imports upwards', () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it('keeps the domain free of AWS, Slack, storage and Node I/O', () => {
    const impure = [...graph]
      .filter(([file]) => layerOf(file) === 'domain')
      .flatMap(([file, { packages }]) =>
        packages.filter((p) => !PURE_PACKAGES.includes(p)).map((p) => `${name(file)} imports ${p}`),
      );
    expect(impure).toEqual([]);
  });

  it('has no import circles', () => {
    expect(circlesOf(graph)).toEqual([]);
  });

  it('finds an upward import and a circle where there is one', () => {
    const at = (f: string) => path.join(SRC, f);
    const bad: Graph = new Map([
      [at('domain/a.ts'), { relative: [at('slack/b.ts')], packages: [] }],
      [at('slack/b.ts'), { relative: [at('domain/a.ts')], packages: [] }],
    ]);
    expect(upwardImports(bad)).toEqual(['src/domain/a.ts -> src/slack/b.ts']);
    expect(circlesOf(bad)).toEqual(['src/domain/a.ts -> src/slack/b.ts -> src/domain/a.ts']);
  });
});
