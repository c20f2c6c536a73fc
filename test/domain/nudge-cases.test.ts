import { describe, expect, it } from 'vitest';
import {
  closeAfterLiveCheck,
  openFromLiveCheck,
  reconcileCases,
  withCaseChanges,
} from '../../src/domain/nudge-cases.js';
import { verdictOf } from '../../src/domain/checks/check.js';
import { userConsoleMfa } from '../../src/domain/checks/user-console-mfa.js';
import {
  ACCOUNT,
  DAY,
  failingUser,
  graceUser,
  HOUR,
  MONDAY_10,
  openCase,
  passingUser,
  scanOf,
} from './nudge-fixtures.js';
import { exemptUser } from '../slack/blocks/factories.js';

const later = new Date(MONDAY_10.getTime() + 3 * DAY);
const noConsole = (user: string) =>
  verdictOf(
    userConsoleMfa,
    { accountId: ACCOUNT },
    user,
    `arn:aws:iam::${ACCOUNT}:user/${user}`,
    'not_applicable',
    'No console password.',
  );

describe('reconcileCases', () => {
  it('opens a case for each failing or grace user without one, and leaves open cases open', () => {
    const changes = reconcileCases(
      scanOf([failingUser('ann'), graceUser('bob'), passingUser('carol'), failingUser('dan')]),
      [openCase('dan')],
      MONDAY_10,
    );
    expect(changes).toEqual([
      { type: 'open', accountId: ACCOUNT, userName: 'ann', cycle: 1, status: 'fail', at: MONDAY_10 },
      { type: 'open', accountId: ACCOUNT, userName: 'bob', cycle: 1, status: 'grace', at: MONDAY_10 },
    ]);
  });

  it('resolves open cases: fixed, no console any more, exempt, or gone', () => {
    const cases = ['ann', 'bob', 'carol', 'dan', 'erin'].map((u) => openCase(u));
    const scan = scanOf([
      passingUser('ann'),
      noConsole('bob'),
      exemptUser('carol', 'break-glass account'),
      failingUser('erin'),
    ]);
    const resolutions = reconcileCases(scan, cases, later).map((c) =>
      c.type === 'resolve' ? `${c.key.userName}:${c.resolution}` : 'open',
    );
    expect(resolutions).toEqual(['ann:fixed', 'bob:no-console', 'carol:exempt', 'dan:gone']);
  });

  it('starts a new cycle when a resolved user fails again in a newer credential report (a relapse)', () => {
    const resolved = openCase('ann', { resolvedAt: later, resolution: 'fixed' });
    const relapse = scanOf(
      [failingUser('ann')],
      { credentialReportGeneratedAt: new Date(later.getTime() + 5 * 3_600_000) },
      new Date(later.getTime() + DAY),
    );
    expect(reconcileCases(relapse, [resolved], new Date(later.getTime() + DAY))).toEqual([
      {
        type: 'open',
        accountId: ACCOUNT,
        userName: 'ann',
        cycle: 2,
        status: 'fail',
        at: new Date(later.getTime() + DAY),
      },
    ]);
  });

  it(
    'does not reopen a case from a credential report older ' +
      'than its resolution (a live re-check saw the fix first)',
    () => {
      const resolved = openCase('ann', { resolvedAt: later, resolution: 'fixed' });
      const stale = scanOf(
        [failingUser('ann')],
        { credentialReportGeneratedAt: new Date(later.getTime() - 3_600_000) },
        new Date(later.getTime() + 3_600_000),
      );
      expect(reconcileCases(stale, [resolved], new Date(later.getTime() + 3_600_000))).toEqual([]);
    },
  );

  it('leaves the cases of an account that could not be scanned alone', () => {
    const broken = scanOf([], { error: { code: 'AccessDenied', message: 'no' } });
    expect(reconcileCases(broken, [openCase('ann')], later)).toEqual([]);
  });
});

