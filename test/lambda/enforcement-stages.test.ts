// "7 more days" and the key-use guard rail, end to end: the Lambda handlers over the DynamoDB state on moto, the
// fake Slack, and access keys really used (moto records a key's last use in the credential report, as AWS does).
import { CreateAccessKeyCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { runScheduled } from '../../src/lambda/scheduled.js';
import { runWorker } from '../../src/lambda/worker.js';
import { ENFORCE_ACTION_IDS } from '../../src/slack/blocks/ids.js';
import { answerText } from '../bot/harness/bot.js';
import { MOTO_ACCOUNT } from '../support/aws.js';
import { useMoto } from '../support/use-moto.js';
import {
  attached,
  DAY,
  dmsTo,
  enforcementWorld,
  LIMITED,
  messageAt,
  POLICY_ARN,
  pressButton,
  requests,
  setDay,
} from './enforcement-world.js';
import { scheduledEvent } from './events.js';
import { ADMIN, ANN, BOB, LAMBDA_USERS, MONDAY_10, type LambdaWorld } from './world.js';

const moto = useMoto();
let world: LambdaWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const NO_WAIT = { enabled: true, afterDays: 0, finalNoticeDays: 0 } as const;
const minutes = (w: LambdaWorld, n: number) => setDay(moto, w, n / 1440);

/** Runs the scheduled nudge pass at Monday 10:00 plus each of `at` minutes. */
async function nudgePasses(w: LambdaWorld, ...at: number[]): Promise<void> {
  for (const n of at) {
    await minutes(w, n);
    await runScheduled(scheduledEvent('nudges'), w.runtime);
  }
}

/** Gives `userName` an access key and signs one request with it, `daysAgo` days before Monday 10:00 (AWS's clock). */
async function useAccessKey(w: LambdaWorld, userName: string, daysAgo: number): Promise<void> {
  const { AccessKey } = await w.runtime.aws.iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  await moto.setClock(new Date(MONDAY_10.getTime() - daysAgo * DAY));
  const asUser = new IAMClient({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
    maxAttempts: 1,
  });
  await asUser.send(new GetUserCommand({}));
  await moto.setClock(MONDAY_10);
}

describe('"7 more days", end to end', () => {
  it('postpones the request a week (approvers only); then the request is made again and can be decided', async () => {
    const w = (world = await enforcementWorld(moto, NO_WAIT));
    await runScheduled(scheduledEvent('scan'), w.runtime);
    await nudgePasses(w, 1, 2);
    expect(requests(w)).toHaveLength(1);
    const first = requests(w)[0]!;

    await pressButton(w, { actionId: ENFORCE_ACTION_IDS.postpone, userId: BOB, responseId: 'by-bob', ts: first.ts });
    expect(answerText((await w.responses.waitFor('by-bob'))[0]!.body)).toContain('Only approvers can decide');
    expect(messageAt(w, first.ts).edited).toBeFalsy();

    await minutes(w, 3);
    await pressButton(w, { actionId: ENFORCE_ACTION_IDS.postpone, userId: ADMIN, responseId: 'week', ts: first.ts });
    const postponed = JSON.stringify(messageAt(w, first.ts).blocks);
    expect(postponed).toMatch(new RegExp(`7 more days\\* granted by <@${ADMIN}> .*asked again on 2026-11-30`));
    // The edit still names the person as the request did.
    expect(postponed).toContain(`<@${ANN}> \`ann.smith\``);
    expect(postponed).not.toContain('"type":"actions"');

    // Within the week: nothing is asked again, and nothing is attached.
    for (const days of [1, 3, 6.9]) {
      await setDay(moto, w, days);
      await runScheduled(scheduledEvent('scan'), w.runtime);
    }
    expect(requests(w)).toHaveLength(1);
    expect(await attached(w)).toEqual([]);

    // The week is over: the request again, a new message with the buttons.
    await setDay(moto, w, 7.01);
    await runScheduled(scheduledEvent('nudges'), w.runtime);
    expect(requests(w)).toHaveLength(2);
    const second = requests(w)[1]!;
    expect(second.ts).not.toBe(first.ts);
    expect(JSON.stringify(second.blocks)).toContain(`"action_id":"${ENFORCE_ACTION_IDS.enforce}"`);
    await runScheduled(scheduledEvent('nudges'), w.runtime);
    expect(requests(w)).toHaveLength(2);

    await pressButton(w, { actionId: ENFORCE_ACTION_IDS.enforce, userId: ADMIN, responseId: 'now', ts: second.ts });
    expect(await attached(w)).toEqual([POLICY_ARN]);
    expect(dmsTo(w, LIMITED)).toHaveLength(1);
    expect(JSON.stringify(messageAt(w, second.ts).blocks)).toMatch(new RegExp(`Enforced\\* by <@${ADMIN}>`));
    const [c] = await w.runtime.store.cases({ userName: 'ann.smith', latestOnly: true });
    expect(c!.messages.filter((m) => /^enforcement-request/.test(m.step)).map((m) => m.step)).toEqual([
      'enforcement-request',
      'enforcement-request-2',
    ]);
  });
});

describe('the key-use guard rail, end to end', () => {
  const users = [
    ...LAMBDA_USERS,
    // Mapped to bob's Slack user: his keys were last used long ago.
    { name: 'old.keys', password: true, tags: { slack: BOB } },
  ];

  it('holds a user whose access key was used in the last 90 days; Enforce on them is refused, naming why', async () => {
    const w = (world = await enforcementWorld(moto, NO_WAIT, { users }));
    await useAccessKey(w, 'ann.smith', 5);
    await useAccessKey(w, 'old.keys', 120);
    await runScheduled(scheduledEvent('scan'), w.runtime);
    await nudgePasses(w, 1, 2, 3);
    expect(dmsTo(w, /Final notice/)).toHaveLength(0);
    // Keys last used 120 days ago do not count: that user goes through the stages.
    expect(dmsTo(w, /Final notice/, BOB)).toHaveLength(1);
    expect(requests(w).map((m) => m.text)).toEqual([expect.stringContaining('old.keys')]);
    expect(w.logs).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `enforcement HELD final-notice for ann\\.smith in ${MOTO_ACCOUNT}: has access keys used in the last 90 ` +
            'days \\(last on 2026-11-18\\).*enforcement\\.includeKeyUsers: true',
        ),
      ),
    );

    await pressButton(w, { actionId: ENFORCE_ACTION_IDS.enforce, userId: ADMIN, responseId: 'enforce-ann' });
    const reply = answerText((await w.responses.waitFor('enforce-ann'))[0]!.body);
    expect(reply).toContain('ann.smith is never enforced: has access keys used in the last 90 days');
    expect(reply).toContain('enforcement.includeKeyUsers: true');
    expect(await attached(w)).toEqual([]);
  });

  it('with includeKeyUsers: true, the request says what breaks before anyone decides; Enforce attaches', async () => {
    const w = (world = await enforcementWorld(moto, { ...NO_WAIT, includeKeyUsers: true }));
    await useAccessKey(w, 'ann.smith', 5);
    await runScheduled(scheduledEvent('scan'), w.runtime);
    await nudgePasses(w, 1, 2);
    expect(dmsTo(w, /Final notice/)).toHaveLength(1);
    const [request] = requests(w);
    const blocks = JSON.stringify(request!.blocks);
    expect(blocks).toContain('Active access keys used in the last 90 days.');
    expect(blocks).toContain('Their access keys (last used 2026-11-18) stop working for everything but MFA setup');
    expect(blocks).toContain('scripts and CI jobs with these keys will fail');
    expect(blocks).not.toContain('No access keys used in the last 90 days');

    await pressButton(w, { actionId: ENFORCE_ACTION_IDS.enforce, userId: ADMIN, responseId: 'go', ts: request!.ts });
    expect(await attached(w)).toEqual([POLICY_ARN]);
    expect(dmsTo(w, LIMITED, ANN)).toHaveLength(1);
    // The decided request says nothing about keys any more rather than something untrue.
    const decided = JSON.stringify(messageAt(w, request!.ts).blocks);
    expect(decided).toMatch(new RegExp(`Enforced\\* by <@${ADMIN}>`));
    expect(decided).not.toContain('No access keys used');
  });
});

