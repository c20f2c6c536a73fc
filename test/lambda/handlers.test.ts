import { DeactivateMFADeviceCommand, DeleteLoginProfileCommand } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { runRealtime } from '../../src/lambda/realtime.js';
import { runScheduled, type ScheduledEvent } from '../../src/lambda/scheduled.js';
import { runWorker } from '../../src/lambda/worker.js';
import { ACTION_IDS, CHECK_ACTION_IDS, encodeButtonValue } from '../../src/slack/blocks/ids.js';
import { createUsers, enableVirtualMfa, MOTO_ACCOUNT } from '../support/aws.js';
import { useMoto } from '../support/use-moto.js';
import { answerText } from '../bot/harness/bot.js';
import { appHomeOpened, blockActions, slashCommand } from '../bot/harness/payloads.js';
import { cloudTrailIamEvent, httpApiEvent, scheduledEvent } from './events.js';
import {
  ADMIN,
  ANN,
  BOB,
  MONDAY_10,
  SECURITY_CHANNEL,
  SIGNING_SECRET,
  startLambdaWorld,
  type LambdaWorld,
} from './world.js';

const DAY = 86_400_000;

const moto = useMoto();
let world: LambdaWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

async function scanned(): Promise<LambdaWorld> {
  world = await startLambdaWorld(moto);
  await runScheduled(scheduledEvent('scan'), world.runtime);
  return world;
}

const CONTEXT = {};

async function enableAnnMfa(w: LambdaWorld): Promise<void> {
  const { iam } = w.runtime.aws;
  await enableVirtualMfa(iam, 'ann.smith');
}

/** ann presses "I've turned on MFA, check again" on her nudge. */
function recheckPress(w: LambdaWorld, nudge: { channel: string; ts: string }) {
  const value = encodeButtonValue({ accountId: MOTO_ACCOUNT, userName: 'ann.smith' });
  return blockActions({
    userId: ANN,
    actionId: ACTION_IDS.recheck,
    value,
    responseUrl: w.responses.url('recheck'),
    channelId: nudge.channel,
    messageTs: nudge.ts,
  });
}

describe('scheduled: the EventBridge schedules', () => {
  it('{ "job": "scan" } scans, posts the digest and nudges; { "job": "nudges" } sends nothing twice', async () => {
    const w = await scanned();
    expect(await w.runtime.store.latestScan()).toBeDefined();
    expect(w.slack.messages({ channel: SECURITY_CHANNEL })).toHaveLength(1);
    expect(w.slack.dmsTo(ANN)).toHaveLength(1);
    await runScheduled(scheduledEvent('nudges'), w.runtime);
    expect(w.slack.dmsTo(ANN)).toHaveLength(1);
  });

  it('refuses an input that names no job', async () => {
    world = await startLambdaWorld(moto);
    await expect(runScheduled({ job: 'digest' } as unknown as ScheduledEvent, world.runtime)).rejects.toThrow(
      /unknown job "digest"/,
    );
  });
});

