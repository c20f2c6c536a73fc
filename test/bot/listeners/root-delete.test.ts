import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import { deleteMemberRootCredentials } from '../../../src/jobs/root-delete.js';
import { encodeRootDeleteValue, ROOT_DELETE_ACTION, ROOT_DELETE_MODAL } from '../../../src/slack/blocks/root-delete.js';
import { rootDeletionKey } from '../../../src/store/root-deletion-key.js';
import { SqliteStateStore } from '../../../src/store/sqlite/sqlite-store.js';
import { motoClients } from '../../support/aws.js';
import { createOrganization, MANAGEMENT_CREDENTIALS, memberRootSummary } from '../../support/org.js';
import { until } from '../../support/until.js';
import {
  ADMIN,
  ANN,
  BASE_CONFIG,
  GROUP_ADMIN,
  SECURITY_CHANNEL,
  startBotWorld,
  type BotWorld,
} from '../harness/bot.js';
import { viewSubmission } from '../harness/payloads.js';

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

const rootSummary = (accountId = member) => memberRootSummary(w.moto, accountId);

/** An Organizations name that must reach Slack as text, never as markup. */
const NAME = 'Payments <!channel> & co';

const press = (userId: string, responseId: string, account = member) =>
  w.press({
    userId,
    actionId: ROOT_DELETE_ACTION,
    value: encodeRootDeleteValue({ accountId: account, alias: 'payments-prod', name: NAME }),
    channelId: SECURITY_CHANNEL,
    messageTs: '1700000000.000100',
    blockId: `mfa_root_delete_${account}`,
    responseId,
  });

const submit = (userId: string, privateMetadata: string) =>
  w.post({
    form: {
      payload: JSON.stringify(viewSubmission({ userId, callbackId: ROOT_DELETE_MODAL, privateMetadata, values: {} })),
    },
  });

/** Presses the button as `userId` and returns the modal Slack opened. */
async function openModal(userId: string, responseId: string, account = member) {
  const before = w.slack.workspace.openedViews.length;
  expect((await press(userId, responseId, account)).status).toBe(200);
  await until(() => w.slack.workspace.openedViews.length > before);
  return w.slack.workspace.openedViews[before]!.view as { private_metadata: string; blocks: unknown[] };
}

const outcomes = (account: string) =>
  w.slack
    .messages({ channel: SECURITY_CHANNEL })
    .filter((m) => (m.text ?? '').includes(`Root credentials of account`) && (m.text ?? '').includes(account));

describe('"Delete root credentials"', () => {
  it("refuses a non-approver's press: no modal, nothing changes", async () => {
    await w.moto.resetCalls();
    const opened = w.slack.workspace.openedViews.length;
    expect((await press(ANN, 'not-approver')).status).toBe(200);
    const [reply] = await w.responses.waitFor('not-approver');
    expect(reply!.body).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(reply!.body)).toContain('Only approvers can delete root credentials');
    expect(w.slack.workspace.openedViews).toHaveLength(opened);
    expect((await w.moto.calls()).sts?.AssumeRoot).toBeUndefined();
    expect(await rootSummary()).toEqual({ password: 1, keys: 1 });
  });

  it('an approver gets a modal naming the account and what goes; nothing is deleted before submission', async () => {
    await w.moto.resetCalls();
    const modal = await openModal(ADMIN, 'modal');
    expect(modal).toMatchObject({ type: 'modal', callback_id: ROOT_DELETE_MODAL, submit: { text: 'Delete' } });
    const text = JSON.stringify(modal.blocks);
    expect(text).toContain(`\`${member}\` (payments-prod · Payments &lt;!channel&gt; &amp; co)`);
    expect(text).not.toContain('<!channel>');
    for (const what of ['password (login profile)', 'access keys', 'signing certificates', 'deactivate its MFA'])
      expect(text).toContain(what);
    expect(text).toContain('mfa-bot cannot undo this');
    expect(JSON.parse(modal.private_metadata)).toMatchObject({ a: member, c: SECURITY_CHANNEL });
    expect((await w.moto.calls()).sts?.AssumeRoot).toBeUndefined();
    expect(await rootSummary()).toEqual({ password: 1, keys: 1 });
  });

  it('a submission by a non-approver is refused in the modal and deletes nothing', async () => {
    const modal = await openModal(ADMIN, 'modal-for-ann');
    await w.moto.resetCalls();
    const res = await submit(ANN, modal.private_metadata);
    expect(await res.json()).toMatchObject({
      response_action: 'update',
      view: { blocks: [{ text: { text: expect.stringContaining('Only approvers') } }] },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await w.moto.calls()).sts?.AssumeRoot).toBeUndefined();
    expect(outcomes(member)).toEqual([]);
    expect(await rootSummary()).toEqual({ password: 1, keys: 1 });
  });

  it('submitted by an approver: deleted through AssumeRoot; the channel is told who and that root is n/a', async () => {
    const modal = await openModal(ADMIN, 'approver');
    await w.moto.resetCalls();
    const res = await submit(ADMIN, modal.private_metadata);
    expect(res.status).toBe(200);
    // The modal stays open, saying what is under way and where the outcome goes.
    const underWay = JSON.stringify(((await res.json()) as { response_action: string; view: unknown }).view);
    expect(underWay).toContain(`Deleting the root user's credentials of account \`${member}\``);
    expect(underWay).toContain(`posted in <#${SECURITY_CHANNEL}>`);
    await until(() => outcomes(member).length === 1, 30_000);
    const text = outcomes(member)[0]!.text!;
    expect(text).toContain(`deleted by <@${ADMIN}>`);
    expect(text).toContain('the password, 1 access key');
    expect(text).toContain('not applicable');
    expect((await w.moto.calls()).sts?.AssumeRoot).toBe(1);
    expect(await rootSummary()).toEqual({ password: 0, keys: 0 });
    expect(w.logs.join('\n')).toMatch(/audit user=UADMIN00001 action=".*Delete root credentials.*" .*result="deleted"/);
  });

  it('two approvers submit at once: one deletion; the other is told who deleted them and when', async () => {
    await w.moto.setRoot({ accountId: second, accessKeysPresent: true });
    const a = await openModal(ADMIN, 'race-a', second);
    const b = await openModal(GROUP_ADMIN, 'race-b', second);
    await w.moto.resetCalls();
    const answers = await Promise.all([submit(ADMIN, a.private_metadata), submit(GROUP_ADMIN, b.private_metadata)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    await until(() => outcomes(second).length === 2, 30_000);
    const texts = outcomes(second).map((m) => m.text!);
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
