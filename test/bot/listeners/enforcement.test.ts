// Enforcement end to end: moto (real SDK), the fake Slack (real HTTP), the bot's buttons and the nudge pass.
import { until } from '../../support/until.js';
import { ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserPolicyAttachment } from '../../../src/aws/user-policy.js';
import { parseConfig } from '../../../src/config/load.js';
import type { ConfigInput } from '../../../src/config/schema.js';
import { runNudgePass } from '../../../src/jobs/nudge-pass.js';
import { runCycle } from '../../../src/jobs/cycle.js';
import { renderPlanText } from '../../../src/cli/render-plan.js';
import { ACTION_IDS, ENFORCE_ACTION_IDS, encodeButtonValue } from '../../../src/slack/blocks/ids.js';
import { createSlackApi } from '../../../src/slack/client.js';
import type { StateStore } from '../../../src/store/store.js';
import { createRequireMfaPolicy, enableVirtualMfa, MOTO_ACCOUNT, motoClients } from '../../support/aws.js';
import {
  ADMIN,
  ANN,
  answerText,
  BASE_CONFIG,
  BOB,
  SECURITY_CHANNEL,
  startBotWorld,
  type BotWorld,
} from '../harness/bot.js';
import { viewSubmission } from '../harness/payloads.js';

const DAY = 86_400_000;
const POLICY_ARN = `arn:aws:iam::${MOTO_ACCOUNT}:policy/MfaBotRequireMfa`;
const CONFIG: ConfigInput = {
  ...BASE_CONFIG,
  slack: { ...BASE_CONFIG.slack, securityChannel: SECURITY_CHANNEL },
  nudges: {
    enabled: true,
    workingHours: { start: '00:00', end: '24:00', days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
  },
  enforcement: { enabled: true, afterDays: 1, finalNoticeDays: 1 },
};

let w: BotWorld;
let started: number;
beforeAll(async () => {
  w = await startBotWorld({ config: CONFIG });
  started = Date.now();
  await createRequireMfaPolicy(motoClients(w.moto).iam);
});
afterAll(async () => {
  await w?.stop();
});

const store = (): StateStore => w.server.store!;
const annSmith = encodeButtonValue({ accountId: MOTO_ACCOUNT, userName: 'ann.smith' });
const config = () => parseConfig(CONFIG);

async function pass(days: number) {
  const slack = createSlackApi({ token: w.slack.botToken, apiUrl: w.slack.url });
  const iam = motoClients(w.moto).iam;
  return runNudgePass({
    store: store(),
    slack,
    config: config(),
    now: () => new Date(started + days * DAY),
    iamFor: async (id) => (id === MOTO_ACCOUNT ? iam : undefined),
    selfArns: [],
  });
}

async function attached(userName: string): Promise<string[]> {
  const out = await motoClients(w.moto).iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }));
  return (out.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '');
}

const dmTexts = () => w.slack.dmsTo(ANN).map((m) => m.text ?? '');
const requests = () =>
  w.slack.messages({ channel: SECURITY_CHANNEL }).filter((m) => /Enforcement request/.test(m.text ?? ''));

async function press(actionId: string, presser: string, id: string, ts: string) {
  const res = await w.press({
    userId: presser,
    actionId,
    value: annSmith,
    channelId: SECURITY_CHANNEL,
    messageTs: ts,
    responseId: id,
    blockId: 'mfa_enforcement_actions',
  });
  expect(res.status).toBe(200);
}

/** Presses a button (on ann.smith) on a message the bot posted to `user`. */
async function pressOnAMessage(world: BotWorld, user: string, actionId: string, responseId: string) {
  const message = await world.postNudge(user);
  const value = annSmith;
  await world.press({ userId: user, actionId, value, channelId: message.channel, messageTs: message.ts, responseId });
}

