import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { parseSince } from '../../src/cli/report-command.js';
import { DEV, HOSTILE_NAME, PROD, REPORT_NOW, writeEvidenceState } from '../report/evidence/evidence-state.js';
import { runCli } from '../support/cli.js';

let configPath: string;
let statePath: string;
const report = (...args: string[]) => runCli(['report', '--config', configPath, ...args], { now: REPORT_NOW });

beforeAll(async () => {
  ({ configPath, statePath } = await writeEvidenceState());
});

describe('mfa-bot report', () => {
  it('prints the figures as tables, from the state alone, without changing the file', async () => {
    const hash = () => createHash('sha256').update(readFileSync(statePath)).digest('hex');
    const before = hash();
    const r = await report();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const row = (...cells: string[]) => new RegExp(`│ ${cells.map((c) => `${c} +`).join('│ ')}│`);
    expect(r.stdout).toMatch(row('All accounts', '66\\.7% \\(4/6\\)', '2', '0', '0', '2', '0', '1', '0'));
    const spreads = ['25\\.0 d / 28\\.0 d \\(n=3\\)', '24\\.0 d / 27\\.0 d \\(n=3\\)'];
    expect(r.stdout).toMatch(row('All accounts', '3', ...spreads, '0', '1', '0', '1', '1'));
    expect(r.stdout).toMatch(/│ Team C0PLATFORM1 +│ 50\.0% \(1\/2\)/);
    expect(r.stdout).toContain('111122223333 breakglass: expires');
    expect(hash()).toBe(before);
  });

  it('JSON: every scope, with the overdue cases named', async () => {
    const r = await report('--format', 'json');
    const body = JSON.parse(r.stdout);
    expect(body.overall).toMatchObject({
      coverage: { consoleUsers: 6, withMfa: 4, percent: 66.67 },
      openCases: { total: 2 },
      fixedInWindow: 3,
      timeToMfa: { fromFinding: { count: 3, medianDays: 25, p90Days: 28 } },
      fixedAfter: { 'first-nudge': 1, escalation: 1, enforcement: 1 },
      overdue: [{ accountId: PROD, userName: HOSTILE_NAME, cycle: 1 }],
    });
    expect(body.teams.map((t: { scope: { id: string } }) => t.scope.id)).toEqual(['C0PLATFORM1']);
    expect(body.accounts.map((a: { scope: { id: string } }) => a.scope.id)).toEqual([PROD, DEV]);
  });

  it('CSV: one row per scope and metric, for dashboards', async () => {
    const lines = (await report('--format', 'csv', '--account', DEV)).stdout.trim().split('\n');
    expect(lines[0]).toBe('generatedAt,windowStart,scopeKind,scopeId,metric,value');
    expect(lines).toContain(`2026-12-01T12:00:00.000Z,2026-09-02T12:00:00.000Z,account,${DEV},fixed_enforcement,1`);
    expect(lines).toContain('2026-12-01T12:00:00.000Z,2026-09-02T12:00:00.000Z,overall,all,coverage_percent,50');
    expect(lines.some((l) => l.includes(PROD))).toBe(false);
  });

  it('a shorter window counts only the fixes inside it', async () => {
    const body = JSON.parse((await report('--format', 'json', '--since', '10d')).stdout);
    expect(body.overall.fixedInWindow).toBe(2);
    expect(body.windowStart).toBe('2026-11-21T12:00:00.000Z');
  });

  it('refuses a bad --since, --format or --account, saying what is allowed', async () => {
    const since = await report('--since', '90');
    expect(since.code).toBe(2);
    expect(since.stderr).toBe(
      'mfa-bot: --since must be a number of days or weeks back (90d, 12w) or a date (2026-09-01), got "90"\n',
    );
    const format = await report('--format', 'pdf');
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("argument 'pdf' is invalid. Allowed choices are table, json, csv, html.");
    const account = await report('--account', '12345');
    expect(account.code).toBe(2);
    expect(account.stderr).toBe('mfa-bot: --account must be a 12-digit AWS account ID, got "12345"\n');
    const unknown = await report('--account', '999999999999');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`has no scan or case of that account. It knows ${PROD}, ${DEV}.`);
  });

  it('parses --since as days, weeks or a past date', () => {
    expect(parseSince('12w', REPORT_NOW)).toEqual(new Date('2026-09-08T12:00:00Z'));
    expect(parseSince('2026-09-01', REPORT_NOW)).toEqual(new Date('2026-09-01T00:00:00Z'));
    expect(parseSince('2026-02-30', REPORT_NOW)).toBe('--since "2026-02-30" is not a calendar date');
    expect(parseSince('2027-01-01', REPORT_NOW)).toBe('--since 2027-01-01 is not in the past');
    expect(parseSince('0d', REPORT_NOW)).toBe('--since must be between 1d and 3660d, got "0d"');
  });
});

describe('mfa-bot report --format html to a slow reader', () => {
  it('writes the next piece only once stdout has handed the last one to the reader', async () => {
    const pieces: string[] = [];
    let release: () => void = () => {};
    let waits = 0;
    const io: CliIo = {
      stdout: (t) => void pieces.push(t),
      stderr: () => {},
      stdoutIsTty: false,
      stderrIsTty: false,
      env: {},
      now: () => REPORT_NOW,
      // A pipe whose reader has not caught up yet: each piece is held until the test lets it go.
      drained: () => {
        waits += 1;
        return new Promise((resolve) => {
          release = resolve;
        });
      },
    };
    const done = main(['node', 'mfa-bot', 'report', '--config', configPath, '--format', 'html'], io);
    await vi.waitFor(() => expect(waits).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pieces).toHaveLength(1);
    while (!(await Promise.race([done.then(() => true), new Promise((r) => setTimeout(() => r(false), 20))]))) {
      release();
    }
    expect(await done).toBe(0);
    expect(pieces.length).toBeGreaterThan(2);
    expect(waits).toBe(pieces.length);
    expect(pieces.join('')).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
  });
});
