import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Biome's lineWidth. The formatter does not split string, template or regex literals, so this test holds those. */
const MAX = (JSON.parse(readFileSync('biome.json', 'utf8')) as { formatter: { lineWidth: number } }).formatter
  .lineWidth;
const FOLDERS = ['src', 'test', 'bench', 'scripts'];

/** Tracked and new (not ignored) .ts and .mjs files in the folders, as git sees them. */
function sourceFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...FOLDERS], {
    encoding: 'utf8',
  });
  return listed
    .split('\n')
    .filter((f) => /\.(ts|mjs)$/.test(f) && existsSync(f))
    .sort();
}

function longLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => ([...line].length > MAX ? [`${file}:${i + 1} is ${[...line].length} characters`] : []));
}

describe('line length', () => {
  it(`keeps every line of src, test, bench and scripts within ${MAX} characters`, () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap(longLines)).toEqual([]);
  });
});