describe('enforcement, end to end', () => {
  it('a user nudged past the deadline gets the final notice, then the request in the security channel', async () => {
    await pass(0);
    expect(dmTexts().filter((t) => /no MFA yet/.test(t))).toHaveLength(1);
    await pass(0.5);
    expect(dmTexts().some((t) => /Final notice/.test(t))).toBe(false);
    await pass(1);
    const notices = dmTexts().filter((t) => /Final notice/.test(t));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /on \d{1,2} [A-Z][a-z]{2} your console permissions as ann\.smith .* limited to setting up MFA/,
    );
    await pass(1.5);
    expect(requests()).toHaveLength(0);
    // --dry-run with approval auto at the deadline: the enforcement is shown, and nothing is written anywhere.
    const sent = new Set<string>();
    const aws = motoClients(w.moto);
    aws.iam.middlewareStack.add(
      (next, context) => (args) => {
        sent.add(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    const posts = w.slack.countCalls('chat.postMessage') + w.slack.countCalls('chat.update');
    const preview = await runCycle(
      {
        aws,
        slack: createSlackApi({ token: w.slack.botToken, apiUrl: w.slack.url }),
        config: parseConfig({
          ...CONFIG,
          enforcement: { enabled: true, afterDays: 1, finalNoticeDays: 1, approval: 'auto' },
        }),
        store: store(),
        now: () => new Date(started + 2 * DAY),
      },
      { dryRun: true },
    );
    expect(renderPlanText(preview.plan)).toMatch(
      /ATTACH the require-MFA policy → ann\.smith in \d{12} \(decided by auto\)/,
    );
    expect([...sent].filter((c) => /Attach|Detach|Put|Create|Delete/.test(c))).toEqual([]);
    expect(w.slack.countCalls('chat.postMessage') + w.slack.countCalls('chat.update')).toBe(posts);
    expect(await attached('ann.smith')).toEqual([]);
    await pass(2);
    expect(requests()).toHaveLength(1);
    const blocks = JSON.stringify(requests()[0]!.blocks);
    expect(blocks).toContain(`<@${ANN}>`);
    expect(blocks).toContain('No access keys used in the last 90 days');
    for (const id of Object.values([
      ENFORCE_ACTION_IDS.enforce,
      ENFORCE_ACTION_IDS.postpone,
      ENFORCE_ACTION_IDS.exempt,
    ]))
      expect(blocks).toContain(id);
    await pass(3);
    expect(requests()).toHaveLength(1);
  });

  it("a non-approver's press is refused, ephemerally, and changes nothing", async () => {
    const request = requests()[0]!;
    await press(ENFORCE_ACTION_IDS.enforce, BOB, 'enforce-by-bob', request.ts);
    const [reply] = await w.responses.waitFor('enforce-by-bob');
    expect(reply!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answerText(reply!.body)).toContain('Only approvers can decide');
    expect(await attached('ann.smith')).toEqual([]);
    expect(w.slack.messages({ channel: SECURITY_CHANNEL }).find((m) => m.ts === request.ts)?.edited).toBeFalsy();
    expect(
      await store().delivery({
        type: 'case',
        case: { accountId: MOTO_ACCOUNT, userName: 'ann.smith', cycle: 1 },
        step: 'enforced',
      }),
    ).toBeUndefined();
  });

  it('Enforce attaches exactly the policy, edits the request with who and when, and DMs the person once', async () => {
    const request = requests()[0]!;
    await press(ENFORCE_ACTION_IDS.enforce, ADMIN, 'enforce-by-admin', request.ts);
    await until(() => dmTexts().some((t) => /now limited to setting up MFA/.test(t)));
    expect(await attached('ann.smith')).toEqual([POLICY_ARN]);
    const edited = w.slack.messages({ channel: SECURITY_CHANNEL }).find((m) => m.ts === request.ts)!;
    expect(edited.edited).toBe(true);
    expect(JSON.stringify(edited.blocks)).toMatch(new RegExp(`Enforced\\* by <@${ADMIN}> on \\d{4}-\\d\\d-\\d\\d`));
    expect(JSON.stringify(edited.blocks)).toContain(ENFORCE_ACTION_IDS.lift);
    const [c] = await store().cases({ userName: 'ann.smith', latestOnly: true });
    expect(c!.messages.find((m) => m.step === 'enforced')).toMatchObject({ state: 'sent', by: ADMIN });
    // A second press and the next runs change nothing and send nothing more.
    await press(ENFORCE_ACTION_IDS.enforce, ADMIN, 'enforce-again', request.ts);
    expect(answerText((await w.responses.waitFor('enforce-again'))[0]!.body)).toContain('already enforced');
    await pass(3.5);
    expect(dmTexts().filter((t) => /now limited to setting up MFA/.test(t))).toHaveLength(1);
    expect(await attached('ann.smith')).toEqual([POLICY_ARN]);
    // The digest says who is enforced now.
    const cycle = await runCycle(
      { aws: motoClients(w.moto), config: config(), store: store(), now: () => new Date(started + 3.6 * DAY) },
      { dryRun: true },
    );
    expect(JSON.stringify(cycle.plan.digest!.blocks)).toMatch(/Enforcement.*1 user enforced now: `ann\.smith`/);
  });

  it('turning MFA on detaches the policy, edits the request to "lifted" and thanks once', async () => {
    await enableVirtualMfa(motoClients(w.moto).iam, 'ann.smith');
    // The person's "check again" button on a nudge: a live check that finds MFA on.
    await pressOnAMessage(w, ANN, ACTION_IDS.recheck, 'recheck');
    await until(
      async () => (await store().cases({ userName: 'ann.smith', latestOnly: true }))[0]?.resolution === 'fixed',
    );
    // Detached at once by the live check, not at the next run.
    await until(async () => (await attached('ann.smith')).length === 0);
    await pass(4);
    expect(await attached('ann.smith')).toEqual([]);
    const request = requests()[0]!;
    expect(
      JSON.stringify(w.slack.messages({ channel: SECURITY_CHANNEL }).find((m) => m.ts === request.ts)!.blocks),
    ).toContain('Lifted');
    const digest = await runCycle(
      { aws: motoClients(w.moto), config: config(), store: store(), now: () => new Date(started + 4.5 * DAY) },
      { dryRun: true },
    );
    expect(JSON.stringify(digest.plan.digest!.blocks)).toMatch(/lifted since the last digest: `ann\.smith`/);
    await pass(5);
    const thanks = w.slack.messages({}).filter((m) => /Thank you! MFA is now on/.test(m.text ?? ''));
    expect(thanks).toHaveLength(1);
    const history = await store().cases({ userName: 'ann.smith', latestOnly: true });
    expect(history[0]!.messages.filter((m) => m.step === 'lifted')).toMatchObject([{ state: 'sent', by: 'mfa-on' }]);
  });
});

describe('enforcement with approval auto: a crash between the attach and its record, and Lift', () => {
  let auto: BotWorld;
  let t0: number;
  const autoConfig: ConfigInput = {
    ...CONFIG,
    enforcement: { enabled: true, approval: 'auto', afterDays: 0, finalNoticeDays: 0 },
  };
  beforeAll(async () => {
    auto = await startBotWorld({ config: autoConfig });
    t0 = Date.now();
    await createRequireMfaPolicy(motoClients(auto.moto).iam);
  });
  afterAll(async () => {
    await auto?.stop();
  });

  const autoPass = (minutes: number) =>
    runNudgePass({
      store: auto.server.store!,
      slack: createSlackApi({ token: auto.slack.botToken, apiUrl: auto.slack.url }),
      config: parseConfig(autoConfig),
      now: () => new Date(t0 + minutes * 60_000),
      iamFor: async () => motoClients(auto.moto).iam,
      selfArns: [],
    });
  const limitedDms = () => auto.slack.dmsTo(ANN).filter((m) => /now limited to setting up MFA/.test(m.text ?? ''));
  const attachedHere = async () =>
    (
      (await motoClients(auto.moto).iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'ann.smith' })))
        .AttachedPolicies ?? []
    ).map((p) => p.PolicyArn);

  it('the next run finds the policy attached, records it, and sends the DM once', async () => {
    await autoPass(0); // the first nudge
    await autoPass(1); // the final notice (0 days: no wait)
    expect(auto.slack.dmsTo(ANN).filter((m) => /Final notice/.test(m.text ?? ''))).toHaveLength(1);
    // A run claims the enforcement, attaches the policy and dies before recording it.
    const key = { accountId: MOTO_ACCOUNT, userName: 'ann.smith', cycle: 1 };
    const claim = await auto.server.store!.claim({
      key: { type: 'case', case: key, step: 'enforced' },
      kind: 'enforced',
      recipient: 'iam:ann.smith',
      claimId: 'crashed-run',
      at: new Date(t0 + 2 * 60_000),
      by: 'auto',
    });
    expect(claim.claimed).toBe(true);
    const iam = motoClients(auto.moto).iam;
    await new UserPolicyAttachment(iam, {
      accountId: MOTO_ACCOUNT,
      partition: 'aws',
      policyName: 'MfaBotRequireMfa',
    }).attach('ann.smith');
    // Within the claim's lease nothing is decided again.
    await autoPass(3);
    expect(limitedDms()).toHaveLength(0);
    // After the lease: the attached policies say it happened.
    const later = await autoPass(10);
    expect(later.recovered).toMatchObject([{ outcome: 'found-sent', claim: { kind: 'enforced' } }]);
    expect(await auto.server.store!.delivery({ type: 'case', case: key, step: 'enforced' })).toMatchObject({
      state: 'sent',
      claimId: 'crashed-run',
      by: 'auto',
    });
    expect(limitedDms()).toHaveLength(1);
    await autoPass(20);
    expect(limitedDms()).toHaveLength(1);
    expect(await attachedHere()).toEqual([POLICY_ARN]);
  });

  it('Lift by a non-approver is refused; by an approver it detaches and is recorded with who', async () => {
    const pressLift = (user: string, id: string) => pressOnAMessage(auto, user, ENFORCE_ACTION_IDS.lift, id);
    await pressLift(ANN, 'lift-by-ann');
    expect(answerText((await auto.responses.waitFor('lift-by-ann'))[0]!.body)).toContain('Only approvers');
    expect(await attachedHere()).toEqual([POLICY_ARN]);
    await pressLift(ADMIN, 'lift-by-admin');
    // The press is answered before it is carried out: wait for the record, which follows the detach.
    const liftedStep = async () =>
      (await auto.server.store!.cases({ userName: 'ann.smith', latestOnly: true }))[0]!.messages.find(
        (m) => m.step === 'lifted',
      );
    await until(async () => (await liftedStep())?.state === 'sent');
    expect(await attachedHere()).toEqual([]);
    const [c] = await auto.server.store!.cases({ userName: 'ann.smith', latestOnly: true });
    expect(c!.messages.find((m) => m.step === 'lifted')).toMatchObject({ state: 'sent', by: ADMIN });
    // Lifted by hand while MFA is still off: no thank-you, and no second enforcement this cycle.
    await autoPass(30);
    expect(await attachedHere()).toEqual([]);
    expect(auto.slack.dmsTo(ANN).filter((m) => /Thank you/.test(m.text ?? ''))).toHaveLength(0);
  });

  it('Exempt… opens the modal; its submission keeps the exemption, with who granted it; scans apply it', async () => {
    await pressOnAMessage(auto, ADMIN, ENFORCE_ACTION_IDS.exempt, 'exempt-open');
    await until(() => auto.slack.workspace.openedViews.length === 1);
    const modal = auto.slack.workspace.openedViews[0]!.view;
    expect(modal).toMatchObject({ callback_id: ENFORCE_ACTION_IDS.exemptModal, private_metadata: annSmith });
    const submit = (userId: string) =>
      auto.post({
        form: {
          payload: JSON.stringify(
            viewSubmission({
              userId,
              callbackId: ENFORCE_ACTION_IDS.exemptModal,
              privateMetadata: annSmith,
              values: {
                mfa_exempt_reason_block: { mfa_exempt_reason: { type: 'plain_text_input', value: 'on leave' } },
                mfa_exempt_expiry_block: { mfa_exempt_expiry: { type: 'datepicker', selected_date: '2099-06-30' } },
              },
            }),
          ),
        },
      });
    // A non-approver's submission is refused in the modal and keeps nothing.
    const refused = await submit(ANN);
    expect(await refused.json()).toMatchObject({ response_action: 'errors' });
    expect(await auto.server.store!.grantedExemptions()).toEqual([]);
    await submit(ADMIN);
    await until(async () => (await auto.server.store!.grantedExemptions()).length === 1);
    expect((await auto.server.store!.grantedExemptions())[0]).toMatchObject({
      account: MOTO_ACCOUNT,
      principal: 'ann.smith',
      reason: 'on leave',
      expires: new Date('2099-07-01T00:00:00Z'),
      grantedBy: ADMIN,
    });
    // The scan (here the run's, previewed) shows it like a config exemption, in the digest too.
    const cycle = await runCycle(
      {
        aws: motoClients(auto.moto),
        config: parseConfig(autoConfig),
        store: auto.server.store!,
        now: () => new Date(),
      },
      { dryRun: true },
    );
    const verdict = cycle.scan.accounts[0]!.verdicts.find(
      (v) => v.principal === 'ann.smith' && v.check === 'user-console-mfa',
    );
    expect(verdict).toMatchObject({ status: 'exempt', exemption: { reason: expect.stringContaining('on leave') } });
    expect(verdict!.exemption!.reason).toContain(`granted in Slack by ${ADMIN}`);
    expect(JSON.stringify(cycle.plan.digest!.blocks)).toContain('on leave');
  });
});

