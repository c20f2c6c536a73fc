import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import { deleteMemberRootCredentials } from '../../../src/jobs/root-delete.js';
import { ROOT_DELETE_ACTION } from '../../../src/slack/blocks/root-delete.js';
import { rootDeletionKey } from '../../../src/store/root-deletion-key.js';
import { SqliteStateStore } from '../../../src/store/sqlite/sqlite-store.js';
import { motoClients } from '../../support/aws.js';
import { createOrganization, MANAGEMENT_CREDENTIALS, memberAdmin } from '../../support/org.js';
import {
  ADMIN,
  ANN,
  BASE_CONFIG,
  GROUP_ADMIN,
  SECURITY_CHANNEL,
  startBotWorld,
  type BotWorld,
} from '../harness/bot.js';

const CONFIG: ConfigInput = { ...BASE_CONFIG, organization: { roleName: 'MfaBotAudit' } };
let w: BotWorld;
let member: string;
let second: string;
const store = SqliteStateStore.open(join(mkdtempSync(join(tmpdir(), 'mfa-root-button-')), 'state.db'));

beforeAll(async () => {
  w = await startBotWorld({
    config: CONFIG,
    rootCredentials: (moto) => (accountId, approver) => {
      const awsOptions = {
        endpoint: moto.endpoint,
        region: 'us-east-1',
        credentials: MANAGEMENT_CREDENTIALS,
        maxAttempts: 1,
      };
      const deps = { aws: motoClients(moto), org: new OrganizationsClient(awsOptions), config: parseConfig(CONFIG) };
      return deleteMemberRootCredentials({ ...deps, awsOptions, store }, accountId, approver);
    },
  });
  [member, second] = (await createOrganization(w.moto, { credentialsManagement: true, members: 2 })).members as [
    string,
    string,
  ];
  await w.moto.setRoot({ accountId: member, accessKeysPresent: true });
}, 60_000);
afterAll(async () => {
  await w?.stop();
  await store.close();
});

async function rootSummary() {
  const iam = new IAMClient({
    endpoint: w.moto.endpoint,
    region: 'us-east-1',
    credentials: await memberAdmin(w.moto, member),
    maxAttempts: 1,
  });
  const { SummaryMap = {} } = await iam.send(new GetAccountSummaryCommand({}));
  return { password: SummaryMap.AccountPasswordPresent, keys: SummaryMap.AccountAccessKeysPresent };
}

const press = (userId: string, responseId: string, account = member) =>
  w.press({
    userId,
    actionId: ROOT_DELETE_ACTION,
    value: account,
    channelId: SECURITY_CHANNEL,
    messageTs: '1700000000.000100',
    blockId: `mfa_root_delete_${account}`,
    responseId,
  });

describe('"Delete root credentials"', () => {
  it("refuses a non-approver's press and changes nothing", async () => {
    await w.moto.resetCalls();
    expect((await press(ANN, 'not-approver')).status).toBe(200);
    const [reply] = await w.responses.waitFor('not-approver');
    expect(reply!.body).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(reply!.body)).toContain('Only approvers can delete root credentials');
    expect((await w.moto.calls()).sts?.AssumeRoot).toBeUndefined();
    expect(await rootSummary()).toEqual({ password: 1, keys: 1 });
  });

  it('deletes for an approver through AssumeRoot; the channel is told who did it and that root is n/a', async () => {
    expect((await press(ADMIN, 'approver')).status).toBe(200);
    const [reply] = await w.responses.waitFor('approver', 1, 30_000);
    const text = JSON.stringify(reply!.body);
    expect(reply!.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(text).toContain(`Root credentials of account \`${member}\``);
    expect(text).toContain(`deleted by <@${ADMIN}>`);
    expect(text).toContain('the password, 1 access key');
    expect(text).toContain('not applicable');
    expect((await w.moto.calls()).sts?.AssumeRoot).toBe(1);
    expect(await rootSummary()).toEqual({ password: 0, keys: 0 });
    expect(w.logs.join('\n')).toMatch(/audit user=UADMIN00001 action=".*Delete root credentials.*" .*result="deleted"/);
  });

  it('two approvers at once: one deletion; the other is told who deleted them and when', async () => {
    await w.moto.setRoot({ accountId: second, accessKeysPresent: true });
    await w.moto.resetCalls();
    const [a, b] = await Promise.all([press(ADMIN, 'race-a', second), press(GROUP_ADMIN, 'race-b', second)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const [ra] = await w.responses.waitFor('race-a', 1, 30_000);
    const [rb] = await w.responses.waitFor('race-b', 1, 30_000);
    const texts = [JSON.stringify(ra!.body), JSON.stringify(rb!.body)];
    const deleted = texts.filter((t) => t.includes(':wastebasket:'));
    const already = texts.filter((t) => /already (being )?deleted by <@/.test(t));
    expect(deleted).toHaveLength(1);
    expect(already).toHaveLength(1);
    const winner = deleted[0]!.includes(`deleted by <@${ADMIN}>`) ? ADMIN : GROUP_ADMIN;
    expect(already[0]).toContain(`by <@${winner}>`);
    expect(already[0]).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect((await w.moto.calls()).sts?.AssumeRoot).toBe(1);
    expect(await store.delivery(rootDeletionKey(second))).toMatchObject({ state: 'sent', by: winner });
  });
});
