// IAM user enforcement from the Lambda handlers, over the DynamoDB state table on moto (as deployed): the scheduled
// function's runs, the slack function's buttons (API Gateway events, signed) and the realtime function.
import { afterEach, describe, expect, it } from 'vitest';
import { runRealtime } from '../../src/lambda/realtime.js';
import { runScheduled } from '../../src/lambda/scheduled.js';
import { nudgeLog } from '../../src/report/nudge-log.js';
import { ENFORCE_ACTION_IDS } from '../../src/slack/blocks/ids.js';
import { answerText } from '../bot/harness/bot.js';
import { enableVirtualMfa, managedPolicyDocument, MOTO_ACCOUNT } from '../support/aws.js';
import { useMoto } from '../support/use-moto.js';
import {
  attached,
  dmsTo,
  edits,
  enforcementWorld,
  LIMITED,
  messageAt,
  POLICY_ARN,
  pressButton,
  requests,
  setDay,
  SHIPPED_POLICY,
} from './enforcement-world.js';
import { cloudTrailIamEvent, scheduledEvent } from './events.js';
import { ADMIN, BOB, MONDAY_10, SECURITY_CHANNEL, type LambdaWorld } from './world.js';

const moto = useMoto();
let world: LambdaWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

async function dynamoWorld(enforcement: Parameters<typeof enforcementWorld>[1]): Promise<LambdaWorld> {
  world = await enforcementWorld(moto, enforcement);
  return world;
}

const at = (w: LambdaWorld, days: number) => setDay(moto, w, days);
const press = (w: LambdaWorld, actionId: string, userId: string, responseId: string, ts?: string) =>
  pressButton(w, { actionId, userId, responseId, ...(ts ? { ts } : {}) });
const dms = (w: LambdaWorld, pattern: RegExp) => dmsTo(w, pattern);

