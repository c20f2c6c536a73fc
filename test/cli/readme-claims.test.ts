import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';

const readme = readFileSync('README.md', 'utf8');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };

describe('the README says what the code does', () => {
  it('names the Node version package.json asks for', () => {
    const min = /^>=(\d+\.\d+)$/.exec(pkg.engines.node)?.[1];
    expect(min).toBeDefined();
    expect(readme).toContain(`Node ${min} or later`);
    expect(readme).not.toMatch(/with Node 20 and/);
  });

  it('documents every exit status, and no other', () => {
    const table = readme.slice(readme.indexOf('Exit status, for CI'), readme.indexOf('## The Slack bot'));
    const codes = [...table.matchAll(/^\| (\d) \|/gm)].map((m) => Number(m[1]));
    expect(codes).toEqual(Object.values(EXIT).sort());
  });
});
