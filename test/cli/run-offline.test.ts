import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useMotoEnv } from '../support/aws.js';
import { runCli } from '../support/cli.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { startMoto, type MotoServer } from '../support/moto/index.js';

/**
 * The fixture on the runCli clock (2026-11-23T12:00Z) with a 7-day grace period: bob and breakglass fail
 * user-console-mfa, carol+ops=x.y@example.com is in grace, alice passes; root fails both root checks.
 */
const FIXTURE = readFileSync('test/fixtures/credential-report-crlf.csv', 'utf8');
const CHANNEL = 'C0SECURITY1';
const SLACK_READS = new Set(['users.list', 'users.lookupByEmail', 'users.info']);

let moto: MotoServer;
let slack: FakeSlack;
let dir: string;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The state is a DynamoDB table: reading it would be AWS access, which the preview must not make. */
function config(map: Record<string, string> = { breakglass: 'UMAPPED001' }): string {
  return file(
    'mfa-bot.yml',
    `slack: { digestChannel: ${CHANNEL} }\n` +
      `identity:\n  emailDomain: example.com\n  map: ${JSON.stringify(map)}\n` +
      `nudges: { enabled: true, workingHours: { start: '00:00', end: '24:00', ` +
      `days: [sun, mon, tue, wed, thu, fri, sat] } }\nstate: { dynamodbTable: mfa-bot-state }\n`,
  );
}

const preview = (report: string, env: NodeJS.ProcessEnv = {}, ...more: string[]) =>
  runCli(['run', '--credential-report', report, '--dry-run', '--config', config(), ...more], { env });

beforeAll(async () => {
  [moto, slack] = await Promise.all([startMoto(), startFakeSlack({ rateLimits: false })]);
  // Any AWS call the preview made would land here and be counted.
  useMotoEnv(moto);
  slack.addChannel({ id: CHANNEL, name: 'security' });
  slack.addUser({ id: 'UBOB0000001', name: 'bob', email: 'bob@example.com' });
  slack.addUser({ id: 'UCAROL00001', name: 'carol', email: 'carol+ops=x.y@example.com' });
  slack.addUser({ id: 'UMAPPED001', name: 'mapped' });
});
afterAll(async () => {
  await Promise.all([moto?.stop(), slack?.stop()]);
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mfa-bot-run-offline-'));
  slack.reset();
  await moto.resetCalls();
});

