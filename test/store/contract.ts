// The behaviour every StateStore must have, registered once per implementation (SQLite, DynamoDB).
import { describe, expect, it } from 'vitest';
import { identityKey } from '../../src/domain/identity.js';
import type { CaseKey } from '../../src/domain/ledger.js';
import { summaryOf } from '../../src/domain/trend.js';
import type { Verdict } from '../../src/domain/types.js';
import { rootDeletionKey, rootDeletionRecords } from '../../src/store/root-deletion-key.js';
import { MAX_DELIVERY_ATTEMPTS, type DeliveryKey, type StateStore } from '../../src/store/store.js';
import { ACCOUNT, DAY, failingUser, graceUser, MONDAY_10, passingUser, scanOf } from '../domain/nudge-fixtures.js';
import { brokenAccount, exemptUser, rootMfaFail } from '../slack/blocks/factories.js';

export interface StoreFactory {
  /** An empty state, closed by the factory's owner after the test. */
  fresh(): Promise<StateStore>;
  /** Two separate store objects (separate connections or clients) on the same empty state. */
  twoOnOneState(): Promise<[StateStore, StateStore]>;
}

const ANN: CaseKey = { accountId: ACCOUNT, userName: 'ann', cycle: 1 };
const nudge1: DeliveryKey = { type: 'case', case: ANN, step: 'nudge-1' };
const identities = new Map([
  [
    identityKey(ACCOUNT, 'ann'),
    { slackUserId: 'UANN0000001', via: 'email-tag' as const, email: 'ann@example.com', tz: 'Europe/Berlin' },
  ],
]);

async function withAnnCase(s: StateStore): Promise<void> {
  await s.applyCaseChanges([
    { type: 'open', accountId: ACCOUNT, userName: 'ann', cycle: 1, status: 'fail', at: MONDAY_10 },
  ]);
}

const byPrincipalAndCheck = (vs: readonly Verdict[]) =>
  [...vs].sort((a, b) => `${a.principal}${a.check}`.localeCompare(`${b.principal}${b.check}`));