describe('enforcement guard rails, end to end: enforcement.never', () => {
  let glass: BotWorld;
  const glassConfig: ConfigInput = {
    ...CONFIG,
    identity: { map: { 'ops-glass': ANN } },
    enforcement: { enabled: true, approval: 'auto', afterDays: 0, finalNoticeDays: 0, never: ['/breakglass/'] },
  };
  beforeAll(async () => {
    glass = await startBotWorld({
      config: glassConfig,
      users: [{ name: 'ops-glass', password: true, path: '/breakglass/' }],
    });
    await createRequireMfaPolicy(motoClients(glass.moto).iam);
  });
  afterAll(async () => {
    await glass?.stop();
  });

  it('neither a run nor an approver limits a user under an IAM path in enforcement.never', async () => {
    const value = encodeButtonValue({ accountId: MOTO_ACCOUNT, userName: 'ops-glass' });
    const t0 = Date.now();
    let last: Awaited<ReturnType<typeof runNudgePass>> | undefined;
    for (const minutes of [0, 1, 2, 3]) {
      last = await runNudgePass({
        store: glass.server.store!,
        slack: createSlackApi({ token: glass.slack.botToken, apiUrl: glass.slack.url }),
        config: parseConfig(glassConfig),
        now: () => new Date(t0 + minutes * 60_000),
        iamFor: async () => motoClients(glass.moto).iam,
        selfArns: [],
      });
    }
    expect(glass.slack.dmsTo(ANN).filter((m) => /no MFA yet/.test(m.text ?? ''))).toHaveLength(1);
    expect(glass.slack.dmsTo(ANN).filter((m) => /Final notice/.test(m.text ?? ''))).toHaveLength(0);
    expect(last!.plan!.enforcement!.held).toMatchObject([
      { stage: 'final-notice', reason: 'listed in enforcement.never (/breakglass/)' },
    ]);
    const message = await glass.postNudge(ADMIN);
    await glass.press({
      userId: ADMIN,
      actionId: ENFORCE_ACTION_IDS.enforce,
      value,
      channelId: message.channel,
      messageTs: message.ts,
      responseId: 'enforce-glass',
    });
    const [reply] = await glass.responses.waitFor('enforce-glass');
    expect(answerText(reply!.body)).toContain('is never enforced: listed in enforcement.never (/breakglass/)');
    const out = await motoClients(glass.moto).iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'ops-glass' }));
    expect(out.AttachedPolicies ?? []).toEqual([]);
  });
});
