import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackApi } from '../../src/slack/client.js';
import { SlackDirectory } from '../../src/slack/directory.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack({ rateLimits: false });
  slack.addUser({ id: 'UANN0000001', name: 'ann', email: 'Ann@Example.com', tz: 'Europe/Berlin' });
  slack.addUser({ id: 'UGONE000001', name: 'gone', email: 'gone@example.com', deleted: true });
  slack.addUser({ id: 'UBOTUSER001', name: 'robot', email: 'robot@example.com', is_bot: true });
});
afterAll(async () => {
  await slack.stop();
});
beforeEach(() => slack.reset());

const api = () => createSlackApi({ token: slack.botToken, apiUrl: slack.url });
const directory = (options: ConstructorParameters<typeof SlackDirectory>[1] = {}) => new SlackDirectory(api(), options);

describe('SlackDirectory', () => {
  it('loaded: answers IDs and e-mails from the member list, case-insensitively, with no call per person', async () => {
    const d = directory();
    await d.load();
    expect(await d.byUserId('UANN0000001')).toMatchObject({ id: 'UANN0000001', tz: 'Europe/Berlin', active: true });
    expect(await d.byEmailAddress('ANN@example.COM')).toMatchObject({ id: 'UANN0000001' });
    expect(await d.byUserId('UNOBODY0001')).toBeUndefined();
    expect(slack.calls('users.info')).toEqual([]);
    expect(slack.calls('users.lookupByEmail')).toEqual([]);
  });

  it(
    'not loaded (one person to find): ' + 'one users.info per ID and one lookupByEmail per address, each asked once',
    async () => {
      const d = directory();
      expect(await d.byUserId('UANN0000001')).toMatchObject({ id: 'UANN0000001', active: true });
      expect(await d.byUserId('UANN0000001')).toMatchObject({ id: 'UANN0000001' });
      expect(await d.byUserId('UNOBODY0001')).toBeUndefined();
      expect(await d.byUserId('UNOBODY0001')).toBeUndefined();
      expect(slack.calls('users.info').map((c) => c.params.user)).toEqual(['UANN0000001', 'UNOBODY0001']);
      expect(await d.byEmailAddress('ann@example.com')).toMatchObject({ id: 'UANN0000001' });
      expect(slack.calls('users.list')).toEqual([]);
    },
  );

  it('never offers a deactivated member or a bot as someone to message', async () => {
    const d = directory();
    expect(await d.byUserId('UGONE000001')).toMatchObject({ active: false });
    expect(await d.byUserId('UBOTUSER001')).toMatchObject({ active: false });
    expect(await d.byEmailAddress('gone@example.com')).toBeUndefined();
  });

  it(
    'after a complete member list, an address it lacks (or a ' +
      "deactivated member's) is a miss: no users.lookupByEmail",
    async () => {
      const d = directory();
      await d.load();
      expect(await d.byEmailAddress('nobody@example.com')).toBeUndefined();
      expect(await d.byEmailAddress('gone@example.com')).toBeUndefined();
      expect(await d.answerFor('nobody@example.com')).toEqual({});
      expect(slack.countCalls('users.lookupByEmail')).toBe(0);
      expect(d.newMisses).toEqual([]);
    },
  );

  it(
    'a member list cut short: looks up what it lacks, within ' +
      'the budget, never a remembered miss, and collects new misses',
    async () => {
      slack.failNext('users.list', 'internal_error');
      const d = directory({ maxLookups: 2, knownMisses: new Set(['Remembered@example.com']) });
      await d.load();
      expect(d.incompleteBecause).toBe('internal_error');
      expect(await d.byEmailAddress('remembered@example.com')).toBeUndefined();
      expect(await d.byEmailAddress('ann@example.com')).toMatchObject({ id: 'UANN0000001' });
      expect(await d.byEmailAddress('nobody@example.com')).toBeUndefined();
      expect(await d.answerFor('later@example.com')).toEqual({ deferred: true });
      expect(slack.calls('users.lookupByEmail').map((c) => c.params.email)).toEqual([
        'ann@example.com',
        'nobody@example.com',
      ]);
      expect(d.newMisses).toEqual(['nobody@example.com']);
      expect([...d.deferred]).toEqual(['later@example.com']);
      // An ID the partial list lacks costs one users.info, as without a list.
      expect(await d.byUserId('UBOTUSER001')).toMatchObject({ active: false });
      expect(slack.calls('users.info').map((c) => c.params.user)).toEqual(['UBOTUSER001']);
    },
  );

  it('a token or scope error from users.list is thrown, not taken for an incomplete list', async () => {
    slack.failNext('users.list', 'missing_scope');
    await expect(directory().load()).rejects.toMatchObject({ data: { error: 'missing_scope' } });
  });

  it('passes on a Slack error other than "not found"', async () => {
    slack.failNext('users.info', 'invalid_auth');
    await expect(directory().byUserId('UANN0000001')).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  });
});