describe('slack: Slack requests through API Gateway (HTTP API v2)', () => {
  it('answers url_verification with the challenge', async () => {
    world = await startLambdaWorld(moto);
    const handler = await world.slackHandler();
    const res = await handler(
      httpApiEvent({ json: { type: 'url_verification', token: 'x', challenge: 'chal-123' } }, SIGNING_SECRET),
      CONTEXT,
    );
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: 'chal-123' });
  });

  it('refuses a request signed with another secret (401) and runs no listener', async () => {
    world = await startLambdaWorld(moto);
    const handler = await world.slackHandler();
    const event = httpApiEvent({ form: slashCommand('me --fresh', ANN, world.responses.url('bad')) }, SIGNING_SECRET, {
      secret: 'not-the-secret',
    });
    const res = await handler(event, CONTEXT);
    expect(res.statusCode).toBe(401);
    expect(world.invoked).toEqual([]);
    expect(world.responses.for('bad')).toEqual([]);
  });

  it('refuses a replayed request (timestamp older than 5 minutes)', async () => {
    world = await startLambdaWorld(moto);
    const handler = await world.slackHandler();
    const event = httpApiEvent({ form: slashCommand('me', ANN, world.responses.url('old')) }, SIGNING_SECRET, {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect((await handler(event, CONTEXT)).statusCode).toBe(401);
  });

  it('acknowledges /mfa-check and answers from the stored scan within the same invocation', async () => {
    const w = await scanned();
    const handler = await w.slackHandler();
    const started = Date.now();
    const res = await handler(
      httpApiEvent({ form: slashCommand('me', ANN, w.responses.url('me')) }, SIGNING_SECRET),
      CONTEXT,
    );
    expect(res.statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(3_000);
    // Nothing runs after a Lambda response: the answer was posted before the handler returned.
    const [answer] = w.responses.for('me');
    expect(answer?.body.response_type).toBe('ephemeral');
    expect(answerText(answer!.body)).toContain('ann.smith');
    expect(w.invoked).toEqual([]);
  });

  it(
    'logs an audit line for the command in the slack function ' + 'and for the live check in the worker, with no token',
    async () => {
      const w = await scanned();
      const handler = await w.slackHandler();
      await handler(httpApiEvent({ form: slashCommand('me', ANN, w.responses.url('audit')) }, SIGNING_SECRET), CONTEXT);
      expect(w.logs).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `info  audit user=${ANN} action="/mfa-check" target="me" ` +
              `result="from the scan: 1 login: ann\\.smith@${MOTO_ACCOUNT} fail"`,
          ),
        ),
      );
      await handler(
        httpApiEvent({ form: slashCommand('me --fresh', ANN, w.responses.url('audit-fresh')) }, SIGNING_SECRET),
        CONTEXT,
      );
      await runWorker(JSON.parse(JSON.stringify(w.invoked[0])), w.runtime);
      expect(w.logs).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `info  audit user=${ANN} action="/mfa-check" target="me --fresh" ` +
              `result="checked live: 1 login: ann\\.smith@${MOTO_ACCOUNT} fail"`,
          ),
        ),
      );
      const all = w.logs.join('');
      expect(all).not.toContain(w.slack.botToken);
      expect(all).not.toContain(SIGNING_SECRET);
      expect(all).not.toContain(w.responses.url(''));
    },
  );

  it('hands /mfa-check --fresh to the worker, which answers live through the response URL', async () => {
    const w = await scanned();
    const handler = await w.slackHandler();
    const res = await handler(
      httpApiEvent({ form: slashCommand('me --fresh', ANN, w.responses.url('fresh')) }, SIGNING_SECRET),
      CONTEXT,
    );
    expect(res.statusCode).toBe(200);
    expect(w.invoked).toEqual([
      {
        kind: 'check',
        text: 'me --fresh',
        askerId: ANN,
        responseUrl: w.responses.url('fresh'),
        replaceOriginal: false,
      },
    ]);
    expect(w.responses.for('fresh')).toEqual([]);

    // The worker gets the task as its event (the payload of the asynchronous Invoke).
    await runWorker(JSON.parse(JSON.stringify(w.invoked[0])), w.runtime);
    const [answer] = w.responses.for('fresh');
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(answerText(answer!.body)).toMatch(/ann\.smith/);
    expect(answerText(answer!.body)).toMatch(/live|just now/i);
  });

  it('hands the "Check again" button to the worker, which replaces the answer', async () => {
    const w = await scanned();
    const handler = await w.slackHandler();
    const press = blockActions({
      userId: ANN,
      actionId: CHECK_ACTION_IDS.checkAgain,
      value: 'me',
      responseUrl: w.responses.url('again'),
      channelId: 'D0ANN000001',
      messageTs: '1.000001',
      blockId: 'mfa_check_actions',
      ephemeral: true,
    });
    const res = await handler(httpApiEvent({ form: { payload: JSON.stringify(press) } }, SIGNING_SECRET), CONTEXT);
    expect(res.statusCode).toBe(200);
    expect(w.invoked).toEqual([
      { kind: 'check', text: 'me --fresh', askerId: ANN, responseUrl: w.responses.url('again'), replaceOriginal: true },
    ]);
    await runWorker(w.invoked[0]!, w.runtime);
    expect(w.responses.for('again')[0]?.body).toMatchObject({ replace_original: true });
  });

  it(
    'hands "I\'ve turned on MFA, check again" to the ' + 'worker, which puts a thank-you in place of the nudge',
    async () => {
      const w = await scanned();
      const [nudge] = w.slack.dmsTo(ANN);
      await enableAnnMfa(w);
      const handler = await w.slackHandler();
      expect(
        (
          await handler(
            httpApiEvent({ form: { payload: JSON.stringify(recheckPress(w, nudge!)) } }, SIGNING_SECRET),
            CONTEXT,
          )
        ).statusCode,
      ).toBe(200);
      expect(w.invoked).toEqual([
        {
          kind: 'recheck',
          ref: { accountId: MOTO_ACCOUNT, userName: 'ann.smith' },
          presserId: ANN,
          ownerId: ANN,
          nudge: { channel: nudge!.channel, ts: nudge!.ts },
          responseUrl: w.responses.url('recheck'),
        },
      ]);
      expect(w.slack.calls('chat.update')).toHaveLength(0);

      await runWorker(JSON.parse(JSON.stringify(w.invoked[0])), w.runtime);
      expect(w.slack.dmsTo(ANN)[0]!.text).toMatch(/Thank you/);
      expect(w.responses.for('recheck')).toEqual([]);
      const [latest] = await w.runtime.store.cases({ userName: 'ann.smith', latestOnly: true });
      expect(latest?.resolvedAt).toBeDefined();
    },
  );

  it(
    'after "I\'ve turned on MFA, check again" closed the case, /mfa-check ' +
      'and the App Home show what was seen live, not the older scan',
    async () => {
      const w = await scanned();
      const [nudge] = w.slack.dmsTo(ANN);
      await enableAnnMfa(w);
      const handler = await w.slackHandler();
      await handler(
        httpApiEvent({ form: { payload: JSON.stringify(recheckPress(w, nudge!)) } }, SIGNING_SECRET),
        CONTEXT,
      );
      await runWorker(JSON.parse(JSON.stringify(w.invoked[0])), w.runtime);
      expect(w.slack.dmsTo(ANN)[0]!.text).toMatch(/Thank you/);

      w.clock.now = new Date(MONDAY_10.getTime() + 60_000);
      await handler(httpApiEvent({ form: slashCommand('me', ANN, w.responses.url('me')) }, SIGNING_SECRET), CONTEXT);
      const answer = answerText(w.responses.for('me')[0]!.body);
      expect(answer).toMatch(/MFA on/);
      expect(answer).not.toMatch(/No MFA/);
      expect(answer).toMatch(/Seen live at 2026-11-23 10:00 UTC; the scan is older/);

      await handler(httpApiEvent({ json: appHomeOpened(ANN) }, SIGNING_SECRET), CONTEXT);
      const home = JSON.stringify(w.slack.calls('views.publish').at(-1)!.params);
      expect(home).toMatch(/Seen live at 2026-11-23 10:00 UTC/);
      expect(home).not.toMatch(/No MFA/);
    },
  );

  it('a --fresh answer is what later answers from the scan show, until a newer scan', async () => {
    const w = await scanned();
    await enableAnnMfa(w);
    await runWorker(
      {
        kind: 'check',
        text: 'me --fresh',
        askerId: ANN,
        responseUrl: w.responses.url('fresh'),
        replaceOriginal: false,
      },
      w.runtime,
    );
    expect(answerText(w.responses.for('fresh')[0]!.body)).toMatch(/MFA on/);
    const handler = await w.slackHandler();
    await handler(
      httpApiEvent({ form: slashCommand('user ann.smith', ADMIN, w.responses.url('admin')) }, SIGNING_SECRET),
      CONTEXT,
    );
    const answer = answerText(w.responses.for('admin')[0]!.body);
    expect(answer).toMatch(/MFA on/);
    expect(answer).toMatch(/Seen live at/);

    // A scan whose credential report is newer than the live check is the truth again.
    w.clock.now = new Date(MONDAY_10.getTime() + 5 * 3_600_000);
    await moto.setClock(w.clock.now);
    await runScheduled(scheduledEvent('scan'), w.runtime);
    await handler(
      httpApiEvent({ form: slashCommand('user ann.smith', ADMIN, w.responses.url('after-scan')) }, SIGNING_SECRET),
      CONTEXT,
    );
    const after = answerText(w.responses.for('after-scan')[0]!.body);
    expect(after).toMatch(/MFA on/);
    expect(after).not.toMatch(/Seen live at/);
  });

  it('a worker task for someone else is refused unless the asker is an admin, as a typed command is', async () => {
    const w = await scanned();
    await runWorker(
      {
        kind: 'check',
        text: 'user bob --fresh',
        askerId: ANN,
        responseUrl: w.responses.url('nosy'),
        replaceOriginal: false,
      },
      w.runtime,
    );
    const [answer] = w.responses.for('nosy');
    expect(answer!.body.text).toBe('Only MFA bot admins can look that up. /mfa-check shows your own logins.');
  });
});

