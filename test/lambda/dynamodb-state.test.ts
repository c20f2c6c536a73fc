import { afterEach, describe, expect, it } from 'vitest';
import { runRealtime } from '../../src/lambda/realtime.js';
import { runScheduled } from '../../src/lambda/scheduled.js';
import { enableVirtualMfa, MOTO_ACCOUNT } from '../support/aws.js';
import { useMoto } from '../support/use-moto.js';
import { answerText } from '../bot/harness/bot.js';
import { slashCommand } from '../bot/harness/payloads.js';
import { cloudTrailIamEvent, httpApiEvent, scheduledEvent } from './events.js';
import {
  ANN,
  MONDAY_10,
  SECURITY_CHANNEL,
  SIGNING_SECRET,
  motoStateStore,
  startLambdaWorld,
  type LambdaWorld,
} from './world.js';

const moto = useMoto();
let world: LambdaWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe('the Lambda functions over the DynamoDB state table (as deployed)', () => {
  it('scheduled scan, /mfa-check from the table, and a CloudTrail event that resolves the case', async () => {
    world = await startLambdaWorld(moto, { store: await motoStateStore(moto, 'mfa-bot-test-state') });
    const { runtime } = world;

    await runScheduled(scheduledEvent('scan'), runtime);
    expect(world.slack.messages({ channel: SECURITY_CHANNEL })).toHaveLength(1);
    expect(world.slack.dmsTo(ANN)).toHaveLength(1);

    const handler = await world.slackHandler();
    const res = await handler(
      httpApiEvent({ form: slashCommand('me', ANN, world.responses.url('me')) }, SIGNING_SECRET),
      {},
    );
    expect(res.statusCode).toBe(200);
    expect(answerText(world.responses.for('me')[0]!.body)).toContain('ann.smith');

    // A minute later ann turns MFA on.
    world.clock.now = new Date(MONDAY_10.getTime() + 60_000);
    const serialNumber = await enableVirtualMfa(runtime.aws.iam, 'ann.smith');
    expect(
      await runRealtime(
        cloudTrailIamEvent('EnableMFADevice', MOTO_ACCOUNT, { userName: 'ann.smith', serialNumber }),
        runtime,
      ),
    ).toEqual({ result: 'thanked' });
    const [latest] = await runtime.store.cases({ userName: 'ann.smith', latestOnly: true });
    expect(latest?.resolvedAt).toBeDefined();

    // The next nudge pass (another invocation reading the same table) sends nothing more: no reminder, no second
    // thank-you.
    await runScheduled(scheduledEvent('nudges'), runtime);
    expect(world.slack.dmsTo(ANN)).toHaveLength(2);
    const cases = await runtime.store.cases({ userName: 'ann.smith' });
    expect(cases.map((c) => [c.cycle, c.resolution])).toEqual([[1, 'fixed']]);
  });
});
