import { describe, expect, it } from 'vitest';
import {
  IAM_USER_NAME,
  needsAdmin,
  parseCheckCommand,
  queryText,
  type CheckQuery,
} from '../../../src/bot/mfa-check/parse.js';

describe('parseCheckCommand', () => {
  it.each<[string, CheckQuery]>([
    ['', { kind: 'me', fresh: false }],
    ['   ', { kind: 'me', fresh: false }],
    ['me', { kind: 'me', fresh: false }],
    ['ME', { kind: 'me', fresh: false }],
    ['--fresh', { kind: 'me', fresh: true }],
    ['me --fresh', { kind: 'me', fresh: true }],
    ['—fresh', { kind: 'me', fresh: true }],
    ['help', { kind: 'help' }],
    ['<@U0123ABCD|ann>', { kind: 'slack-user', slackUserId: 'U0123ABCD', fresh: false }],
    ['<@W0123ABCD>', { kind: 'slack-user', slackUserId: 'W0123ABCD', fresh: false }],
    ['--fresh <@U0123ABCD|ann>', { kind: 'slack-user', slackUserId: 'U0123ABCD', fresh: true }],
    ['user alice', { kind: 'iam-user', userName: 'alice', fresh: false }],
    ['USER first.last+ops=x,y@corp-1_a', { kind: 'iam-user', userName: 'first.last+ops=x,y@corp-1_a', fresh: false }],
    ['user alice --fresh', { kind: 'iam-user', userName: 'alice', fresh: true }],
    ['account 111122223333', { kind: 'account', accountId: '111122223333' }],
    ['root', { kind: 'root' }],
    ['summary', { kind: 'summary' }],
    ['  summary  ', { kind: 'summary' }],
    ['SCAN', { kind: 'scan' }],
  ])('%j', (text, expected) => {
    expect(parseCheckCommand(text)).toEqual(expected);
  });

  it.each([
    ['account 12345', /12 digits/],
    ['account 1111222233334', /12 digits/],
    ['account abcdabcdabcd', /12 digits/],
    ['account', /needs a 12-digit/],
    ['user', /needs an IAM user name/],
    ['user a'.padEnd(5 + 65, 'x'), /1 to 64/],
    ['user bad/name', /1 to 64/],
    ['user <!channel>', /1 to 64/],
    ['user &lt;script&gt;', /1 to 64/],
    ['user alice bob', /too many words/],
    ['me please', /takes nothing/],
    ['root now', /takes nothing/],
    ['help me', /takes nothing/],
    ['root --fresh', /--fresh works with/],
    ['summary --fresh', /--fresh works with/],
    ['scan --fresh', /--fresh works with/],
    ['scan everything', /takes nothing/],
    ['account 111122223333 --fresh', /--fresh works with/],
    ['--fresh --fresh', /twice/],
    ['--verbose', /no option --verbose/],
    ['@ann', /pick the person/],
    ['<@ann>', /pick the person/],
    ['<@U0123ABCD|ann> extra', /on their own/],
    ['<!channel>', /not a \/mfa-check question/],
    ['delete everything', /not a \/mfa-check question/],
    ['status', /not a \/mfa-check question/],
    ['x'.repeat(501), /far longer/],
  ])('refuses %j', (text, problem) => {
    const parsed = parseCheckCommand(text);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.problem).toMatch(problem);
  });

  it('accepts exactly the IAM character set, 1 to 64 characters', () => {
    expect(IAM_USER_NAME.test('a'.repeat(64))).toBe(true);
    expect(IAM_USER_NAME.test('a'.repeat(65))).toBe(false);
    expect(IAM_USER_NAME.test('')).toBe(false);
    for (const bad of ['a b', 'a/b', 'a<b', 'a>b', 'a&b', 'a*b', 'a#b', 'ä'])
      expect(IAM_USER_NAME.test(bad)).toBe(false);
  });
});

describe('queryText', () => {
  it('round-trips every question through the parser', () => {
    const queries: CheckQuery[] = [
      { kind: 'me', fresh: false },
      { kind: 'slack-user', slackUserId: 'U0123ABCD', fresh: false },
      { kind: 'iam-user', userName: 'alice', fresh: false },
      { kind: 'account', accountId: '111122223333' },
      { kind: 'root' },
      { kind: 'summary' },
      { kind: 'scan' },
      { kind: 'help' },
    ];
    for (const q of queries) expect(parseCheckCommand(queryText(q))).toEqual(q);
  });
});

describe('needsAdmin', () => {
  it('lets anyone ask about themselves, and only admins about anything else', () => {
    expect(needsAdmin({ kind: 'me', fresh: false }, 'UASKER0001')).toBe(false);
    expect(needsAdmin({ kind: 'help' }, 'UASKER0001')).toBe(false);
    expect(needsAdmin({ kind: 'slack-user', slackUserId: 'UASKER0001', fresh: false }, 'UASKER0001')).toBe(false);
    expect(needsAdmin({ kind: 'slack-user', slackUserId: 'UOTHER0001', fresh: false }, 'UASKER0001')).toBe(true);
    expect(needsAdmin({ kind: 'iam-user', userName: 'asker', fresh: false }, 'UASKER0001')).toBe(true);
    expect(needsAdmin({ kind: 'account', accountId: '111122223333' }, 'UASKER0001')).toBe(true);
    expect(needsAdmin({ kind: 'root' }, 'UASKER0001')).toBe(true);
    expect(needsAdmin({ kind: 'summary' }, 'UASKER0001')).toBe(true);
    expect(needsAdmin({ kind: 'scan' }, 'UASKER0001')).toBe(true);
  });
});