describe('IAM user enforcement from the Lambda handlers, on the DynamoDB state', () => {
  it(
    'final notice, then the request on a later scheduled run; a non-approver changes nothing; Enforce attaches ' +
      'exactly the policy and DMs once; MFA on detaches it and thanks once',
    async () => {
      const w = await dynamoWorld({ enabled: true, afterDays: 1, finalNoticeDays: 1 });
      await runScheduled(scheduledEvent('scan'), w.runtime);
      expect(dms(w, /no MFA yet/)).toHaveLength(1);

      await at(w, 1);
      await runScheduled(scheduledEvent('nudges'), w.runtime);
      expect(dms(w, /Final notice/)).toHaveLength(1);
      expect(requests(w)).toHaveLength(0);

      await at(w, 2);
      await runScheduled(scheduledEvent('scan'), w.runtime);
      expect(requests(w)).toHaveLength(1);
      await runScheduled(scheduledEvent('nudges'), w.runtime);
      expect(requests(w)).toHaveLength(1);
      expect(dms(w, /Final notice/)).toHaveLength(1);
      const request = requests(w)[0]!;

      expect(await press(w, ENFORCE_ACTION_IDS.enforce, BOB, 'by-bob', request.ts)).toEqual([]);
      expect(answerText((await w.responses.waitFor('by-bob'))[0]!.body)).toContain('Only approvers can decide');
      expect(await attached(w)).toEqual([]);
      expect(w.slack.messages({ channel: SECURITY_CHANNEL }).find((m) => m.ts === request.ts)?.edited).toBeFalsy();
      const [before] = await w.runtime.store.cases({ userName: 'ann.smith', latestOnly: true });
      expect(before!.messages.map((m) => m.step)).not.toContain('enforced');

      // The slack function only checks the approver; the worker attaches (AssumeRole and IAM can outlast 3 s).
      expect(await press(w, ENFORCE_ACTION_IDS.enforce, ADMIN, 'by-admin', request.ts)).toEqual([
        {
          kind: 'enforcement',
          decision: 'enforce',
          ref: { accountId: MOTO_ACCOUNT, userName: 'ann.smith' },
          approverId: ADMIN,
          responseUrl: expect.any(String),
        },
      ]);
      expect(await attached(w)).toEqual([POLICY_ARN]);
      expect(await managedPolicyDocument(w.runtime.aws.iam, POLICY_ARN)).toEqual(JSON.parse(SHIPPED_POLICY));
      expect(dms(w, LIMITED)).toHaveLength(1);
      const edited = w.slack.messages({ channel: SECURITY_CHANNEL }).find((m) => m.ts === request.ts)!;
      expect(JSON.stringify(edited.blocks)).toMatch(new RegExp(`Enforced\\* by <@${ADMIN}>`));
      await runScheduled(scheduledEvent('nudges'), w.runtime);
      await at(w, 2.1);
      await runScheduled(scheduledEvent('scan'), w.runtime);
      expect(dms(w, LIMITED)).toHaveLength(1);
      expect(await attached(w)).toEqual([POLICY_ARN]);
      expect(edits(w, request.ts)).toHaveLength(1);

      // ann enrols; CloudTrail's EnableMFADevice reaches the realtime function.
      await at(w, 2.2);
      await enableVirtualMfa(w.runtime.aws.iam, 'ann.smith');
      await runRealtime(cloudTrailIamEvent('EnableMFADevice', MOTO_ACCOUNT, { userName: 'ann.smith' }), w.runtime);
      expect(await attached(w)).toEqual([]);
      expect(
        JSON.stringify(w.slack.messages({ channel: SECURITY_CHANNEL }).find((m) => m.ts === request.ts)!.blocks),
      ).toContain('Lifted');
      await runScheduled(scheduledEvent('nudges'), w.runtime);
      await at(w, 3);
      await runScheduled(scheduledEvent('scan'), w.runtime);
      expect(dms(w, /Thank you/)).toHaveLength(1);
      expect(dms(w, LIMITED)).toHaveLength(1);
      const [c] = await w.runtime.store.cases({ userName: 'ann.smith', latestOnly: true });
      expect(c!.messages.filter((m) => m.step === 'lifted')).toMatchObject([{ state: 'sent', by: 'mfa-on' }]);
    },
  );

  it("approval auto: the scheduled run enforces; an approver's Lift detaches, recorded with who lifted", async () => {
    const w = await dynamoWorld({ enabled: true, approval: 'auto', afterDays: 0, finalNoticeDays: 0 });
    await runScheduled(scheduledEvent('scan'), w.runtime);
    await at(w, 0.01);
    await runScheduled(scheduledEvent('nudges'), w.runtime);
    expect(dms(w, /Final notice/)).toHaveLength(1);
    await at(w, 0.02);
    await runScheduled(scheduledEvent('nudges'), w.runtime);
    expect(await attached(w)).toEqual([POLICY_ARN]);
    expect(dms(w, LIMITED)).toHaveLength(1);

    await press(w, ENFORCE_ACTION_IDS.lift, BOB, 'lift-by-bob');
    expect(answerText((await w.responses.waitFor('lift-by-bob'))[0]!.body)).toContain('Only approvers');
    expect(await attached(w)).toEqual([POLICY_ARN]);

    await at(w, 0.03);
    await press(w, ENFORCE_ACTION_IDS.lift, ADMIN, 'lift-by-admin');
    expect(await attached(w)).toEqual([]);
    const cases = await w.runtime.store.cases({ userName: 'ann.smith' });
    expect(cases[0]!.messages.find((m) => m.step === 'lifted')).toMatchObject({ state: 'sent', by: ADMIN });
    const log = nudgeLog(cases, [], []).map((e) => `${e.event}: ${e.detail}`);
    expect(log).toContainEqual(expect.stringMatching(new RegExp(`^lifted: .*lifted by <@${ADMIN}>`)));
    // Lifted by hand while MFA is still off: the next runs neither enforce again nor thank.
    await at(w, 1);
    await runScheduled(scheduledEvent('scan'), w.runtime);
    expect(await attached(w)).toEqual([]);
    expect(dms(w, /Thank you/)).toHaveLength(0);
    expect(dms(w, LIMITED)).toHaveLength(1);
  });
});

