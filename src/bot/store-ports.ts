import type { AwsClients } from '../aws/clients.js';
import { checkUserLive } from '../aws/user-check.js';
import type { Config } from '../config/schema.js';
import type { SlackIdentity } from '../domain/identity.js';
import type { NudgeCase } from '../domain/ledger.js';
import { coverageHeadline, type CoverageHeadline } from '../domain/metrics/coverage.js';
import type { StateStore, StoredScan } from '../store/store.js';
import type { BotPorts, IamUserRef, LatestScan, LiveCheckRecord, ScanNowReport, UserCheckResult } from './ports.js';
import { liveRecordOf } from './status-rows.js';
import { withStoreExemptions } from '../jobs/granted-exemptions.js';
import { liftAfterFix } from '../jobs/enforce.js';
import { EnforcementDecisions } from './enforcement-decisions.js';

export interface StorePortsDeps {
  store: StateStore;
  config: Config;
  now: () => Date;
  /** Credentials for a live re-check in one account; undefined when the bot cannot reach it. */
  clientsFor: (accountId: string) => Promise<AwsClients | undefined> | AwsClients | undefined;
  /** When the scheduler runs the next scan. */
  nextScanAt?: () => Date | null | undefined;
  /** Runs the scheduled scan job now (scan, digest, nudges); without it, `/mfa-check scan` is not offered. */
  runScan?: () => Promise<unknown>;
}

/** What the Slack listeners read and write, kept in the state store that the scheduled jobs share. */
export class StorePorts implements BotPorts {
  readonly scanNow?: () => Promise<ScanNowReport>;
  readonly enforcement: EnforcementDecisions;

  constructor(private readonly deps: StorePortsDeps) {
    this.enforcement = new EnforcementDecisions(deps);
    const runScan = deps.runScan;
    if (runScan) {
      this.scanNow = async () => {
        const requestedAt = this.deps.now();
        await runScan();
        return this.reportSince(requestedAt);
      };
    }
  }

  private async reportSince(requestedAt: Date): Promise<ScanNowReport> {
    const stored = await this.deps.store.latestScan();
    if (!stored) return { finished: false };
    const latest = this.withNextScan(stored);
    if (stored.scannedAt < requestedAt) return { finished: false, latest };
    const channel = this.deps.config.slack.digestChannel;
    if (!channel) return { finished: true, latest };
    const posted = await this.deps.store.delivery({ type: 'digest', channel, fingerprint: stored.fingerprint });
    const postedAt =
      posted?.state === 'sent' || posted?.state === 'unconfirmed' ? (posted.sentAt ?? posted.claimedAt) : undefined;
    return { finished: true, latest, digest: { channel, ...(postedAt ? { postedAt } : {}) } };
  }

  private withNextScan(stored: StoredScan): LatestScan {
    const next = this.deps.nextScanAt?.();
    return { scan: stored.scan, ...(next ? { nextScanAt: next } : {}) };
  }

  async latestScan(): Promise<LatestScan | undefined> {
    const stored = await this.deps.store.latestScan();
    return stored ? this.withNextScan(stored) : undefined;
  }

  async coverageHeadline(now: Date): Promise<CoverageHeadline | undefined> {
    // Only a user's latest case can be open.
    const [summaries, cases] = await Promise.all([
      this.deps.store.scanSummaries(),
      this.deps.store.cases({ latestOnly: true }),
    ]);
    return coverageHeadline(summaries, cases, now);
  }

  async iamUsersOf(slackUserId: string): Promise<IamUserRef[]> {
    return (await this.deps.store.identitiesOf(slackUserId)).map(({ accountId, userName }) => ({
      accountId,
      userName,
    }));
  }

  async slackIdentityOf(ref: IamUserRef): Promise<SlackIdentity | undefined> {
    return (await this.deps.store.identityOf(ref.accountId, ref.userName))?.identity;
  }

  async recheck(ref: IamUserRef): Promise<UserCheckResult> {
    const clients = await this.deps.clientsFor(ref.accountId);
    if (!clients) {
      return {
        kind: 'error',
        ...ref,
        error: { code: 'AccountNotReachable', message: `mfa-bot has no credentials for account ${ref.accountId}` },
        checkedAt: this.deps.now(),
      };
    }
    const result = await checkUserLive(clients.iam, ref, {
      settings: this.deps.config.checks,
      exemptions: (await withStoreExemptions(this.deps.config, this.deps.store)).exemptions,
      now: this.deps.now,
    });
    const record = liveRecordOf(result);
    if (record) await this.deps.store.recordLiveCheck(record);
    return result;
  }

  liveCheck(ref: IamUserRef): Promise<LiveCheckRecord | undefined> {
    return this.deps.store.liveCheck(ref.accountId, ref.userName);
  }

  async claimRequest(key: string, ttlMs: number): Promise<boolean> {
    const at = this.deps.now();
    return this.deps.store.claimRequest(key, at, new Date(at.getTime() + ttlMs));
  }

  async openCase(ref: IamUserRef): Promise<NudgeCase | undefined> {
    return (await this.deps.store.cases({ ...ref, latestOnly: true })).find((c) => !c.resolvedAt);
  }

  async snooze(ref: IamUserRef, until: Date, bySlackUserId: string): Promise<void> {
    await this.deps.store.snooze(ref.accountId, ref.userName, until, { at: this.deps.now(), by: bySlackUserId });
  }

  async recordHelpRequest(ref: IamUserRef, bySlackUserId: string, at: Date): Promise<void> {
    await this.deps.store.recordHelpRequest({
      accountId: ref.accountId,
      userName: ref.userName,
      slackUserId: bySlackUserId,
      at,
    });
  }

  async lastHelpRequest(ref: IamUserRef, bySlackUserId: string): Promise<Date | undefined> {
    const mine = (await this.deps.store.helpRequests({ accountId: ref.accountId, userName: ref.userName })).filter(
      (r) => r.slackUserId === bySlackUserId,
    );
    return mine.reduce<Date | undefined>((last, r) => (!last || r.at > last ? r.at : last), undefined);
  }

  async markResolved(
    ref: IamUserRef,
    at: Date,
    replaced?: { channel: string; ts: string },
    resolution?: 'fixed' | 'no-console' | 'gone',
  ): Promise<void> {
    await this.deps.store.resolveByRecheck(ref.accountId, ref.userName, at, {
      ...(replaced ? { thanked: replaced } : {}),
      ...(resolution ? { resolution } : {}),
    });
    // The require-MFA policy comes off now; the next run edits the request (this port has no Slack client).
    await liftAfterFix({ ...this.deps, iamFor: async (id) => (await this.deps.clientsFor(id))?.iam }, ref);
  }
}
