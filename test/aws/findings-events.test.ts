import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETAIL_TYPE, EVENT_SOURCE, eventDetail, publishFindingChanges } from '../../src/aws/findings-events.js';
import type { FindingChange } from '../../src/domain/finding-change.js';
import type { Verdict } from '../../src/domain/types.js';
import { startMoto, type MotoServer } from '../support/moto/index.js';
import { motoEventBus } from '../support/aws.js';

function change(i: number): FindingChange {
  const verdict: Verdict = {
    check: 'user-console-mfa',
    accountId: '111122223333',
    principal: `u${i}`,
    arn: `arn:aws:iam::111122223333:user/u${i}`,
    status: 'fail',
    severity: 'high',
    reason: 'no MFA',
    controls: ['Security Hub IAM.5'],
    remediation: 'enable MFA',
  };
  return { change: 'newly_failing', verdict, previousStatus: 'pass' };
}

const schema = JSON.parse(readFileSync('schema/finding-changed.schema.json', 'utf8')) as {
  required: string[];
  properties: { change: { enum: string[] }; finding: { required: string[]; properties: Record<string, unknown> } };
};

describe('finding-changed events', () => {
  it('match the documented schema', () => {
    const detail = eventDetail(change(1), new Date('2026-11-23T00:00:00Z'));
    expect(Object.keys(detail).sort()).toEqual([...schema.required].sort());
    expect(schema.properties.change.enum).toContain(detail.change);
    for (const k of schema.properties.finding.required) expect(detail.finding).toHaveProperty(k);
    for (const k of Object.keys(detail.finding)) expect(schema.properties.finding.properties).toHaveProperty(k);
  });
});

describe('publishFindingChanges against the emulator', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it('publishes in batches of ten to the configured bus', async () => {
    const events = await motoEventBus(moto, 'security-findings');
    const result = await publishFindingChanges(
      events,
      'security-findings',
      Array.from({ length: 23 }, (_, i) => change(i)),
      new Date(),
    );
    expect(result).toMatchObject({ published: 23, failed: [], calls: 3 });
    expect((await moto.calls()).events!.PutEvents).toBe(3);
  });
});

describe('publishFindingChanges when EventBridge rejects entries', () => {
  it('sends failed entries again, and reports the ones that never got through', async () => {
    const mock = mockClient(EventBridgeClient);
    let call = 0;
    mock
      .on(PutEventsCommand)
      .callsFake((input: { Entries: Array<{ Detail: string; Source: string; DetailType: string }> }) => {
        call++;
        expect(input.Entries.every((e) => e.Source === EVENT_SOURCE && e.DetailType === DETAIL_TYPE)).toBe(true);
        // Always reject u1; reject u2 only the first time.
        return {
          FailedEntryCount: 1,
          Entries: input.Entries.map((e) => {
            const who = (JSON.parse(e.Detail) as { finding: { principal: string } }).finding.principal;
            return who === 'u1' || (who === 'u2' && call === 1)
              ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }
              : { EventId: `id-${who}` };
          }),
        };
      });
    const result = await publishFindingChanges(
      new EventBridgeClient({ region: 'us-east-1' }),
      'bus',
      [change(0), change(1), change(2)],
      new Date(),
      { sleep: async () => {} },
    );
    expect(result.published).toBe(2);
    expect(result.failed).toEqual([
      expect.objectContaining({
        errorCode: 'InternalFailure',
        change: expect.objectContaining({ verdict: expect.objectContaining({ principal: 'u1' }) }),
      }),
    ]);
    expect(result.calls).toBe(3);
    mock.restore();
  });
});
