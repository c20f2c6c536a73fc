import { afterEach, describe, expect, it } from 'vitest';
import { runWorker } from '../../src/lambda/worker.js';
import { runScheduled } from '../../src/lambda/scheduled.js';
import {
  decodeRootDeleteValue,
  encodeRootDeleteValue,
  ROOT_DELETE_ACTION,
  ROOT_DELETE_MODAL,
} from '../../src/slack/blocks/root-delete.js';
import { MOTO_ACCOUNT, useMotoEnv } from '../support/aws.js';
import { createOrganization, memberRootSummary } from '../support/org.js';
import { useMoto } from '../support/use-moto.js';
import { answerText } from '../bot/harness/bot.js';
import { blockActions, slashCommand, viewSubmission } from '../bot/harness/payloads.js';
import { httpApiEvent, scheduledEvent } from './events.js';
import { ADMIN, ANN, BOB, SECURITY_CHANNEL, SIGNING_SECRET, startLambdaWorld, type LambdaWorld } from './world.js';

const moto = useMoto();
let world: LambdaWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const CONTEXT = {};

const rootSummary = (accountId: string) => memberRootSummary(moto, accountId);

/** A Slack interaction (button press or modal submission) through API Gateway to the slack function. */
async function interact(w: LambdaWorld, payload: Record<string, unknown>) {
  const handler = await w.slackHandler();
  return handler(httpApiEvent({ form: { payload: JSON.stringify(payload) } }, SIGNING_SECRET), CONTEXT);
}

function press(w: LambdaWorld, userId: string, accountId: string, responseId: string) {
  return interact(
    w,
    blockActions({
      userId,
      actionId: ROOT_DELETE_ACTION,
      value: encodeRootDeleteValue({ accountId, alias: 'payments-prod' }),
      responseUrl: w.responses.url(responseId),
      channelId: SECURITY_CHANNEL,
      messageTs: '1700000000.000100',
      blockId: `mfa_root_delete_${accountId}`,
    }),
  );
}

const submit = (w: LambdaWorld, userId: string, privateMetadata: string) =>
  interact(w, viewSubmission({ userId, callbackId: ROOT_DELETE_MODAL, privateMetadata, values: {} }));

/** An organization with root credentials management, whose one member's root has a password and an access key. */
async function memberWithRootCredentials(): Promise<string> {
  const { members } = await createOrganization(moto, { credentialsManagement: true });
  await moto.setRoot({ accountId: members[0]!, accessKeysPresent: true });
  // The Organizations client and the root sessions' endpoint come from the environment, as on Lambda.
  useMotoEnv(moto);
  return members[0]!;
}

/** The "Delete root credentials" buttons of an answer: the accounts they are for. */
function rootButtons(body: Record<string, unknown>): string[] {
  return ((body.blocks ?? []) as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.action_id === ROOT_DELETE_ACTION)
    .map((e) => decodeRootDeleteValue(e.value)!.accountId);
}

async function askRoot(w: LambdaWorld, userId: string, id: string) {
  const handler = await w.slackHandler();
  const res = await handler(
    httpApiEvent({ form: slashCommand('root', userId, w.responses.url(id)) }, SIGNING_SECRET),
    CONTEXT,
  );
  expect(res.statusCode).toBe(200);
  // Reading the root access is AWS calls: with an organization the slack function hands the answer to the worker.
  const handedOn = w.invoked.filter((t) => t.kind === 'check' && t.responseUrl === w.responses.url(id));
  expect(handedOn).toHaveLength(1);
  expect(w.responses.for(id)).toEqual([]);
  await runWorker(JSON.parse(JSON.stringify(handedOn[0])), w.runtime);
  return w.responses.for(id)[0]!.body;
}

describe('Lambda: /mfa-check root', () => {
  it("an approver gets the digest's button under each member root with credentials, not the management's", async () => {
    const member = await memberWithRootCredentials();
    const w = (world = await startLambdaWorld(moto, { config: { organization: { roleName: 'MfaBotAudit' } } }));
    await runScheduled(scheduledEvent('scan'), w.runtime);
    const answer = await askRoot(w, ADMIN, 'root-admin');
    expect(rootButtons(answer)).toEqual([member]);
    expect(answerText(answer)).toContain('Centralized root access: root credentials management on');
    expect(answerText(answer)).not.toContain(`\`${MOTO_ACCOUNT}\`: this member root needs no credentials`);
    // The answer's button is the digest's: it opens the same modal.
    expect((await press(w, ADMIN, member, 'from-answer')).statusCode).toBe(200);
    expect(w.slack.workspace.openedViews[0]?.view).toMatchObject({ callback_id: ROOT_DELETE_MODAL });
    // Not an admin: refused, no button.
    expect(rootButtons(await askRoot(w, ANN, 'root-ann'))).toEqual([]);
  });

  it('an admin who is not one of enforcement.approvers sees no button', async () => {
    await memberWithRootCredentials();
    const w = (world = await startLambdaWorld(moto, {
      config: { organization: { roleName: 'MfaBotAudit' }, enforcement: { approvers: [BOB] } },
    }));
    await runScheduled(scheduledEvent('scan'), w.runtime);
    const answer = await askRoot(w, ADMIN, 'root-not-approver');
    expect(answerText(answer)).toContain('Root users');
    expect(rootButtons(answer)).toEqual([]);
  });

  it('root credentials management off: no button', async () => {
    const { members } = await createOrganization(moto, { credentialsManagement: false });
    await moto.setRoot({ accountId: members[0]!, accessKeysPresent: true });
    useMotoEnv(moto);
    const w = (world = await startLambdaWorld(moto, { config: { organization: { roleName: 'MfaBotAudit' } } }));
    await runScheduled(scheduledEvent('scan'), w.runtime);
    const answer = await askRoot(w, ADMIN, 'root-off');
    expect(answerText(answer)).toContain('root credentials management off');
    expect(rootButtons(answer)).toEqual([]);
  });
});