describe('cases a live check opened (a CloudTrail event between scans)', () => {
  const reportAt = new Date('2026-11-23T08:00:00Z');
  const liveAnn = { verdict: failingUser('ann'), identity: { slackUserId: 'UANN0000001', via: 'email-tag' as const } };

  it('openFromLiveCheck opens the next cycle for a failing or grace user, remembering what it saw', () => {
    expect(openFromLiveCheck(liveAnn, [], MONDAY_10)).toEqual([
      { type: 'open', accountId: ACCOUNT, userName: 'ann', cycle: 1, status: 'fail', at: MONDAY_10, live: liveAnn },
    ]);
    const relapse = openFromLiveCheck(
      { verdict: graceUser('ann') },
      [openCase('ann', { resolvedAt: reportAt, resolution: 'fixed' })],
      MONDAY_10,
    );
    expect(relapse).toMatchObject([{ cycle: 2, status: 'grace' }]);
  });

  it('openFromLiveCheck opens nothing over an open case, for a user who is fine, or for the root user', () => {
    expect(openFromLiveCheck(liveAnn, [openCase('ann')], MONDAY_10)).toEqual([]);
    expect(openFromLiveCheck({ verdict: passingUser('ann') }, [], MONDAY_10)).toEqual([]);
    expect(
      openFromLiveCheck({ verdict: { ...failingUser('ann'), principal: '<root_account>' } }, [], MONDAY_10),
    ).toEqual([]);
  });

  it(
    'a scan whose report predates the case neither fixes ' + 'it nor calls the user gone; an exemption still applies',
    () => {
      const opened = new Date(reportAt.getTime() + HOUR);
      const cases = [
        openCase('ann', { openedAt: opened, live: liveAnn }),
        openCase('bob', { openedAt: opened, live: { verdict: failingUser('bob') } }),
        openCase('carol', { openedAt: opened, live: { verdict: failingUser('carol') } }),
      ];
      // ann had MFA when the report was made; bob did not exist yet; carol was exempted in the config since.
      const stale = scanOf([passingUser('ann'), exemptUser('carol', 'break-glass')], {
        credentialReportGeneratedAt: reportAt,
      });
      expect(
        reconcileCases(stale, cases, later).map((c) =>
          c.type === 'resolve' ? `${c.key.userName}:${c.resolution}` : 'open',
        ),
      ).toEqual(['carol:exempt']);
      // A report made after the case opened is believed.
      const fresh = scanOf([passingUser('ann')], { credentialReportGeneratedAt: new Date(opened.getTime() + HOUR) });
      expect(
        reconcileCases(fresh, cases, later).map((c) =>
          c.type === 'resolve' ? `${c.key.userName}:${c.resolution}` : 'open',
        ),
      ).toEqual(['ann:fixed', 'bob:gone', 'carol:gone']);
    },
  );
});

describe('withCaseChanges (a dry run plans with these, writing nothing)', () => {
  it('opens, resolves and relapses in memory as a store would; a second open of an open case is ignored', () => {
    const cases = [openCase('ann'), openCase('bob', { resolvedAt: MONDAY_10, resolution: 'fixed' })];
    const next = withCaseChanges(cases, [
      { type: 'resolve', key: { accountId: ACCOUNT, userName: 'ann', cycle: 1 }, resolution: 'fixed', at: later },
      { type: 'open', accountId: ACCOUNT, userName: 'bob', cycle: 2, status: 'fail', at: later },
      { type: 'open', accountId: ACCOUNT, userName: 'bob', cycle: 3, status: 'fail', at: later },
    ]);
    expect(next.map((c) => `${c.userName}#${c.cycle}:${c.resolution ?? 'open'}`)).toEqual([
      'ann#1:fixed',
      'bob#1:fixed',
      'bob#2:open',
    ]);
    expect(next[0]).toMatchObject({ resolvedAt: later });
    expect(cases[0]!.resolvedAt).toBeUndefined();
  });
});

describe('closeAfterLiveCheck (both stores persist what it returns)', () => {
  const key = { accountId: ACCOUNT, userName: 'ann', cycle: 2 };

  it(
    'resolves the case as fixed unless the check found the login or the user gone, ' + 'and records nothing as sent',
    () => {
      expect(closeAfterLiveCheck(key, later)).toEqual({
        resolve: { type: 'resolve', key, resolution: 'fixed', at: later },
        sent: [],
      });
      expect(closeAfterLiveCheck(key, later, { resolution: 'gone' }).resolve.resolution).toBe('gone');
      expect(closeAfterLiveCheck(key, later, { resolution: 'no-console' }).resolve.resolution).toBe('no-console');
    },
  );

  it('counts the update and the thank-you as sent where the app replaced the nudge, so no run sends them again', () => {
    const { sent } = closeAfterLiveCheck(key, later, { thanked: { channel: 'D0ANN', ts: '1.2' } });
    expect(sent).toEqual([
      { step: 'resolved-update', kind: 'resolved-update', recipient: 'D0ANN', channel: 'D0ANN', ts: '1.2' },
      { step: 'thank-you', kind: 'thank-you', recipient: 'D0ANN', channel: 'D0ANN', ts: '1.2' },
    ]);
  });
});
