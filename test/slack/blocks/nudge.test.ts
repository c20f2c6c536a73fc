import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/domain/dates.js';
import type { Partition } from '../../../src/domain/types.js';
import { ACTION_IDS, BLOCK_IDS, decodeButtonValue } from '../../../src/slack/blocks/ids.js';
import { buildNudge, type NudgeInput } from '../../../src/slack/blocks/nudge.js';
import { blocksToText } from '../../../src/slack/blocks/text.js';
import {
  ACCOUNT,
  allText,
  exemptUser,
  expectHostileEscaped,
  expectWithinSlackLimits,
  failingUser,
  graceUser,
  hardwareMfaFail,
  HOSTILE,
  NOW,
  passingUser,
  rootMfaFail,
} from './factories.js';

const prod = { accountId: ACCOUNT, alias: 'prod', partition: 'aws' as const };

function nudge(over: Partial<NudgeInput> = {}) {
  return buildNudge({
    verdict: failingUser('alice'),
    account: prod,
    slackUserId: 'U0ALICE01',
    kind: 'first',
    now: NOW,
    ...over,
  });
}

function actions(blocks: KnownBlock[]): ActionsBlock {
  const block = blocks.find((b): b is ActionsBlock => b.type === 'actions');
  expect(block).toBeDefined();
  return block!;
}