describe('mfa-bot run --credential-report FILE --dry-run', () => {
  it('without a token: previews the digest and says whom it would DM by name, with no AWS call', async () => {
    const r = await preview(file('report.csv', FIXTURE));
    expect(r.code).toBe(1); // people are failing
    expect(r.stdout).toMatch(new RegExp(`^DIGEST → channel ${CHANNEL}\n`));
    expect(r.stdout).toContain('2 console users without MFA* (1 unmapped)');
    // identity.map needs no Slack: breakglass's first nudge is shown in full.
    expect(r.stdout).toMatch(
      /DM → UMAPPED001 \(IAM user breakglass in 111122223333; first nudge\)\n─+\n:wave: Hi @UMAPPED001\./,
    );
    expect(r.stdout).toContain(
      'NOT CHECKED AGAINST SLACK (2): SLACK_BOT_TOKEN is not set; a real run DMs the Slack member with one of ' +
        'these addresses, if there is one\n' +
        '  bob in 111122223333: email-domain:bob@example.com\n' +
        '  carol+ops=x.y@example.com in 111122223333: username-email:carol+ops=x.y@example.com\n',
    );
    expect(r.stdout).toMatch(/1 DM planned\.\n$/);
    expect(r.stderr).toContain('no AWS call is made and no state is read');
    expect(await moto.calls()).toEqual({});
    expect(slack.countCalls()).toBe(0);
  });

  it('with a token: matches people through users.list and previews every DM, posting nothing', async () => {
    const r = await preview(file('report.csv', FIXTURE), { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/DM → UBOB0000001 \(IAM user bob in 111122223333; first nudge\)/);
    expect(r.stdout).toMatch(/DM → UCAROL00001 \(IAM user carol\+ops=x\.y@example\.com in 111122223333; grace nudge\)/);
    expect(r.stdout).toMatch(/DM → UMAPPED001 \(IAM user breakglass in 111122223333; first nudge\)/);
    expect(r.stdout).not.toContain('NOT CHECKED');
    expect(r.stdout).toMatch(/3 DMs planned\.\n$/);
    const methods = slack.calls().map((c) => c.method);
    expect(methods).toContain('users.list');
    expect(methods.filter((m) => !SLACK_READS.has(m))).toEqual([]);
    expect(slack.messages()).toHaveLength(0);
    expect(await moto.calls()).toEqual({});
  });

  it('--format json gives the same preview as Block Kit', async () => {
    const r = await preview(file('report.csv', FIXTURE), {}, '--format', 'json');
    const doc = JSON.parse(r.stdout);
    expect(doc.digest.channel).toBe(CHANNEL);
    expect(doc.dms.map((d: { recipient: string }) => d.recipient)).toEqual(['UMAPPED001']);
    expect(doc.unmapped).toEqual([
      expect.objectContaining({ userName: 'bob', unchecked: true }),
      expect.objectContaining({ userName: 'carol+ops=x.y@example.com', unchecked: true }),
    ]);
  });

  it('reads a user name with an unquoted comma, as AWS writes it, by its ARN', async () => {
    const report = file('comma.csv', FIXTURE.replaceAll('breakglass', 'smith,john'));
    const r = await runCli(
      ['run', '--credential-report', report, '--dry-run', '--config', config({ 'smith,john': 'UMAPPED001' })],
      { env: {} },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/DM → UMAPPED001 \(IAM user smith,john in 111122223333; first nudge\)/);
    expect(r.stdout).toContain('`smith,john`');
  });

  it('keeps a hostile user name from Slack markup and from the terminal', async () => {
    const hostile = '<!channel>*x*\u001b[2J\u202e';
    const report = file('hostile.csv', FIXTURE.replaceAll('breakglass', hostile));
    const args = ['run', '--credential-report', report, '--dry-run', '--config', config({ [hostile]: 'UMAPPED001' })];
    const text = await runCli(args, { env: {} });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/DM → UMAPPED001 \(IAM user <!channel>\*x\*\?\[2J\? in 111122223333; first nudge\)/);
    expect(text.stdout).not.toMatch(/[\u001b\u202e]/);
    const json = await runCli([...args, '--format', 'json'], { env: {} });
    // What Slack renders: every `text` of the blocks (a button's value is data, never shown).
    const shownText = (blocks: unknown) => JSON.stringify(blocks, (k, v) => (k === 'value' ? undefined : v));
    const doc = JSON.parse(json.stdout);
    for (const sent of [shownText(doc.dms[0].blocks), shownText(doc.digest.blocks)]) {
      expect(sent).toContain('&lt;!channel&gt;');
      expect(sent).not.toContain('<!channel>');
    }
  });

  it('refuses a malformed report: exit 2, naming the file and line, nothing previewed', async () => {
    const bad = file(
      'bad.csv',
      'user,arn,user_creation_time,password_enabled,password_last_changed,mfa_active\n' +
        'bob,arn:aws:iam::111122223333:user/bob,N/A,true\n',
    );
    const r = await preview(bad);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^mfa-bot: .*bad\.csv: line 2: malformed CSV/m);
    const missing = await preview(join(dir, 'nope.csv'));
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toContain('nope.csv: cannot read credential report (ENOENT)');
  });

  it('is refused outside --dry-run, saying why, before anything is read or sent', async () => {
    const env = { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url };
    const report = file('report.csv', FIXTURE);
    const real = await runCli(['run', '--credential-report', report, '--config', config()], { env });
    expect(real).toMatchObject({ code: 2, stdout: '' });
    expect(real.stderr).toMatch(/^mfa-bot: --credential-report needs --dry-run: a downloaded report is one account/);
    expect(real.stderr).toContain('record it as the latest scan');
    const nudges = await runCli(['run', '--nudges-only', '--dry-run', '--credential-report', report], { env });
    expect(nudges.code).toBe(2);
    expect(nudges.stderr).toContain('--nudges-only scans nothing, so it takes no --credential-report');
    expect(slack.countCalls()).toBe(0);
    expect(await moto.calls()).toEqual({});
  });
});
