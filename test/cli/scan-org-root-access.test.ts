import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRootDeleteValue } from '../../src/slack/blocks/root-delete.js';
import { MOTO_ACCOUNT, useMotoEnv } from '../support/aws.js';
import { runCli } from '../support/cli.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';
import { startMoto, type MotoServer } from '../support/moto/index.js';
import { createOrganization } from '../support/org.js';

let moto: MotoServer;
let slack: FakeSlack;
let member: string;
const dir = mkdtempSync(join(tmpdir(), 'mfa-bot-root-access-'));
const config = join(dir, 'mfa-bot.yml');

beforeAll(async () => {
  [moto, slack] = await Promise.all([startMoto(), startFakeSlack({ rateLimits: false })]);
  useMotoEnv(moto);
  slack.addChannel({ id: 'C0DIGEST001', name: 'security' });
  [member] = (await createOrganization(moto, { credentialsManagement: true })).members as [string];
  // The member's root still has a password and an access key, and no MFA: the root checks fail there.
  await moto.setRoot({ accountId: member, accessKeysPresent: true });
  writeFileSync(
    config,
    `slack: { digestChannel: C0DIGEST001 }\nstate: { path: ${join(dir, 'state.db')} }\n` +
      'organization: { roleName: MfaBotAudit }\n',
  );
});
afterAll(async () => {
  await Promise.all([moto?.stop(), slack?.stop()]);
});

interface Finding {
  check: string;
  accountId: string;
  status: string;
  remediation: string;
}

describe('scan --org with centralized root access', () => {
  it("JSON: the organization's features, and member root findings say to delete the credentials", async () => {
    const r = await runCli(['scan', '--org', '--format', 'json', '--config', config], { now: new Date() });
    const doc = JSON.parse(r.stdout) as { rootAccess: unknown; findings: Finding[] };
    expect(doc.rootAccess).toEqual({
      organizationId: expect.stringMatching(/^o-/),
      managementAccountId: MOTO_ACCOUNT,
      credentialsManagement: true,
      rootSessions: false,
    });
    const rootMfa = (accountId: string) =>
      doc.findings.find((f) => f.check === 'root-mfa' && f.accountId === accountId)!;
    expect(rootMfa(member)).toMatchObject({ status: 'fail' });
    expect(rootMfa(member).remediation).toMatch(/needs no credentials.*Delete them/);
    // The management account's root cannot be deleted centrally: it keeps the MFA advice.
    expect(rootMfa(MOTO_ACCOUNT).remediation).toMatch(/Assign MFA device/);
  });

  it('table: the features on top, and the member whose root still has credentials', async () => {
    const r = await runCli(['scan', '--org', '--config', config], { now: new Date() });
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Centralized root access: root credentials management on, root sessions off');
    const deletable = lines.filter((l) => l.includes('delete them centrally'));
    expect(deletable).toHaveLength(1);
    expect(lines[lines.indexOf(deletable[0]!) - 1]).toContain(`Account ${member}`);
  });

  it('the digest shows the features and, in the member section, that its root credentials can go', async () => {
    const r = await runCli(['run', '--once', '--config', config], {
      env: { SLACK_BOT_TOKEN: slack.botToken, SLACK_API_URL: slack.url },
      now: new Date(),
    });
    expect(r.code).toBe(1);
    const [digest] = slack.messages({ channel: 'C0DIGEST001' });
    const blocks = JSON.stringify(digest!.blocks);
    expect(blocks).toContain('Centralized root access: root credentials management on, root sessions off');
    const sections = (digest!.blocks as Array<{ type: string; text?: { text: string } }>)
      .filter((b) => b.type === 'section')
      .map((b) => b.text!.text);
    const deletable = sections.filter((t) => t.includes('Root credentials can be deleted centrally'));
    expect(deletable).toHaveLength(1);
    expect(deletable[0]).toContain(member);
    // The approvers' button, right under that account, once; it opens the confirmation modal (no Slack dialog).
    const buttons = (digest!.blocks as Array<{ type: string; elements?: Array<Record<string, unknown>> }>)
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? [])
      .filter((e) => e.action_id === 'mfa_root_delete');
    expect(buttons).toEqual([expect.objectContaining({ style: 'danger' })]);
    expect(buttons[0]!.confirm).toBeUndefined();
    expect(decodeRootDeleteValue(buttons[0]!.value as string)).toMatchObject({ accountId: member });
  });
});