describe('a crash between the attach and its record, from an Enforce press on Lambda', () => {
  it('the next run after the lease finds the policy attached, records it, edits the request and DMs once', async () => {
    const w = await dynamoWorld({ enabled: true, afterDays: 0, finalNoticeDays: 0 });
    await runScheduled(scheduledEvent('scan'), w.runtime);
    for (const minutes of [1, 2]) {
      w.clock.now = new Date(MONDAY_10.getTime() + minutes * 60_000);
      await runScheduled(scheduledEvent('nudges'), w.runtime);
    }
    const request = requests(w)[0]!;
    expect(request).toBeDefined();
    // The state table refuses the write that records the attach (the claim was a put; the record is an update).
    await moto.failNext('UpdateItem', { service: 'dynamodb', code: 'InternalServerError', status: 500, count: 1 });
    await press(w, ENFORCE_ACTION_IDS.enforce, ADMIN, 'enforce', request.ts);
    expect(await attached(w)).toEqual([POLICY_ARN]);
    expect(dms(w, LIMITED)).toHaveLength(0);
    const key = { type: 'case' as const, case: { accountId: MOTO_ACCOUNT, userName: 'ann.smith', cycle: 1 } };
    expect(await w.runtime.store.delivery({ ...key, step: 'enforced' })).toMatchObject({ state: 'claimed', by: ADMIN });

    // Within the claim's lease nothing is decided again; after it, the attached policies say it happened.
    w.clock.now = new Date(MONDAY_10.getTime() + 3 * 60_000);
    await runScheduled(scheduledEvent('nudges'), w.runtime);
    expect(dms(w, LIMITED)).toHaveLength(0);
    w.clock.now = new Date(MONDAY_10.getTime() + 20 * 60_000);
    await runScheduled(scheduledEvent('nudges'), w.runtime);
    expect(await w.runtime.store.delivery({ ...key, step: 'enforced' })).toMatchObject({ state: 'sent', by: ADMIN });
    expect(dms(w, LIMITED)).toHaveLength(1);
    const edited = w.slack.messages({ channel: SECURITY_CHANNEL }).find((m) => m.ts === request.ts)!;
    expect(JSON.stringify(edited.blocks)).toMatch(new RegExp(`Enforced\\* by <@${ADMIN}>`));
    expect(JSON.stringify(edited.blocks)).toContain(ENFORCE_ACTION_IDS.lift);
    w.clock.now = new Date(MONDAY_10.getTime() + 40 * 60_000);
    await runScheduled(scheduledEvent('nudges'), w.runtime);
    expect(dms(w, LIMITED)).toHaveLength(1);
    expect(edits(w, request.ts)).toHaveLength(1);
    expect(await attached(w)).toEqual([POLICY_ARN]);

    // An approver lifts it; when MFA comes on later, the request still says who lifted it.
    await press(w, ENFORCE_ACTION_IDS.lift, ADMIN, 'lift', request.ts);
    expect(await attached(w)).toEqual([]);
    const liftedBy = new RegExp(`Lifted\\* by <@${ADMIN}> on 2026-11-23 10:40 UTC`);
    expect(JSON.stringify(messageAt(w, request.ts).blocks)).toMatch(liftedBy);
    w.clock.now = new Date(MONDAY_10.getTime() + 60 * 60_000);
    await enableVirtualMfa(w.runtime.aws.iam, 'ann.smith');
    await runRealtime(cloudTrailIamEvent('EnableMFADevice', MOTO_ACCOUNT, { userName: 'ann.smith' }), w.runtime);
    await runScheduled(scheduledEvent('nudges'), w.runtime);
    expect(dms(w, /Thank you/)).toHaveLength(1);
    expect(JSON.stringify(messageAt(w, request.ts).blocks)).toMatch(liftedBy);
  });
});
