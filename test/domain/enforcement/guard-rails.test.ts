import { describe, expect, it } from 'vitest';
import { enforcementBar, iamPathOf, whatBreaks } from '../../../src/domain/enforcement/guard-rails.js';
import { DAY, failingUser, MONDAY_10 } from '../nudge-fixtures.js';
import { exemptUser } from '../../slack/blocks/factories.js';

const none = { never: [], includeKeyUsers: false };
const ctx = { now: MONDAY_10, selfArns: [] };

describe('enforcement guard rails', () => {
  it('reads the IAM path from a user ARN', () => {
    expect(iamPathOf('arn:aws:iam::111122223333:user/alice')).toBe('/');
    expect(iamPathOf('arn:aws:iam::111122223333:user/breakglass/alice')).toBe('/breakglass/');
    expect(iamPathOf('arn:aws-cn:iam::111122223333:user/a/b/carol')).toBe('/a/b/');
  });

  it('lets a plain failing user through', () => {
    expect(enforcementBar(failingUser('ann'), none, ctx)).toBeUndefined();
  });

  it('never the principal mfa-bot runs as', () => {
    const bot = failingUser('mfa-bot');
    expect(enforcementBar(bot, none, { ...ctx, selfArns: [bot.arn] })).toMatch(/mfa-bot runs as/);
  });

  it('never an exempt user, nor one that is not failing', () => {
    expect(enforcementBar(exemptUser('dan', 'vendor account'), none, ctx)).toMatch(/^exempt \(vendor account\)/);
    expect(enforcementBar({ ...failingUser('eve'), status: 'grace' }, none, ctx)).toMatch(/not failing \(grace\)/);
  });

  it('never a user named in enforcement.never, or under an IAM path it lists', () => {
    const never = { ...none, never: ['ann', '/breakglass/'] };
    expect(enforcementBar(failingUser('ann'), never, ctx)).toMatch(/enforcement\.never \(ann\)/);
    const glass = { ...failingUser('bob'), arn: 'arn:aws:iam::111122223333:user/breakglass/bob' };
    expect(enforcementBar(glass, never, ctx)).toMatch(/enforcement\.never \(\/breakglass\/\)/);
    expect(enforcementBar(failingUser('breakglass'), never, ctx)).toBeUndefined();
  });

  it('users with keys used in the last 90 days only with includeKeyUsers, and the request says what breaks', () => {
    const recent = { ...failingUser('kim'), keysLastUsed: new Date(MONDAY_10.getTime() - 89 * DAY) };
    const old = { ...failingUser('lee'), keysLastUsed: new Date(MONDAY_10.getTime() - 91 * DAY) };
    expect(enforcementBar(recent, none, ctx)).toMatch(/access keys used in the last 90 days.*includeKeyUsers/);
    expect(enforcementBar(old, none, ctx)).toBeUndefined();
    expect(enforcementBar(recent, { ...none, includeKeyUsers: true }, ctx)).toBeUndefined();
    expect(whatBreaks(recent, MONDAY_10)).toMatch(/get-session-token/);
    expect(whatBreaks(old, MONDAY_10)).toBeUndefined();
  });
});