describe('enforcement.maxPerRun caps the Enforce button too, per account and UTC day', () => {
  it("a press beyond the day's cap is refused, naming the setting; the next day it goes through", async () => {
    const users = [...LAMBDA_USERS, { name: 'carl.ops', password: true, tags: { slack: BOB } }];
    const w = (world = await enforcementWorld(moto, { ...NO_WAIT, maxPerRun: 1 }, { users }));
    await runScheduled(scheduledEvent('scan'), w.runtime);
    // One request per run and account: the second waits for the next run.
    await nudgePasses(w, 1, 2);
    expect(requests(w)).toHaveLength(1);
    expect(w.logs).toContainEqual(expect.stringMatching(/HELD enforcement-request .*enforcement\.maxPerRun \(1\)/));
    await nudgePasses(w, 3);
    expect(requests(w)).toHaveLength(2);
    const requestOf = (user: string) => requests(w).find((m) => m.text.includes(user))!;
    const carl = { accountId: MOTO_ACCOUNT, userName: 'carl.ops' };

    await pressButton(w, { actionId: ENFORCE_ACTION_IDS.enforce, userId: ADMIN, responseId: 'ann' });
    expect(await attached(w)).toEqual([POLICY_ARN]);
    const enforceCarl = (responseId: string) =>
      pressButton(w, {
        actionId: ENFORCE_ACTION_IDS.enforce,
        userId: ADMIN,
        responseId,
        ts: requestOf('carl.ops').ts,
        ref: carl,
      });
    await enforceCarl('carl-today');
    expect(answerText((await w.responses.waitFor('carl-today'))[0]!.body)).toContain(
      `enforcement.maxPerRun (1) is reached in account ${MOTO_ACCOUNT} today (2026-11-23, UTC): 1 enforced ` +
        'already, by runs and presses. Press again tomorrow, or raise enforcement.maxPerRun in the config.',
    );
    expect(await attached(w, 'carl.ops')).toEqual([]);
    expect(messageAt(w, requestOf('carl.ops').ts).edited).toBeFalsy();
    expect(dmsTo(w, LIMITED, BOB)).toHaveLength(0);

    // The next UTC day (Tuesday 00:30) the cap starts again.
    await setDay(moto, w, 14.5 / 24);
    await enforceCarl('carl-tomorrow');
    expect(await attached(w, 'carl.ops')).toEqual([POLICY_ARN]);
    expect(dmsTo(w, LIMITED, BOB)).toHaveLength(1);
  });

  it('two Enforce decisions at once in one container: one goes through, the other meets the cap', async () => {
    const users = [...LAMBDA_USERS, { name: 'carl.ops', password: true, tags: { slack: BOB } }];
    const w = (world = await enforcementWorld(moto, { ...NO_WAIT, maxPerRun: 1 }, { users }));
    await runScheduled(scheduledEvent('scan'), w.runtime);
    await nudgePasses(w, 1, 2, 3);
    expect(requests(w)).toHaveLength(2);
    const decide = (userName: string) =>
      runWorker(
        {
          kind: 'enforcement',
          decision: 'enforce',
          ref: { accountId: MOTO_ACCOUNT, userName },
          approverId: ADMIN,
          responseUrl: w.responses.url(userName),
        },
        w.runtime,
      );
    await Promise.all([decide('ann.smith'), decide('carl.ops')]);
    const enforced = [...(await attached(w, 'ann.smith')), ...(await attached(w, 'carl.ops'))];
    expect(enforced).toEqual([POLICY_ARN]);
    const refused = [...w.responses.for('ann.smith'), ...w.responses.for('carl.ops')];
    expect(refused.map((r) => answerText(r.body))).toEqual([
      expect.stringContaining('enforcement.maxPerRun (1) is reached'),
    ]);
  });
});