describe('/mfa-check scan: a scan on demand, in the worker', () => {
  it('an admin is told it started; the worker scans, posts the digest and answers with the summary', async () => {
    world = await startLambdaWorld(moto);
    const w = world;
    const handler = await w.slackHandler();
    const res = await handler(
      httpApiEvent({ form: slashCommand('scan', ADMIN, w.responses.url('scan')) }, SIGNING_SECRET),
      CONTEXT,
    );
    expect(res.statusCode).toBe(200);
    expect(w.invoked).toEqual([
      { kind: 'check', text: 'scan', askerId: ADMIN, responseUrl: w.responses.url('scan'), replaceOriginal: false },
    ]);
    expect(answerText((await w.responses.waitFor('scan', 1))[0]!.body)).toMatch(/Scanning every account now/);
    expect(await w.runtime.store.latestScan()).toBeUndefined();

    await runWorker(JSON.parse(JSON.stringify(w.invoked[0])), w.runtime);
    const done = answerText(w.responses.for('scan')[1]!.body);
    expect(done).toMatch(/Scan finished/);
    expect(done).toContain(`The digest is in <#${SECURITY_CHANNEL}>`);
    expect(done).toMatch(/MFA summary.*1 console user without MFA/);
    expect(w.slack.messages({ channel: SECURITY_CHANNEL })).toHaveLength(1);
    expect(w.slack.dmsTo(ANN)).toHaveLength(1);

    // An hour later, with nothing changed: no second digest, and the answer says why.
    w.clock.now = new Date(MONDAY_10.getTime() + 3_600_000);
    await runWorker(
      { kind: 'check', text: 'scan', askerId: ADMIN, responseUrl: w.responses.url('again'), replaceOriginal: false },
      w.runtime,
    );
    expect(answerText(w.responses.for('again')[0]!.body)).toMatch(
      /Nothing changed since the digest posted in <#C0SECURITY1> 1 hour ago, so no new one was posted/,
    );
    expect(w.slack.messages({ channel: SECURITY_CHANNEL })).toHaveLength(1);
  });

  it('someone who is not an admin is refused at once, and nothing is scanned', async () => {
    world = await startLambdaWorld(moto);
    const handler = await world.slackHandler();
    await handler(
      httpApiEvent({ form: slashCommand('scan', ANN, world.responses.url('nope')) }, SIGNING_SECRET),
      CONTEXT,
    );
    expect(world.invoked).toEqual([]);
    expect((await world.responses.waitFor('nope', 1))[0]!.body.text).toBe(
      'Only MFA bot admins can look that up. /mfa-check shows your own logins.',
    );
    // A task that reached the worker anyway (forged, or the admin was removed meanwhile) is checked again.
    await runWorker(
      { kind: 'check', text: 'scan', askerId: ANN, responseUrl: world.responses.url('forged'), replaceOriginal: false },
      world.runtime,
    );
    expect(answerText(world.responses.for('forged')[0]!.body)).toMatch(/Only MFA bot admins/);
    expect(await world.runtime.store.latestScan()).toBeUndefined();
  });
});