describe('buildNudge', () => {
  it('addresses the person and names the account (ID and alias) and the IAM user', () => {
    const m = nudge();
    const json = allText(m.blocks);
    expect(json).toContain('<@U0ALICE01>');
    expect(json).toContain('`111122223333` (prod)');
    expect(json).toContain('`alice`');
    expect(m.text).toContain('alice');
    expect(m.text).toContain('111122223333 (prod)');
  });

  it.each<[Partition, string, string]>([
    [
      'aws',
      'https://prod.signin.aws.amazon.com/console',
      'https://console.aws.amazon.com/iam/home#/security_credentials',
    ],
    [
      'aws-us-gov',
      'https://prod.signin.amazonaws-us-gov.com/console',
      'https://console.amazonaws-us-gov.com/iam/home#/security_credentials',
    ],
    [
      'aws-cn',
      'https://prod.signin.amazonaws.cn/console',
      'https://console.amazonaws.cn/iam/home#/security_credentials',
    ],
  ])('links the sign-in page and the security credentials page in %s', (partition, signIn, credentials) => {
    const json = allText(nudge({ account: { ...prod, partition } }).blocks);
    expect(json).toContain(`<${signIn}|`);
    expect(json).toContain(`<${credentials}|`);
  });

  it('falls back to the account ID in the sign-in URL when the alias is not a valid alias', () => {
    const json = allText(nudge({ account: { ...prod, alias: '<!here> Prod' } }).blocks);
    expect(json).toContain('<https://111122223333.signin.aws.amazon.com/console|');
    expect(json).not.toContain('<!here>');
    expect(json).toContain('(&lt;!here&gt; Prod)');
  });

  it('gives self-service steps for all three kinds of device', () => {
    const text = blocksToText(nudge().blocks);
    expect(text).toContain('Security credentials');
    expect(text).toContain('Multi-factor authentication (MFA)');
    expect(text).toContain('Assign MFA device');
    expect(text).toMatch(/passkey or security key/i);
    expect(text).toMatch(/touch your security key/);
    expect(text).toMatch(/authenticator app/i);
    expect(text).toContain('QR code');
    expect(text).toMatch(/two codes in a row/);
    expect(text).toMatch(/hardware TOTP token/i);
    expect(text).toMatch(/serial number/);
    expect(text).toMatch(/^1\. Sign in at https:\/\/prod\.signin\.aws\.amazon\.com\/console as `alice`/m);
  });

  it('says why it matters, to sign out and back in, and that the password can go instead', () => {
    const text = blocksToText(nudge().blocks);
    expect(text).toContain('*Why it matters*');
    expect(text).toMatch(/sign out of the console and sign back in/);
    expect(text).toMatch(/console password to be removed/);
  });

  it('has the three buttons with their action IDs and the user in the value', () => {
    const a = actions(nudge().blocks);
    expect(a.block_id).toBe(BLOCK_IDS.nudgeActions);
    const buttons = a.elements as Button[];
    expect(buttons.map((b) => [b.action_id, b.text.text, b.style])).toEqual([
      [ACTION_IDS.recheck, "I've turned on MFA, check again", 'primary'],
      [ACTION_IDS.snooze1d, 'Snooze 1 day', undefined],
      [ACTION_IDS.help, 'I need help', undefined],
    ]);
    expect(ACTION_IDS).toEqual({ recheck: 'mfa_recheck', snooze1d: 'mfa_snooze_1d', help: 'mfa_help' });
    for (const b of buttons) {
      expect(JSON.parse(b.value!)).toEqual({ a: ACCOUNT, u: 'alice' });
      expect(decodeButtonValue(b.value)).toEqual({ accountId: ACCOUNT, userName: 'alice' });
    }
  });

  it('is friendlier for grace and names the deadline', () => {
    const deadline = addDays(NOW, 5);
    const grace = nudge({ verdict: graceUser('newbie', deadline), kind: 'grace' });
    const first = nudge({ kind: 'first' });
    expect(blocksToText(grace.blocks)).toContain('Please turn it on by *2026-11-28* (in 5 days)');
    expect(grace.text).toContain('by 2026-11-28');
    expect(grace.text).toMatch(/^Welcome!/);
    expect(blocksToText(first.blocks)).not.toContain('2026-11-28');
  });

  it('says which reminder it is', () => {
    expect(blocksToText(nudge({ kind: 'reminder', reminderNumber: 2 }).blocks)).toContain('*2nd reminder:*');
    expect(blocksToText(nudge({ kind: 'reminder', reminderNumber: 3 }).blocks)).toContain('*3rd reminder:*');
    expect(nudge({ kind: 'reminder', reminderNumber: 11 }).text).toMatch(/^11th reminder/);
    expect(blocksToText(nudge({ kind: 'reminder' }).blocks)).toContain('*Reminder:*');
    const graceReminder = nudge({ verdict: graceUser('newbie', addDays(NOW, 2)), kind: 'reminder', reminderNumber: 1 });
    expect(blocksToText(graceReminder.blocks)).toContain('due by *2026-11-25*');
  });

  it('never DMs about the root user, other checks, or findings that need nothing', () => {
    expect(() => nudge({ verdict: rootMfaFail() })).toThrow(/root/);
    expect(() => nudge({ verdict: { ...failingUser('x'), principal: '<root_account>' } })).toThrow(/root/);
    expect(() => nudge({ verdict: hardwareMfaFail('dave') })).toThrow(/user-console-mfa/);
    expect(() => nudge({ verdict: passingUser('alice') })).toThrow(/pass/);
    expect(() => nudge({ verdict: exemptUser('alice', 'ok') })).toThrow(/exempt/);
    expect(() => nudge({ verdict: failingUser('alice', '999988887777') })).toThrow(/account/);
  });

  it('refuses a Slack user ID that is not one', () => {
    expect(() => nudge({ slackUserId: '<!channel>' })).toThrow(/Slack user ID/);
    expect(() => nudge({ slackUserId: 'C0123456789' })).toThrow(/Slack user ID/);
  });

  it.each(HOSTILE)('escapes the hostile IAM name %s in blocks and text', (name) => {
    for (const kind of ['first', 'grace', 'reminder'] as const) {
      const m = nudge({ verdict: kind === 'grace' ? graceUser(name) : failingUser(name), kind, reminderNumber: 1 });
      expectHostileEscaped(allText(m.blocks), [name]);
      expectHostileEscaped(JSON.stringify(m.text), [name]);
      expect(blocksToText(m.blocks)).toContain(`\`${name}\``);
      // The button value is JSON for our handler, not mrkdwn: it carries the name as it is.
      expect(decodeButtonValue((actions(m.blocks).elements[0] as Button).value)?.userName).toBe(name);
    }
  });

  it('stays within Slack limits, even with a 64-character name and a long alias', () => {
    const m = nudge({
      verdict: failingUser('x'.repeat(64)),
      account: { ...prod, alias: 'a'.repeat(63) },
      kind: 'reminder',
      reminderNumber: 12,
    });
    expectWithinSlackLimits(m.blocks);
  });
});