export function storeContract(name: string, factory: StoreFactory): void {
  describe(`${name}: scans`, () => {
    it('gives back exactly the verdicts it was given, check metadata included', async () => {
      const s = await factory.fresh();
      const scan = scanOf(
        [failingUser('ann'), graceUser('bob'), passingUser('carol'), exemptUser('dan', 'break-glass'), rootMfaFail()],
        { rootCredentialsPresent: true, name: 'Production' },
      );
      scan.accounts.push(
        brokenAccount('999988887777', { code: 'AccessDenied', message: 'not allowed', hint: 'check the role' }),
      );
      const ref = await s.saveScan(scan, identities);
      const back = await s.latestScan();
      expect(back?.id).toBe(ref.id);
      expect(back?.fingerprint).toBe(ref.fingerprint);
      const sortV = (vs: (typeof scan.accounts)[0]['verdicts']) =>
        [...vs].sort((a, b) => `${a.principal}${a.check}`.localeCompare(`${b.principal}${b.check}`));
      for (const [i, account] of scan.accounts.entries()) {
        const got = back!.scan.accounts[i]!;
        expect({ ...got, verdicts: sortV(got.verdicts) }).toEqual({ ...account, verdicts: sortV(account.verdicts) });
      }
    });

    it("answers the previous scan, per-account counts for the last N scans, and one user's verdicts", async () => {
      const s = await factory.fresh();
      const first = await s.saveScan(scanOf([failingUser('ann'), failingUser('bob')]), identities);
      const second = await s.saveScan(
        scanOf([passingUser('ann'), failingUser('bob')], {}, new Date(MONDAY_10.getTime() + DAY)),
        new Map(),
      );
      const third = await s.saveScan(
        scanOf(
          [passingUser('ann'), passingUser('bob')],
          { name: 'Production' },
          new Date(MONDAY_10.getTime() + 2 * DAY),
        ),
        new Map(),
      );
      expect((await s.scanBefore(third.id))?.id).toBe(second.id);
      expect(await s.scanBefore(first.id)).toBeUndefined();
      const last2 = await s.scanSummaries({ lastScans: 2 });
      expect(last2.map((r) => [r.scanId, r.users.pass, r.users.fail])).toEqual([
        [second.id, 1, 1],
        [third.id, 2, 0],
      ]);
      expect(await s.scanSummaries({ accountId: '000000000000' })).toEqual([]);
      // What a summary is, account names included: the same as summaryOf() makes of the scan.
      const third0 = (await s.latestScan())!.scan.accounts[0]!;
      expect(last2[1]).toEqual(summaryOf(third0, { id: third.id, scannedAt: third.scannedAt }));
      expect(last2[1]!.name).toBe('Production');
      const ann = await s.userVerdicts(ACCOUNT, 'ann');
      expect(ann?.scan.id).toBe(third.id);
      expect(ann?.verdicts.map((v) => v.status)).toEqual(['pass']);
    });

    it(
      'prunes the verdicts of all but the latest N scans, ' + "keeps every scan's counts, and does each scan once",
      async () => {
        const s = await factory.fresh();
        const ids: number[] = [];
        for (let i = 0; i < 4; i++)
          ids.push(
            (
              await s.saveScan(
                scanOf(
                  [failingUser('ann'), i % 2 ? passingUser('bob') : failingUser('bob')],
                  {},
                  new Date(MONDAY_10.getTime() + i * DAY),
                ),
                identities,
              )
            ).id,
          );
        expect(await s.pruneScans(2)).toBe(2);
        expect(await s.pruneScans(2)).toBe(0);
        expect((await s.latestScan())!.scan.accounts[0]!.verdicts).toHaveLength(2);
        expect((await s.scanBefore(ids[3]!))!.scan.accounts[0]!.verdicts).toHaveLength(2);
        expect((await s.scanBefore(ids[2]!))!.scan.accounts[0]!.verdicts).toEqual([]);
        expect((await s.scanSummaries()).map((r) => [r.scanId, r.users.fail])).toEqual(
          ids.map((id, i) => [id, i % 2 ? 1 : 2]),
        );
        expect((await s.userVerdicts(ACCOUNT, 'ann'))?.scan.id).toBe(ids[3]);
        expect(await s.pruneScans(10)).toBe(0);
      },
    );

    it(
      'gives the same fingerprint to the same findings in ' + 'the same credential report, another after a change',
      async () => {
        const s = await factory.fresh();
        const a = await s.saveScan(scanOf([failingUser('ann')]), identities);
        const b = await s.saveScan(
          scanOf([failingUser('ann')], {}, new Date(MONDAY_10.getTime() + 60_000)),
          identities,
        );
        const c = await s.saveScan(scanOf([passingUser('ann')]), identities);
        expect(b.fingerprint).toBe(a.fingerprint);
        expect(c.fingerprint).not.toBe(a.fingerprint);
      },
    );
  });

  describe(`${name}: identities`, () => {
    it('remembers a mapping a live check made between scans, as one of the latest scan', async () => {
      const s = await factory.fresh();
      const who = { slackUserId: 'UBOB0000001', via: 'slack-tag' as const, tz: 'Asia/Tokyo' };
      await s.rememberIdentity(ACCOUNT, 'early', who);
      expect((await s.identityOf(ACCOUNT, 'early'))?.scanId).toBe(0);
      const ref = await s.saveScan(scanOf([failingUser('ann')]), identities);
      await s.rememberIdentity(ACCOUNT, 'bob', who);
      expect(await s.identityOf(ACCOUNT, 'bob')).toEqual({
        accountId: ACCOUNT,
        userName: 'bob',
        identity: who,
        scanId: ref.id,
      });
      expect((await s.identitiesAt(ref.id)).get(identityKey(ACCOUNT, 'bob'))).toEqual(who);
      expect((await s.identitiesOf('UBOB0000001')).map((k) => k.userName).sort()).toEqual(['bob', 'early']);
      expect((await s.timeZones()).get('UBOB0000001')).toBe('Asia/Tokyo');
    });

    it("finds a Slack user's IAM users, the mappings of a scan, and the last known time zones", async () => {
      const s = await factory.fresh();
      const first = await s.saveScan(scanOf([failingUser('ann')]), identities);
      const second = await s.saveScan(scanOf([passingUser('ann')]), new Map());
      expect(await s.identitiesOf('UANN0000001')).toEqual([
        {
          accountId: ACCOUNT,
          userName: 'ann',
          identity: identities.get(identityKey(ACCOUNT, 'ann')),
          scanId: first.id,
        },
      ]);
      expect((await s.identitiesAt(first.id)).size).toBe(1);
      expect((await s.identitiesAt(second.id)).size).toBe(0);
      expect((await s.knownIdentities()).get(identityKey(ACCOUNT, 'ann'))?.slackUserId).toBe('UANN0000001');
      expect((await s.identityOf(ACCOUNT, 'ann'))?.identity.tz).toBe('Europe/Berlin');
      expect(await s.identityOf(ACCOUNT, 'nobody')).toBeUndefined();
      expect(await s.timeZones()).toEqual(new Map([['UANN0000001', 'Europe/Berlin']]));
    });

    it("forgets an IAM user's mapping: no lookup by either side finds it", async () => {
      const s = await factory.fresh();
      await s.saveScan(scanOf([failingUser('ann')]), identities);
      await s.forgetIdentity(ACCOUNT, 'ann');
      await s.forgetIdentity(ACCOUNT, 'nobody');
      expect(await s.identityOf(ACCOUNT, 'ann')).toBeUndefined();
      expect(await s.identitiesOf('UANN0000001')).toEqual([]);
      expect((await s.knownIdentities()).size).toBe(0);
    });
  });

  describe(`${name}: what expires`, () => {
    it('remembers e-mail misses (lower-cased) until they expire, for another store on the same state too', async () => {
      const [a, b] = await factory.twoOnOneState();
      const until = new Date(MONDAY_10.getTime() + DAY);
      await a.rememberEmailMisses(['Ghost@Example.com', 'left@example.com'], until);
      expect(await b.emailMisses(MONDAY_10)).toEqual(new Set(['ghost@example.com', 'left@example.com']));
      expect(await b.emailMisses(until)).toEqual(new Set());
      // Remembered again later: the new expiry counts.
      await b.rememberEmailMisses(['ghost@example.com'], new Date(until.getTime() + DAY));
      expect(await a.emailMisses(until)).toEqual(new Set(['ghost@example.com']));
    });

    it('claims a Slack request once across two stores until the claim expires, then once again', async () => {
      const [a, b] = await factory.twoOnOneState();
      const expires = new Date(MONDAY_10.getTime() + 60 * 60_000);
      const first = await Promise.all([a, b, a, b].map((s) => s.claimRequest('event:Ev1', MONDAY_10, expires)));
      expect(first.filter(Boolean)).toHaveLength(1);
      expect(await b.claimRequest('event:Ev2', MONDAY_10, expires)).toBe(true);
      const almost = new Date(expires.getTime() - 1000);
      expect(await a.claimRequest('event:Ev1', almost, new Date(almost.getTime() + 60 * 60_000))).toBe(false);
      const later = await Promise.all(
        [a, b].map((s) => s.claimRequest('event:Ev1', expires, new Date(expires.getTime() + 60 * 60_000))),
      );
      expect(later.filter(Boolean)).toHaveLength(1);
      expect(
        await a.claimRequest('event:Ev1', new Date(expires.getTime() + 1000), new Date(expires.getTime() + 2000)),
      ).toBe(false);
    });
  });

  describe(`${name}: the ledger`, () => {
    it('keeps one open case per user, whatever is applied twice', async () => {
      const s = await factory.fresh();
      await withAnnCase(s);
      await withAnnCase(s);
      await s.applyCaseChanges([
        { type: 'open', accountId: ACCOUNT, userName: 'ann', cycle: 2, status: 'fail', at: MONDAY_10 },
      ]);
      expect((await s.cases()).map((c) => c.cycle)).toEqual([1]);
      await s.applyCaseChanges([{ type: 'resolve', key: ANN, resolution: 'fixed', at: MONDAY_10 }]);
      await s.applyCaseChanges([
        { type: 'resolve', key: ANN, resolution: 'gone', at: new Date(MONDAY_10.getTime() + DAY) },
      ]);
      await s.applyCaseChanges([
        { type: 'open', accountId: ACCOUNT, userName: 'ann', cycle: 2, status: 'fail', at: MONDAY_10 },
      ]);
      const cases = await s.cases({ userName: 'ann' });
      expect(cases.map((c) => [c.cycle, c.resolution ?? 'open'])).toEqual([
        [1, 'fixed'],
        [2, 'open'],
      ]);
      expect((await s.cases({ latestOnly: true })).map((c) => c.cycle)).toEqual([2]);
    });

    it('keeps what a live check saw with the case it opened: verdict (deadline included) and mapping', async () => {
      const s = await factory.fresh();
      const live = { verdict: graceUser('ann'), identity: identities.get(identityKey(ACCOUNT, 'ann'))! };
      await s.applyCaseChanges([
        { type: 'open', accountId: ACCOUNT, userName: 'ann', cycle: 1, status: 'grace', at: MONDAY_10, live },
      ]);
      await s.applyCaseChanges([
        { type: 'open', accountId: ACCOUNT, userName: 'bob', cycle: 1, status: 'fail', at: MONDAY_10 },
      ]);
      const [ann, bob] = await s.cases();
      expect(ann!.live).toEqual(live);
      expect(ann!.live!.verdict.deadline).toBeInstanceOf(Date);
      expect(bob!.live).toBeUndefined();
    });

    it("lists a case's messages by claim time, not in the order claimed, every field as recorded", async () => {
      const s = await factory.fresh();
      await withAnnCase(s);
      await s.applyCaseChanges([
        { type: 'open', accountId: ACCOUNT, userName: 'bob', cycle: 1, status: 'grace', at: MONDAY_10 },
      ]);
      const later = new Date(MONDAY_10.getTime() + 3_600_000);
      const claim = (step: string, claimId: string, at: Date, more: { kind?: 'escalation'; by?: string } = {}) =>
        s.claim({
          key: { type: 'case', case: ANN, step },
          kind: more.kind ?? 'nudge',
          recipient: 'U1',
          claimId,
          at,
          ...more,
        });
      await claim('nudge-1', 'n1', later);
      await claim('escalation', 'esc', MONDAY_10, { kind: 'escalation', by: 'UAPPROVER01' });
      const latest = new Date(later.getTime() + 1000);
      await claim('nudge-3', 'n3', latest);
      await claim('nudge-2', 'n2', later);
      await s.markSent('n1', { at: new Date(later.getTime() + 1), channel: 'D1', ts: '1.1' });
      await s.markFailed('n3', 'channel_not_found', { retryable: false });
      await s.markFailed('n2', 'ratelimited', { retryable: true });
      const [ann, bob] = await s.cases();
      expect(bob!.messages).toEqual([]);
      expect(ann!.messages).toEqual([
        {
          step: 'escalation',
          kind: 'escalation',
          recipient: 'U1',
          claimId: 'esc',
          claimedAt: MONDAY_10,
          attempts: 1,
          state: 'claimed',
          by: 'UAPPROVER01',
        },
        {
          step: 'nudge-1',
          kind: 'nudge',
          recipient: 'U1',
          claimId: 'n1',
          claimedAt: later,
          attempts: 1,
          state: 'sent',
          sentAt: new Date(later.getTime() + 1),
          channel: 'D1',
          ts: '1.1',
        },
        {
          step: 'nudge-2',
          kind: 'nudge',
          recipient: 'U1',
          claimId: 'n2',
          claimedAt: later,
          attempts: 1,
          state: 'failed',
          error: 'ratelimited',
        },
        {
          step: 'nudge-3',
          kind: 'nudge',
          recipient: 'U1',
          claimId: 'n3',
          claimedAt: latest,
          attempts: 1,
          state: 'abandoned',
          error: 'channel_not_found',
        },
      ]);
    });

    it('snoozes only an open case, and logs each snooze', async () => {
      const s = await factory.fresh();
      expect(await s.snooze(ACCOUNT, 'ann', MONDAY_10, { at: MONDAY_10 })).toBe(false);
      await withAnnCase(s);
      const until = new Date(MONDAY_10.getTime() + DAY);
      expect(await s.snooze(ACCOUNT, 'ann', until, { at: MONDAY_10, by: 'UANN0000001' })).toBe(true);
      expect((await s.cases())[0]!.snoozedUntil).toEqual(until);
      expect(await s.snoozes({ userName: 'ann' })).toEqual([
        { accountId: ACCOUNT, userName: 'ann', cycle: 1, at: MONDAY_10, until, by: 'UANN0000001' },
      ]);
    });

    it('lists the snoozes and help requests of every user when no user is named (the evidence report)', async () => {
      const s = await factory.fresh();
      const other = '444455556666';
      const open = (accountId: string, userName: string) =>
        ({ type: 'open', accountId, userName, cycle: 1, status: 'fail', at: MONDAY_10 }) as const;
      await s.applyCaseChanges([open(ACCOUNT, 'ann'), open(ACCOUNT, 'bob'), open(other, 'ann')]);
      const until = new Date(MONDAY_10.getTime() + DAY);
      for (const [accountId, userName] of [
        [ACCOUNT, 'bob'],
        [other, 'ann'],
        [ACCOUNT, 'ann'],
      ] as const) {
        const at = new Date(MONDAY_10.getTime() + (userName === 'bob' ? 1 : accountId === other ? 2 : 3) * 60_000);
        await s.snooze(accountId, userName, until, { at });
        await s.recordHelpRequest({ accountId, userName, slackUserId: 'UANN0000001', at });
      }
      const who = (rows: ReadonlyArray<{ accountId: string; userName: string }>) =>
        rows.map((r) => `${r.accountId}/${r.userName}`);
      const all = [`${ACCOUNT}/bob`, `${other}/ann`, `${ACCOUNT}/ann`];
      expect(who(await s.snoozes())).toEqual(all);
      expect(who(await s.helpRequests())).toEqual(all);
      expect(who(await s.snoozes({ accountId: other }))).toEqual([`${other}/ann`]);
      expect(who(await s.helpRequests({ accountId: ACCOUNT }))).toEqual([`${ACCOUNT}/bob`, `${ACCOUNT}/ann`]);
    });

    it('records a help request once per request ID', async () => {
      const s = await factory.fresh();
      const request = {
        accountId: ACCOUNT,
        userName: 'ann',
        slackUserId: 'UANN0000001',
        at: MONDAY_10,
        channel: 'C0SECURITY1',
        ts: '1.2',
        requestId: 'trigger-1',
      };
      expect(await s.recordHelpRequest(request)).toBe(true);
      expect(await s.recordHelpRequest(request)).toBe(false);
      expect(await s.helpRequests({ userName: 'ann' })).toEqual([request]);
    });

    it(
      'resolves a case from a live re-check, ' + 'and with `thanked` records the thank-you and update as done',
      async () => {
        const s = await factory.fresh();
        expect(await s.resolveByRecheck(ACCOUNT, 'ann', MONDAY_10)).toBe(false);
        await withAnnCase(s);
        expect(
          await s.resolveByRecheck(ACCOUNT, 'ann', MONDAY_10, { thanked: { channel: 'D0ANN00001', ts: '9.9' } }),
        ).toBe(true);
        const [c] = await s.cases();
        expect(c).toMatchObject({ resolution: 'fixed', resolvedAt: MONDAY_10 });
        expect(c!.messages.map((m) => [m.step, m.state, m.ts])).toEqual([
          ['resolved-update', 'sent', '9.9'],
          ['thank-you', 'sent', '9.9'],
        ]);
      },
    );

    it('resolves a case from a live re-check that found the console login gone, as such', async () => {
      const s = await factory.fresh();
      await withAnnCase(s);
      expect(await s.resolveByRecheck(ACCOUNT, 'ann', MONDAY_10, { resolution: 'no-console' })).toBe(true);
      expect(await s.cases()).toMatchObject([{ resolution: 'no-console', resolvedAt: MONDAY_10, messages: [] }]);
    });
  });

  describe(`${name}: claims`, () => {
    it('lets exactly one claimant win, and the loser sees what was sent', async () => {
      const s = await factory.fresh();
      await withAnnCase(s);
      expect(
        await s.claim({ key: nudge1, kind: 'nudge', recipient: 'UANN0000001', claimId: 'a', at: MONDAY_10 }),
      ).toEqual({ claimed: true, attempt: 1 });
      const lost = await s.claim({ key: nudge1, kind: 'nudge', recipient: 'UANN0000001', claimId: 'b', at: MONDAY_10 });
      expect(lost).toMatchObject({ claimed: false, existing: { claimId: 'a', state: 'claimed', key: nudge1 } });
      expect(await s.markSent('b', { at: MONDAY_10, channel: 'D1', ts: '1.1' })).toBe(false);
      expect(await s.markSent('a', { at: MONDAY_10, channel: 'D1', ts: '1.1' })).toBe(true);
      expect(await s.delivery(nudge1)).toMatchObject({ state: 'sent', channel: 'D1', ts: '1.1' });
      expect(
        await s.claim({ key: nudge1, kind: 'nudge', recipient: 'UANN0000001', claimId: 'c', at: MONDAY_10 }),
      ).toMatchObject({ claimed: false });
    });

    it('releases a refused send for another try, and gives up after the last attempt', async () => {
      const s = await factory.fresh();
      await withAnnCase(s);
      for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
        expect(
          await s.claim({
            key: nudge1,
            kind: 'nudge',
            recipient: 'UANN0000001',
            claimId: `try-${attempt}`,
            at: MONDAY_10,
          }),
        ).toEqual({ claimed: true, attempt });
        await s.markFailed(`try-${attempt}`, 'messages_tab_disabled', { retryable: true });
      }
      expect(await s.delivery(nudge1)).toMatchObject({
        state: 'abandoned',
        attempts: MAX_DELIVERY_ATTEMPTS,
        error: 'messages_tab_disabled',
      });
      expect(
        await s.claim({ key: nudge1, kind: 'nudge', recipient: 'UANN0000001', claimId: 'again', at: MONDAY_10 }),
      ).toMatchObject({ claimed: false });
    });

    it('releases a claim that was certainly not sent without counting the attempt, once', async () => {
      const s = await factory.fresh();
      await withAnnCase(s);
      expect(
        await s.claim({ key: nudge1, kind: 'nudge', recipient: 'UANN0000001', claimId: 'waited', at: MONDAY_10 }),
      ).toEqual({ claimed: true, attempt: 1 });
      expect(await s.releaseClaim('waited', 'stopped while waiting for Slack')).toBe(true);
      expect(await s.releaseClaim('waited', 'again')).toBe(false);
      expect(await s.markSent('waited', { at: MONDAY_10 })).toBe(false);
      expect(await s.delivery(nudge1)).toMatchObject({ state: 'failed', attempts: 0 });
      expect(
        await s.claim({ key: nudge1, kind: 'nudge', recipient: 'UANN0000001', claimId: 'waited', at: MONDAY_10 }),
      ).toEqual({ claimed: true, attempt: 1 });
    });

    it('lists claims left without an outcome, and settles them only once', async () => {
      const s = await factory.fresh();
      await withAnnCase(s);
      await s.claim({ key: nudge1, kind: 'nudge', recipient: 'UANN0000001', claimId: 'old', at: MONDAY_10 });
      expect(await s.staleClaims(MONDAY_10)).toEqual([]);
      const stale = await s.staleClaims(new Date(MONDAY_10.getTime() + 1));
      expect(stale).toMatchObject([{ claimId: 'old', key: nudge1, recipient: 'UANN0000001' }]);
      expect(await s.markUnconfirmed('old', 'no history scope')).toBe(true);
      expect(await s.markUnconfirmed('old', 'again')).toBe(false);
      expect(await s.markFailed('old', 'x', { retryable: true })).toBe(false);
      expect(await s.staleClaims(new Date(MONDAY_10.getTime() + DAY))).toEqual([]);
    });

    it('two stores on one state: each key is claimed by one of them only', async () => {
      const [a, b] = await factory.twoOnOneState();
      await withAnnCase(a);
      await b.applyCaseChanges([
        { type: 'open', accountId: ACCOUNT, userName: 'ann', cycle: 1, status: 'fail', at: MONDAY_10 },
      ]);
      const keys: DeliveryKey[] = Array.from({ length: 50 }, (_, i) => ({
        type: 'case',
        case: ANN,
        step: `nudge-${i + 1}`,
      }));
      const results = await Promise.all(
        keys.flatMap((key, i) => [
          a.claim({ key, kind: 'nudge', recipient: 'U1', claimId: `a-${i}`, at: MONDAY_10 }),
          b.claim({ key, kind: 'nudge', recipient: 'U1', claimId: `b-${i}`, at: MONDAY_10 }),
        ]),
      );
      expect(results.filter((r) => r.claimed)).toHaveLength(50);
      expect((await b.cases())[0]!.messages).toHaveLength(50);
    });
  });

  describe(`${name}: big scans and races`, () => {
    it("gives back a scan with 2,000 verdicts in one account, and one user's verdicts from it", async () => {
      const s = await factory.fresh();
      const users = Array.from({ length: 2000 }, (_, i) =>
        (i % 2 === 0 ? failingUser : passingUser)(`user-${String(i).padStart(4, '0')}-with-a-long-name`),
      );
      const scan = scanOf(users);
      const ref = await s.saveScan(scan, new Map());
      const back = await s.latestScan();
      expect(back?.id).toBe(ref.id);
      expect(back!.scan.accounts).toHaveLength(1);
      expect(byPrincipalAndCheck(back!.scan.accounts[0]!.verdicts)).toEqual(
        byPrincipalAndCheck(scan.accounts[0]!.verdicts),
      );
      expect((await s.userVerdicts(ACCOUNT, 'user-1999-with-a-long-name'))?.verdicts.map((v) => v.status)).toEqual([
        'pass',
      ]);
      expect(await s.scanSummaries()).toMatchObject([
        { scanId: ref.id, users: { pass: 1000, fail: 1000 }, failing: 1000 },
      ]);
    });

    it('applies a batch of changes for many users: cases listed in the order they were opened', async () => {
      const s = await factory.fresh();
      const names = Array.from({ length: 30 }, (_, i) => `user-${String(29 - i).padStart(2, '0')}`);
      await s.applyCaseChanges([
        ...names.map((userName) => ({
          type: 'open' as const,
          accountId: ACCOUNT,
          userName,
          cycle: 1,
          status: 'fail' as const,
          at: MONDAY_10,
        })),
        {
          type: 'resolve',
          key: { accountId: ACCOUNT, userName: names[3]!, cycle: 1 },
          resolution: 'gone',
          at: MONDAY_10,
        },
      ]);
      const cases = await s.cases();
      expect(cases.map((c) => c.userName)).toEqual(names);
      expect(cases.filter((c) => c.resolution).map((c) => [c.userName, c.resolution])).toEqual([[names[3], 'gone']]);
    });

    it("two stores opening the same user's case at once (cycles 1 and 2): one open case", async () => {
      const [a, b] = await factory.twoOnOneState();
      await Promise.all([
        a.applyCaseChanges([
          { type: 'open', accountId: ACCOUNT, userName: 'ann', cycle: 1, status: 'fail', at: MONDAY_10 },
        ]),
        b.applyCaseChanges([
          { type: 'open', accountId: ACCOUNT, userName: 'ann', cycle: 2, status: 'grace', at: MONDAY_10 },
        ]),
      ]);
      const cases = await a.cases();
      expect(cases).toHaveLength(1);
      expect(await b.cases()).toEqual(cases);
    });

    it('two stores recording the same help request at once: recorded once', async () => {
      const [a, b] = await factory.twoOnOneState();
      const request = {
        accountId: ACCOUNT,
        userName: 'ann',
        slackUserId: 'UANN0000001',
        at: MONDAY_10,
        requestId: 'trigger-race',
      };
      const results = await Promise.all([
        a.recordHelpRequest(request),
        b.recordHelpRequest(request),
        a.recordHelpRequest(request),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await b.helpRequests({ userName: 'ann' })).toEqual([request]);
    });

    it('a snooze racing a resolve: the snooze lands only while the case is open', async () => {
      const [a, b] = await factory.twoOnOneState();
      await withAnnCase(a);
      const until = new Date(MONDAY_10.getTime() + DAY);
      const [snoozed] = await Promise.all([
        a.snooze(ACCOUNT, 'ann', until, { at: MONDAY_10 }),
        b.resolveByRecheck(ACCOUNT, 'ann', MONDAY_10),
      ]);
      const [c] = await a.cases();
      expect(c!.resolution).toBe('fixed');
      expect((await a.snoozes({ userName: 'ann' })).length).toBe(snoozed ? 1 : 0);
      expect(await a.snooze(ACCOUNT, 'ann', until, { at: MONDAY_10 })).toBe(false);
    });

    it('a digest is claimed once across two stores, and marked sent only by its claimant', async () => {
      const [a, b] = await factory.twoOnOneState();
      const key: DeliveryKey = { type: 'digest', channel: 'C0SECURITY1', fingerprint: 'f00d' };
      const [ra, rb] = await Promise.all([
        a.claim({ key, kind: 'digest', recipient: 'C0SECURITY1', claimId: 'digest-a', at: MONDAY_10 }),
        b.claim({ key, kind: 'digest', recipient: 'C0SECURITY1', claimId: 'digest-b', at: MONDAY_10 }),
      ]);
      expect([ra.claimed, rb.claimed].filter(Boolean)).toHaveLength(1);
      const [winner, loser] = ra.claimed ? ['digest-a', 'digest-b'] : ['digest-b', 'digest-a'];
      expect(await b.markSent(loser, { at: MONDAY_10, channel: 'C0SECURITY1', ts: '2.2' })).toBe(false);
      expect(await b.markSent(winner, { at: MONDAY_10, channel: 'C0SECURITY1', ts: '2.2' })).toBe(true);
      expect(await a.delivery(key)).toMatchObject({ key, claimId: winner, state: 'sent', ts: '2.2' });
    });

    it('a digest-type key claimed for something else (a root deletion) keeps its key and who approved it', async () => {
      const [a, b] = await factory.twoOnOneState();
      const key = rootDeletionKey('210987654321');
      const intent = { key, kind: 'root-credentials-deleted' as const, recipient: key.channel, at: MONDAY_10 };
      const [ra, rb] = await Promise.all([
        a.claim({ ...intent, claimId: 'root-a', by: 'UAPPROVER01' }),
        b.claim({ ...intent, claimId: 'root-b', by: 'UAPPROVER02' }),
      ]);
      expect([ra.claimed, rb.claimed].filter(Boolean)).toHaveLength(1);
      const loser = ra.claimed ? rb : ra;
      if (loser.claimed) throw new Error('both claimed');
      expect(loser.existing.key).toEqual(key);
      const winner = ra.claimed ? 'root-a' : 'root-b';
      expect(await a.markSent(winner, { at: MONDAY_10 })).toBe(true);
      expect(await b.delivery(key)).toMatchObject({
        key,
        kind: 'root-credentials-deleted',
        state: 'sent',
        by: ra.claimed ? 'UAPPROVER01' : 'UAPPROVER02',
      });
    });
  });

  describe(`${name}: root deletion generations`, () => {
    it('each generation is its own key: the next is raced for once the one before is sent', async () => {
      const [a, b] = await factory.twoOnOneState();
      const account = '210987654321';
      const intent = (generation: number) => {
        const key = rootDeletionKey(account, generation);
        return { key, kind: 'root-credentials-deleted' as const, recipient: key.channel, at: MONDAY_10 };
      };
      expect(await a.claim({ ...intent(1), claimId: 'gen1', by: 'UAPPROVER01' })).toMatchObject({ claimed: true });
      expect(await a.markSent('gen1', { at: MONDAY_10 })).toBe(true);
      const [ra, rb] = await Promise.all([
        a.claim({ ...intent(2), claimId: 'gen2-a', by: 'UAPPROVER01' }),
        b.claim({ ...intent(2), claimId: 'gen2-b', by: 'UAPPROVER02' }),
      ]);
      expect([ra.claimed, rb.claimed].filter(Boolean)).toHaveLength(1);
      const winner = ra.claimed ? 'gen2-a' : 'gen2-b';
      expect(await b.markSent(winner, { at: MONDAY_10 })).toBe(true);
      const records = await rootDeletionRecords(b, account);
      expect(records.map((r) => [r.generation, r.record.claimId, r.record.state])).toEqual([
        [1, 'gen1', 'sent'],
        [2, winner, 'sent'],
      ]);
      expect(records.map((r) => r.record.key)).toEqual([rootDeletionKey(account), rootDeletionKey(account, 2)]);
      expect(await rootDeletionRecords(a, '111111111111')).toEqual([]);
    });
  });

  describe(`${name}: live checks`, () => {
    it(
      'keeps the latest live check of each IAM user, ' + 'verdicts and dates intact; an older one changes nothing',
      async () => {
        const s = await factory.fresh();
        expect(await s.liveCheck(ACCOUNT, 'ann')).toBeUndefined();
        const grace = graceUser('ann');
        await s.recordLiveCheck({
          accountId: ACCOUNT,
          userName: 'ann',
          checkedAt: MONDAY_10,
          found: true,
          partition: 'aws',
          verdicts: [grace],
        });
        expect(await s.liveCheck(ACCOUNT, 'ann')).toEqual({
          accountId: ACCOUNT,
          userName: 'ann',
          checkedAt: MONDAY_10,
          found: true,
          partition: 'aws',
          verdicts: [grace],
        });
        const later = new Date(MONDAY_10.getTime() + DAY);
        await s.recordLiveCheck({
          accountId: ACCOUNT,
          userName: 'ann',
          checkedAt: later,
          found: true,
          partition: 'aws',
          verdicts: [passingUser('ann')],
        });
        await s.recordLiveCheck({
          accountId: ACCOUNT,
          userName: 'ann',
          checkedAt: MONDAY_10,
          found: true,
          partition: 'aws',
          verdicts: [failingUser('ann')],
        });
        expect(await s.liveCheck(ACCOUNT, 'ann')).toMatchObject({ checkedAt: later, verdicts: [{ status: 'pass' }] });
        await s.recordLiveCheck({ accountId: ACCOUNT, userName: 'bob', checkedAt: later, found: false, verdicts: [] });
        expect(await s.liveCheck(ACCOUNT, 'bob')).toEqual({
          accountId: ACCOUNT,
          userName: 'bob',
          checkedAt: later,
          found: false,
          verdicts: [],
        });
        expect(await s.liveCheck('999988887777', 'ann')).toBeUndefined();
      },
    );
  });

  describe(`${name}: enforcement`, () => {
    it('keeps the last use of active access keys with a verdict', async () => {
      const s = await factory.fresh();
      const keysLastUsed = new Date(MONDAY_10.getTime() - 3 * DAY);
      await s.saveScan(scanOf([{ ...failingUser('ann'), keysLastUsed }, failingUser('bob')]), identities);
      const verdicts = (await s.latestScan())!.scan.accounts[0]!.verdicts;
      expect(verdicts.find((v) => v.principal === 'ann')?.keysLastUsed).toEqual(keysLastUsed);
      expect(verdicts.find((v) => v.principal === 'bob')).not.toHaveProperty('keysLastUsed');
    });

    it('records who decided a step with its claim, and with a retaken claim the new decider', async () => {
      const s = await factory.fresh();
      await withAnnCase(s);
      const enforced: DeliveryKey = { type: 'case', case: ANN, step: 'enforced' };
      const intent = { key: enforced, kind: 'enforced' as const, recipient: 'UANN0000001', at: MONDAY_10 };
      await s.claim({ ...intent, claimId: 'e1', by: 'UAPPROVER01' });
      expect(await s.markFailed('e1', 'Throttling', { retryable: true })).toBe(true);
      expect(await s.claim({ ...intent, claimId: 'e2', by: 'UAPPROVER02' })).toMatchObject({ claimed: true });
      await s.markSent('e2', { at: MONDAY_10 });
      expect(await s.delivery(enforced)).toMatchObject({ state: 'sent', by: 'UAPPROVER02' });
      expect((await s.cases())[0]!.messages).toMatchObject([{ step: 'enforced', by: 'UAPPROVER02' }]);
      await s.claim({ key: nudge1, kind: 'nudge', recipient: 'UANN0000001', claimId: 'n1', at: MONDAY_10 });
      expect(await s.delivery(nudge1)).not.toHaveProperty('by');
    });

    it('keeps exemptions granted in Slack, with who granted them and when, expired ones too', async () => {
      const s = await factory.fresh();
      expect(await s.grantedExemptions()).toEqual([]);
      const first = {
        account: ACCOUNT,
        principal: 'ann',
        reason: 'on leave until March',
        expires: new Date('2027-03-01T00:00:00Z'),
        grantedBy: 'UAPPROVER01',
        grantedAt: MONDAY_10,
      };
      const second = { ...first, principal: 'bob', reason: 'vendor', grantedAt: new Date(MONDAY_10.getTime() + DAY) };
      await s.grantExemption(second);
      await s.grantExemption(first);
      expect(await s.grantedExemptions()).toEqual([first, second]);
    });
  });
}
