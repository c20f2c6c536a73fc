import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { applyExemptions } from '../../src/domain/exemptions.js';
import { buildAccountAnswer } from '../../src/slack/blocks/mfa-check/account.js';
import { buildDigest } from '../../src/slack/blocks/digest.js';
import { blocksToText } from '../../src/slack/blocks/text.js';
import { rowLines } from '../../src/slack/blocks/user-status.js';
import { runCli } from '../support/cli.js';
import { account, ACCOUNT, failingUser, identities, NOW, scan } from '../slack/blocks/factories.js';

const REPORT = 'test/fixtures/credential-report-crlf.csv';

function configFile(expires: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mfa-bot-exempt-')), 'c.yml');
  writeFileSync(
    path,
    `exemptions:\n  - { account: "111122223333", principal: breakglass, ` +
      `reason: "sealed envelope in the safe", expires: ${expires} }\n`,
  );
  return path;
}

const exempted = (expires: string, now = NOW) => {
  const { exemptions } = parseConfigText(
    `exemptions:\n  - { account: "${ACCOUNT}", principal: ` +
      `breakglass, reason: "sealed envelope", expires: ${expires} }\n`,
  );
  return applyExemptions([failingUser('breakglass')], exemptions, now)[0]!;
};

describe('exemption dates are shown as written', () => {
  it('the table and the JSON say "until 2027-06-30" for expires: 2027-06-30', async () => {
    const config = configFile('2027-06-30');
    const table = await runCli(['scan', '--credential-report', REPORT, '--config', config]);
    expect(table.stdout).toContain('Exempt until 2027-06-30');
    expect(table.stdout).not.toContain('2027-07-01');

    const json = await runCli(['scan', '--credential-report', REPORT, '--config', config, '--format', 'json']);
    const f = JSON.parse(json.stdout).findings.find((x: { principal: string }) => x.principal === 'breakglass');
    expect(f.exemption).toEqual({ reason: 'sealed envelope in the safe', expires: '2027-06-30' });
    expect(f.reason).toMatch(/^Exempt until 2027-06-30: /);
    // The deadline is the instant the finding fails again: the end of that day, UTC.
    expect(f.deadline).toBe('2027-07-01T00:00:00.000Z');
  });

  it('a full timestamp is shown as the timestamp', async () => {
    const json = await runCli([
      'scan',
      '--credential-report',
      REPORT,
      '--config',
      configFile('2027-06-30T12:00:00Z'),
      '--format',
      'json',
    ]);
    const f = JSON.parse(json.stdout).findings.find((x: { principal: string }) => x.principal === 'breakglass');
    expect(f.exemption.expires).toBe('2027-06-30T12:00:00.000Z');
    expect(f.reason).toMatch(/^Exempt until 2027-06-30: /);
  });

  it('the digest, the account answer and /mfa-check me show the written date', () => {
    const v = exempted('2027-06-30');
    const digest = blocksToText(
      buildDigest({ scan: scan([account({ verdicts: [v] })]), identities: identities([]), now: NOW }).blocks,
    );
    expect(digest).toContain('(until 2027-06-30)');
    const answer = blocksToText(
      buildAccountAnswer({
        account: account({ verdicts: [v] }),
        scan: scan([account({ verdicts: [v] })]),
        identities: identities([]),
        now: NOW,
      }).blocks,
    );
    expect(answer).toContain('exempt until 2027-06-30');
    const me = rowLines(
      { account: { accountId: ACCOUNT, partition: 'aws' }, userName: 'breakglass', verdicts: [v] },
      NOW,
    );
    expect(me).toContain('Exempt until 2027-06-30');
    for (const text of [digest, answer, me]) expect(text).not.toContain('2027-07-01');
  });

  it('a date-only expiry covers that whole day, and a lapsed one names the date as written', () => {
    expect(exempted('2026-11-23', new Date('2026-11-23T23:59:59Z')).status).toBe('exempt');
    const lapsed = exempted('2020-01-01');
    expect(lapsed.status).toBe('fail');
    expect(lapsed.reason).toContain('The exemption "sealed envelope" expired on 2020-01-01.');
  });
});
