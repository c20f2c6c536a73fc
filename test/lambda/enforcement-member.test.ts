// Enforcement in a member account of the organization, end to end: the audit stack deployed in the member with
// EnableEnforcement (which creates the member's own require-MFA policy), the organization scan entering the member
// through the audit role, and the attach and detach made IN the member, with the member's policy ARN.
import { ListAttachedUserPoliciesCommand, type IAMClient } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients.js';
import { runRealtime } from '../../src/lambda/realtime.js';
import { runScheduled } from '../../src/lambda/scheduled.js';
import { ENFORCE_ACTION_IDS } from '../../src/slack/blocks/ids.js';
import { createUsers, enableVirtualMfa, managedPolicyDocument, useMotoEnv } from '../support/aws.js';
import { createOrganization, deployAuditStack, memberAdmin } from '../support/org.js';
import { useMoto } from '../support/use-moto.js';
import {
  attached,
  dmsTo,
  enforcementWorld,
  LIMITED,
  POLICY_ARN,
  pressButton,
  requests,
  setDay,
  SHIPPED_POLICY,
} from './enforcement-world.js';
import { cloudTrailIamEvent, scheduledEvent } from './events.js';
import { ADMIN, BOB, type LambdaWorld } from './world.js';

const moto = useMoto();
let world: LambdaWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const common = () => ({ endpoint: moto.endpoint, region: 'us-east-1', maxAttempts: 1 });

/** A member with the audit stack (EnableEnforcement) and a console user without MFA, mapped to bob. */
async function memberWithAuditStack(): Promise<{ accountId: string; iam: IAMClient }> {
  const { members } = await createOrganization(moto, { members: 1 });
  const accountId = members[0]!;
  const credentials = await memberAdmin(moto, accountId);
  expect(await deployAuditStack(moto, credentials, { EnableEnforcement: 'true' })).toBe('CREATE_COMPLETE');
  const iam = createAwsClients({ ...common(), credentials }).iam;
  await createUsers(iam, [{ name: 'dev.person', password: true, tags: { slack: BOB } }]);
  return { accountId, iam };
}

/** The Lambda functions with the organization in the config, through the scan, the final notice and the stage after. */
async function throughTheStages(enforcement: Parameters<typeof enforcementWorld>[1]): Promise<LambdaWorld> {
  const w = (world = await enforcementWorld(moto, enforcement, {
    config: { organization: { roleName: 'MfaBotAudit' } },
  }));
  // The Organizations client comes from the environment, as on Lambda.
  useMotoEnv(moto);
  await runScheduled(scheduledEvent('scan'), w.runtime);
  for (const minutes of [1, 2]) {
    await setDay(moto, w, minutes / 1440);
    await runScheduled(scheduledEvent('nudges'), w.runtime);
  }
  return w;
}

async function attachedIn(iam: IAMClient, userName: string): Promise<string[]> {
  const out = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }));
  return (out.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '');
}

describe('enforcement in a member account, through the audit role', () => {
  it("Enforce attaches the member's own policy in the member; MFA on there detaches it", async () => {
    const member = await memberWithAuditStack();
    const memberPolicy = `arn:aws:iam::${member.accountId}:policy/MfaBotRequireMfa`;
    const w = await throughTheStages({ enabled: true, afterDays: 0, finalNoticeDays: 0 });
    expect(dmsTo(w, /Final notice/, BOB)).toHaveLength(1);
    const request = requests(w).find((m) => m.text.includes('dev.person'))!;
    expect(request.text).toContain(member.accountId);

    await moto.resetCalls();
    await pressButton(w, {
      actionId: ENFORCE_ACTION_IDS.enforce,
      userId: ADMIN,
      responseId: 'member',
      ts: request.ts,
      ref: { accountId: member.accountId, userName: 'dev.person' },
    });
    expect(await attachedIn(member.iam, 'dev.person')).toEqual([memberPolicy]);
    // The audit stack created it from the shipped file.
    expect(await managedPolicyDocument(member.iam, memberPolicy)).toEqual(JSON.parse(SHIPPED_POLICY));
    // One attach, made with the credentials of the role the press assumed in the member.
    expect((await moto.calls()).iam?.AttachUserPolicy).toBe(1);
    expect((await moto.calls()).sts?.AssumeRole).toBeGreaterThanOrEqual(1);
    // Nothing in the bot's own account: its users are untouched, and its policy is not the one attached.
    expect(await attached(w)).toEqual([]);
    expect(memberPolicy).not.toBe(POLICY_ARN);
    expect(dmsTo(w, LIMITED, BOB)).toHaveLength(1);
    const [c] = await w.runtime.store.cases({ accountId: member.accountId, userName: 'dev.person', latestOnly: true });
    expect(c!.messages.find((m) => m.step === 'enforced')).toMatchObject({ state: 'sent', by: ADMIN });

    // dev.person enrols in the member; the member's CloudTrail event reaches the realtime function.
    await setDay(moto, w, 0.01);
    await enableVirtualMfa(member.iam, 'dev.person');
    await runRealtime(cloudTrailIamEvent('EnableMFADevice', member.accountId, { userName: 'dev.person' }), w.runtime);
    expect(await attachedIn(member.iam, 'dev.person')).toEqual([]);
    await runScheduled(scheduledEvent('nudges'), w.runtime);
    expect(dmsTo(w, /Thank you/, BOB)).toHaveLength(1);
  });

  it('with approval auto, the scheduled run attaches in the member through the audit role', async () => {
    const member = await memberWithAuditStack();
    const w = await throughTheStages({ enabled: true, approval: 'auto', afterDays: 0, finalNoticeDays: 0 });
    expect(await attachedIn(member.iam, 'dev.person')).toEqual([
      `arn:aws:iam::${member.accountId}:policy/MfaBotRequireMfa`,
    ]);
    expect(dmsTo(w, LIMITED, BOB)).toHaveLength(1);
  });
});