describe('realtime: CloudTrail IAM events', () => {
  it('EnableMFADevice: the live check passes, so the open case is resolved and its owner thanked', async () => {
    const w = await scanned();
    expect((await w.runtime.store.cases({ userName: 'ann.smith', latestOnly: true }))[0]?.resolvedAt).toBeUndefined();
    const { iam } = w.runtime.aws;
    const serialNumber = await enableVirtualMfa(iam, 'ann.smith');

    const outcome = await runRealtime(
      cloudTrailIamEvent('EnableMFADevice', MOTO_ACCOUNT, { userName: 'ann.smith', serialNumber }),
      w.runtime,
    );
    expect(outcome).toEqual({ result: 'thanked' });
    const dms = w.slack.dmsTo(ANN);
    expect(dms).toHaveLength(2);
    expect(dms[0]!.text).toMatch(/^Done: MFA is on for ann\.smith/);
    expect(dms[1]!.text).toMatch(/Thank you/);
    const [latest] = await w.runtime.store.cases({ userName: 'ann.smith', latestOnly: true });
    expect(latest?.resolvedAt).toBeDefined();

    // The same event again (EventBridge delivers at least once): nothing more to say.
    expect(
      await runRealtime(
        cloudTrailIamEvent('EnableMFADevice', MOTO_ACCOUNT, { userName: 'ann.smith', serialNumber }),
        w.runtime,
      ),
    ).toEqual({ result: 'nothing' });
    expect(w.slack.dmsTo(ANN)).toHaveLength(2);
  });

  it(
    'DeactivateMFADevice that leaves a console login bare: ' + 'a case, the first nudge by DM at once, and one alert',
    async () => {
      const w = await scanned();
      const before = w.slack.messages({ channel: SECURITY_CHANNEL }).length;
      const { iam } = w.runtime.aws;
      const serialNumber = `arn:aws:iam::${MOTO_ACCOUNT}:mfa/bob`;
      await iam.send(new DeactivateMFADeviceCommand({ UserName: 'bob', SerialNumber: serialNumber }));
      const event = cloudTrailIamEvent('DeactivateMFADevice', MOTO_ACCOUNT, { userName: 'bob', serialNumber });
      const listsBefore = w.slack.calls('users.list').length;
      expect(await runRealtime(event, w.runtime)).toEqual({ result: 'opened', nudge: 'sent', alert: 'posted' });
      // One person to find: one users.info for the ID in his slack tag, not the whole member list.
      expect(w.slack.calls('users.list')).toHaveLength(listsBefore);
      expect(w.slack.calls('users.info').map((c) => c.params.user)).toContain(BOB);

      // bob had MFA at the scan, so the scan read no tags for him: his slack tag was read now.
      const [dm] = w.slack.dmsTo(BOB);
      expect(dm!.text).toMatch(/bob .* has no MFA yet/);
      expect(JSON.stringify(dm!.blocks)).toContain('Assign MFA device');
      const posted = w.slack.messages({ channel: SECURITY_CHANNEL });
      expect(posted).toHaveLength(before + 1);
      expect(posted.at(-1)!.text).toBe(
        'bob in account 123456789012 has a console password and no MFA (after DeactivateMFADevice).',
      );
      expect(JSON.stringify(posted.at(-1)!.blocks)).toContain(
        `<@${BOB}>, who has just been sent the steps to turn MFA on`,
      );
      expect(await w.runtime.store.cases({ userName: 'bob', latestOnly: true })).toMatchObject([
        { cycle: 1, openedStatus: 'fail', live: { verdict: { status: 'fail' } } },
      ]);

      // EventBridge delivers the same event again, and the hourly nudge pass runs on the older scan: nothing is
      // repeated or undone.
      expect(await runRealtime(event, w.runtime)).toEqual({ result: 'open', nudge: 'not-due' });
      await runScheduled(scheduledEvent('nudges'), w.runtime);
      expect(w.slack.dmsTo(BOB)).toHaveLength(1);
      expect(w.slack.messages({ channel: SECURITY_CHANNEL })).toHaveLength(before + 1);
      expect((await w.runtime.store.cases({ userName: 'bob', latestOnly: true }))[0]!.resolvedAt).toBeUndefined();

      // Two days on, the stored scan still predates the change: the reminder goes by what the live check saw.
      w.clock.now = new Date(MONDAY_10.getTime() + 2 * DAY);
      await runScheduled(scheduledEvent('nudges'), w.runtime);
      expect(w.slack.dmsTo(BOB).map((m) => m.text)).toEqual([
        expect.stringMatching(/has no MFA yet/),
        expect.stringMatching(/1st reminder/),
      ]);

      // bob turns MFA back on: his last nudge says so and he is thanked, though no scan ever mapped him.
      const again = await enableVirtualMfa(iam, 'bob', 'bob-again');
      expect(
        await runRealtime(
          cloudTrailIamEvent('EnableMFADevice', MOTO_ACCOUNT, { userName: 'bob', serialNumber: again }),
          w.runtime,
        ),
      ).toEqual({ result: 'thanked' });
      expect(w.slack.dmsTo(BOB).map((m) => m.text)).toEqual([
        expect.stringMatching(/has no MFA yet/),
        expect.stringMatching(/^Done: MFA is on for bob/),
        expect.stringMatching(/Thank you/),
      ]);
    },
  );

  it(
    'MFA turned on at the weekend: the nudge says "Done" ' + "at once; the thank-you waits for Monday's nudge pass",
    async () => {
      const w = await scanned();
      w.clock.now = new Date('2026-11-28T12:00:00Z');
      const { iam } = w.runtime.aws;
      await enableVirtualMfa(iam, 'ann.smith');
      expect(
        await runRealtime(cloudTrailIamEvent('EnableMFADevice', MOTO_ACCOUNT, { userName: 'ann.smith' }), w.runtime),
      ).toEqual({ result: 'resolved', thanks: 'waiting' });
      expect(w.slack.dmsTo(ANN).map((m) => m.text)).toEqual([expect.stringMatching(/^Done: MFA is on/)]);
      w.clock.now = new Date('2026-11-30T09:00:00Z');
      await runScheduled(scheduledEvent('nudges'), w.runtime);
      expect(w.slack.dmsTo(ANN).map((m) => m.text)).toEqual([
        expect.stringMatching(/^Done: MFA is on/),
        expect.stringMatching(/Thank you/),
      ]);
    },
  );

  it('/mfa-check from the scan agrees with a nudge a CloudTrail event caused after that scan', async () => {
    const w = await scanned();
    const { iam } = w.runtime.aws;
    // ann turns MFA on; the afternoon scan (a fresh credential report) sees it.
    const serialNumber = await enableVirtualMfa(iam, 'ann.smith');
    w.clock.now = new Date(MONDAY_10.getTime() + 5 * 3_600_000);
    await moto.setClock(w.clock.now);
    await runScheduled(scheduledEvent('scan'), w.runtime);
    // Then she turns it off again: the realtime function nudges her at once.
    w.clock.now = new Date(MONDAY_10.getTime() + 6 * 3_600_000);
    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'ann.smith', SerialNumber: serialNumber }));
    expect(
      await runRealtime(
        cloudTrailIamEvent('DeactivateMFADevice', MOTO_ACCOUNT, { userName: 'ann.smith', serialNumber }),
        w.runtime,
      ),
    ).toMatchObject({ result: 'opened', nudge: 'sent' });

    const handler = await w.slackHandler();
    await handler(httpApiEvent({ form: slashCommand('me', ANN, w.responses.url('me')) }, SIGNING_SECRET), CONTEXT);
    const answer = answerText(w.responses.for('me')[0]!.body);
    expect(answer).toMatch(/ann\.smith/);
    expect(answer).toMatch(/Seen live at 2026-11-23 16:00 UTC, after a change in AWS; the scan is older/);
    expect(answer).toMatch(/no MFA|without MFA|Turn on MFA/i);
  });

  it('DeleteLoginProfile of someone failing: the case closes as "no console", with no thank-you', async () => {
    const w = await scanned();
    await w.runtime.aws.iam.send(new DeleteLoginProfileCommand({ UserName: 'ann.smith' }));
    expect(
      await runRealtime(cloudTrailIamEvent('DeleteLoginProfile', MOTO_ACCOUNT, { userName: 'ann.smith' }), w.runtime),
    ).toEqual({ result: 'resolved' });
    expect(await w.runtime.store.cases({ userName: 'ann.smith', latestOnly: true })).toMatchObject([
      { resolution: 'no-console' },
    ]);
    await runScheduled(scheduledEvent('nudges'), w.runtime);
    expect(w.slack.dmsTo(ANN)).toHaveLength(1);
  });

  it('an alert Slack refused fails the invocation, and the retry posts it once without nudging twice', async () => {
    const w = await scanned();
    const serialNumber = `arn:aws:iam::${MOTO_ACCOUNT}:mfa/bob`;
    await w.runtime.aws.iam.send(new DeactivateMFADeviceCommand({ UserName: 'bob', SerialNumber: serialNumber }));
    const event = cloudTrailIamEvent('DeactivateMFADevice', MOTO_ACCOUNT, { userName: 'bob', serialNumber });
    const alerts = () =>
      w.slack
        .messages({ channel: SECURITY_CHANNEL })
        .filter((m) => m.text.includes('has a console password and no MFA'));
    w.slack.failNext('chat.postMessage', 'not_in_channel', 1, {}, (p) => p.channel === SECURITY_CHANNEL);
    await expect(runRealtime(event, w.runtime)).rejects.toThrow(/could not be posted in C0SECURITY1: not_in_channel/);
    expect(w.slack.dmsTo(BOB)).toHaveLength(1);
    expect(alerts()).toEqual([]);
    // Lambda retries the asynchronous invocation with the same event.
    expect(await runRealtime(event, w.runtime)).toEqual({ result: 'open', nudge: 'not-due', alert: 'posted' });
    expect(alerts()).toHaveLength(1);
    expect(w.slack.dmsTo(BOB)).toHaveLength(1);
    expect(await runRealtime(event, w.runtime)).toEqual({ result: 'open', nudge: 'not-due' });
    expect(alerts()).toHaveLength(1);
  });

  it(
    'CreateLoginProfile on a Saturday for someone no scan has ' +
      'seen: the nudge waits for Monday, and the nudge pass sends it',
    async () => {
      const w = await scanned();
      const { iam } = w.runtime.aws;
      await createUsers(iam, [{ name: 'new.hire', password: true, tags: { email: 'admin@example.com' } }]);
      w.clock.now = new Date('2026-11-28T11:00:00Z');
      expect(
        await runRealtime(cloudTrailIamEvent('CreateLoginProfile', MOTO_ACCOUNT, { userName: 'new.hire' }), w.runtime),
      ).toEqual({ result: 'opened', nudge: 'waiting', alert: 'posted' });
      expect(w.slack.calls('users.lookupByEmail').map((c) => c.params.email)).toEqual(['admin@example.com']);
      expect(JSON.stringify(w.slack.messages({ channel: SECURITY_CHANNEL }).at(-1)!.blocks)).toContain(
        'in their working hours',
      );

      await runScheduled(scheduledEvent('nudges'), w.runtime);
      expect(w.slack.dmsTo(ADMIN)).toEqual([]);
      w.clock.now = new Date('2026-11-30T09:00:00Z');
      await runScheduled(scheduledEvent('nudges'), w.runtime);
      const dms = w.slack.dmsTo(ADMIN);
      expect(dms).toHaveLength(1);
      expect(dms[0]!.text).toMatch(/new\.hire .* has no MFA yet/);

      // Their own /mfa-check knows the login, though no scan has seen it yet.
      const handler = await w.slackHandler();
      await handler(httpApiEvent({ form: slashCommand('me', ADMIN, w.responses.url('me')) }, SIGNING_SECRET), CONTEXT);
      const answer = answerText(w.responses.for('me')[0]!.body);
      expect(answer).toMatch(/new\.hire/);
      expect(answer).toMatch(/Seen live at 2026-11-28 11:00 UTC/);
    },
  );

  it('a bare login nobody in Slack matches: the case opens, no DM, and the alert says nobody was told', async () => {
    const w = await scanned();
    await createUsers(w.runtime.aws.iam, [{ name: 'svc-console', password: true }]);
    expect(
      await runRealtime(cloudTrailIamEvent('CreateLoginProfile', MOTO_ACCOUNT, { userName: 'svc-console' }), w.runtime),
    ).toEqual({ result: 'opened', nudge: 'unmapped', alert: 'posted' });
    expect(JSON.stringify(w.slack.messages({ channel: SECURITY_CHANNEL }).at(-1)!.blocks)).toContain(
      'No Slack user matches it',
    );
  });

  it('ignores failed calls and events that name no user', async () => {
    world = await startLambdaWorld(moto);
    const ignored = { result: 'ignored' };
    expect(
      await runRealtime(
        cloudTrailIamEvent('DeleteVirtualMFADevice', MOTO_ACCOUNT, {
          serialNumber: `arn:aws:iam::${MOTO_ACCOUNT}:mfa/x`,
        }),
        world.runtime,
      ),
    ).toEqual(ignored);
    expect(
      await runRealtime(
        cloudTrailIamEvent('EnableMFADevice', MOTO_ACCOUNT, { userName: 'bob' }, { errorCode: 'AccessDenied' }),
        world.runtime,
      ),
    ).toEqual(ignored);
    expect(
      await runRealtime(cloudTrailIamEvent('EnableMFADevice', MOTO_ACCOUNT, { userName: 'bad name!' }), world.runtime),
    ).toEqual(ignored);
  });
});