describe('Lambda: "Delete root credentials"', () => {
  it(
    'the slack function opens the modal and hands the submission to the worker, which deletes through ' +
      'AssumeRoot and tells the channel who did it',
    async () => {
      const member = await memberWithRootCredentials();
      const w = (world = await startLambdaWorld(moto, { config: { organization: { roleName: 'MfaBotAudit' } } }));
      expect((await press(w, ADMIN, member, 'press')).statusCode).toBe(200);
      expect(w.responses.for('press')).toEqual([]);
      const [opened] = w.slack.workspace.openedViews;
      expect(opened?.view).toMatchObject({ callback_id: ROOT_DELETE_MODAL });
      expect(JSON.stringify(opened!.view)).toContain(`\`${member}\` (payments-prod)`);
      const metadata = opened!.view.private_metadata as string;

      // Someone who is not an approver: refused in the modal, nothing handed on.
      const refused = await submit(w, ANN, metadata);
      expect(JSON.parse(refused.body)).toMatchObject({ response_action: 'update' });
      expect(w.invoked).toEqual([]);

      await moto.resetCalls();
      expect((await submit(w, ADMIN, metadata)).statusCode).toBe(200);
      expect(w.invoked).toEqual([
        { kind: 'root-delete', accountId: member, approverId: ADMIN, channel: SECURITY_CHANNEL },
      ]);
      // Nothing runs after a Lambda response: the slack function itself deleted nothing.
      expect((await moto.calls()).sts?.AssumeRoot).toBeUndefined();

      await runWorker(JSON.parse(JSON.stringify(w.invoked[0])), w.runtime);
      expect((await moto.calls()).sts?.AssumeRoot).toBe(1);
      expect(await rootSummary(member)).toEqual({ password: 0, keys: 0 });
      const [outcome] = w.slack.messages({ channel: SECURITY_CHANNEL });
      expect(outcome!.text).toContain(`Root credentials of account \`${member}\``);
      expect(outcome!.text).toContain(`deleted by <@${ADMIN}>`);
      expect(outcome!.text).toContain('not applicable');
      expect(w.logs.join('\n')).toMatch(
        new RegExp(`audit user=${ADMIN} action="the \\\\"Delete root credentials\\\\" modal" .*result="deleted"`),
      );
    },
  );

  it('a button in a channel the bot is not in (a /mfa-check answer): the approver gets the outcome by DM', async () => {
    const member = await memberWithRootCredentials();
    const w = (world = await startLambdaWorld(moto, { config: { organization: { roleName: 'MfaBotAudit' } } }));
    w.slack.addChannel({ id: 'C0RANDOM001', name: 'random', botIsMember: false });
    await runWorker({ kind: 'root-delete', accountId: member, approverId: ADMIN, channel: 'C0RANDOM001' }, w.runtime);
    expect(await rootSummary(member)).toEqual({ password: 0, keys: 0 });
    expect(w.slack.messages({ channel: 'C0RANDOM001' })).toEqual([]);
    expect(w.slack.dmsTo(ADMIN).map((m) => m.text)).toEqual([expect.stringContaining(`deleted by <@${ADMIN}>`)]);
    expect(w.logs.join('\n')).toMatch(
      /could not post the outcome in C0RANDOM001 \(.*not_in_channel.*\); sending it to/,
    );
  });

  it('a worker task that is not well formed is ignored, and deletes nothing', async () => {
    const member = await memberWithRootCredentials();
    const w = (world = await startLambdaWorld(moto, { config: { organization: { roleName: 'MfaBotAudit' } } }));
    await moto.resetCalls();
    await runWorker({ kind: 'root-delete', accountId: member, approverId: ADMIN, channel: '<!channel>' }, w.runtime);
    expect((await moto.calls()).sts?.AssumeRoot).toBeUndefined();
    expect(w.logs.join('\n')).toContain('ignored a deferred task that is not one of ours');
  });

  it('without an organization section the press says where to delete instead, and opens no modal', async () => {
    const member = await memberWithRootCredentials();
    const w = (world = await startLambdaWorld(moto));
    expect((await press(w, ADMIN, member, 'no-org')).statusCode).toBe(200);
    expect(JSON.stringify(w.responses.for('no-org')[0]?.body)).toContain('IAM → Root access management');
    expect(w.slack.workspace.openedViews).toEqual([]);
  });
});
