import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { identityKey } from '../../src/domain/identity.js';
import { createSlackApi } from '../../src/slack/client.js';
import { SlackDirectory } from '../../src/slack/directory.js';
import { resolveIdentities, type IamPerson } from '../../src/slack/identity.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack/index.js';

const ACCOUNT = '111122223333';
const ANN = 'UANN0000001';
const EVE = 'UEVE0000001';
const BOB = 'UBOB0000001';

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack({ rateLimits: false });
  slack.addUser({ id: ANN, name: 'ann', email: 'ann@example.com', tz: 'Europe/Berlin' });
  slack.addUser({ id: EVE, name: 'eve', email: 'eve@example.com' });
  slack.addUser({ id: BOB, name: 'bob', email: 'bob@example.com' });
  slack.addUser({ id: 'UGONE000001', name: 'gone', email: 'gone@example.com', deleted: true });
});
afterAll(async () => {
  await slack.stop();
});
beforeEach(() => slack.reset());

async function loaded(options: ConstructorParameters<typeof SlackDirectory>[1] = {}): Promise<SlackDirectory> {
  const d = new SlackDirectory(createSlackApi({ token: slack.botToken, apiUrl: slack.url }), options);
  await d.load();
  return d;
}

const person = (userName: string, tags: Record<string, string> = {}): IamPerson => ({
  accountId: ACCOUNT,
  userName,
  tags,
});
const settings = (identity: Record<string, unknown> = {}) =>
  parseConfig({ identity: { emailDomain: 'example.com', ...identity } }).identity;
const key = (userName: string) => identityKey(ACCOUNT, userName);

describe('resolveIdentities: who outranks whom', () => {
  it('identity.map wins over a slack tag and an e-mail tag', async () => {
    const r = await resolveIdentities(
      [person('ann', { slack: EVE, email: 'eve@example.com' })],
      settings({ map: { ann: ANN } }),
      await loaded(),
    );
    expect(r.identities.get(key('ann'))).toEqual({ slackUserId: ANN, via: 'config-map', tz: 'Europe/Berlin' });
    expect(r.conflicts).toEqual([]);
  });

  it('identity.map naming a deactivated member matches no one: no tag takes its place', async () => {
    const r = await resolveIdentities(
      [person('ann', { slack: ANN })],
      settings({ map: { ann: 'UGONE000001' } }),
      await loaded(),
    );
    expect(r.identities.size).toBe(0);
    expect(r.unmapped).toEqual([{ accountId: ACCOUNT, userName: 'ann', tried: ['config-map:UGONE000001'] }]);
  });

  it('a slack tag that names someone other than the e-mail tag is a conflict: neither is matched', async () => {
    const r = await resolveIdentities(
      [person('x', { slack: EVE, email: 'ann@example.com' })],
      settings(),
      await loaded(),
    );
    expect(r.identities.size).toBe(0);
    expect(r.conflicts).toEqual([
      {
        accountId: ACCOUNT,
        userName: 'x',
        claims: [
          { via: 'slack-tag', value: EVE, slackUserId: EVE },
          { via: 'email-tag', value: 'ann@example.com', slackUserId: ANN },
        ],
      },
    ]);
    expect(r.unmapped).toEqual([
      {
        accountId: ACCOUNT,
        userName: 'x',
        conflict: true,
        tried: [`slack-tag:${EVE} → ${EVE}`, `email-tag:ann@example.com → ${ANN}`],
      },
    ]);
  });

  it('a slack tag against the user name (as an e-mail, or at emailDomain) is a conflict too', async () => {
    const r = await resolveIdentities(
      [person('ann', { slack: EVE }), person('bob@example.com', { slack: EVE })],
      settings(),
      await loaded(),
    );
    expect(r.identities.size).toBe(0);
    expect(r.conflicts.map((c) => [c.userName, c.claims.map((x) => x.via)])).toEqual([
      ['ann', ['slack-tag', 'email-domain']],
      ['bob@example.com', ['slack-tag', 'username-email']],
    ]);
  });

  it('rules that agree match, by the first of them; a rule that finds no one does not disagree', async () => {
    const r = await resolveIdentities(
      [
        person('ann', { slack: ANN, email: 'ann@example.com' }),
        person('bob', { email: 'nobody@example.com' }),
        person('carol', { slack: BOB }),
      ],
      settings(),
      await loaded(),
    );
    expect(r.identities.get(key('ann'))).toEqual({ slackUserId: ANN, via: 'slack-tag', tz: 'Europe/Berlin' });
    expect(r.identities.get(key('bob'))).toMatchObject({
      slackUserId: BOB,
      via: 'email-domain',
      email: 'bob@example.com',
    });
    expect(r.identities.get(key('carol'))).toMatchObject({ slackUserId: BOB, via: 'slack-tag' });
    expect(r.conflicts).toEqual([]);
  });

  it('identity.trustSlackIdTag: false ignores the slack tag altogether', async () => {
    const r = await resolveIdentities(
      [person('ann', { slack: EVE }), person('carol', { slack: BOB })],
      settings({ trustSlackIdTag: false }),
      await loaded(),
    );
    expect(r.identities.get(key('ann'))).toMatchObject({ slackUserId: ANN, via: 'email-domain' });
    expect(r.identities.has(key('carol'))).toBe(false);
    expect(r.conflicts).toEqual([]);
    expect(r.unmapped).toEqual([{ accountId: ACCOUNT, userName: 'carol', tried: ['email-domain:carol@example.com'] }]);
  });

  it('with the lookup budget spent, a person whose rules are not all checked is left for the next cycle', async () => {
    slack.failNext('users.list', 'internal_error');
    const d = await loaded({ maxLookups: 0 });
    const r = await resolveIdentities([person('x', { slack: ANN, email: 'eve@example.com' })], settings(), d);
    expect(r.identities.size).toBe(0);
    expect(r.unmapped).toEqual([
      {
        accountId: ACCOUNT,
        userName: 'x',
        deferred: true,
        tried: [`slack-tag:${ANN}`, 'email-tag:eve@example.com', 'email-domain:x@example.com'],
      },
    ]);
    expect(slack.countCalls('users.lookupByEmail')).toBe(0);
  });
});
