import type { AwsClients } from '../../aws/clients.js';
import { checkUserLive } from '../../aws/user-check.js';
import { fetchUserTags } from '../../aws/user-tags.js';
import type { Config } from '../../config/schema.js';
import { identityKey, type SlackIdentity } from '../../domain/identity.js';
import type { AccountError, ScanResult } from '../../domain/types.js';
import { scanCurrentAccount } from '../../jobs/scan.js';
import type { SlackApi } from '../api.js';
import { plural } from '../blocks/format.js';
import { SlackDirectory } from '../directory.js';
import { slackErrorCode } from '../errors.js';
import { resolveIdentities, type IamPerson } from '../identity.js';
import { silentLog, type BotLog } from './logger.js';
import type { BotPorts, IamUserRef, LatestScan, LiveCheckRecord, UserCheckResult } from './ports.js';
import { liveRecordOf } from './status-rows.js';

/** Where scans come from, and the AWS clients that reach each scanned account. */
export interface ScanSource {
  scan(): Promise<ScanResult>;
  /** Undefined for an account these credentials cannot reach. */
  clientsFor(accountId: string): AwsClients | undefined;
}

/** The account of the current credentials, as `mfa-bot scan` sees it; `signal` stops a scan that waits on AWS. */
export function currentAccountSource(aws: AwsClients, config: Config, now: () => Date, signal?: AbortSignal): ScanSource {
  let accountId: string | undefined;
  return {
    async scan() {
      const result = await scanCurrentAccount(aws, config, { now, ...(signal ? { polling: { signal } } : {}) });
      accountId = result.accounts[0]?.accountId;
      return result;
    },
    clientsFor: (id) => (id === accountId ? aws : undefined),
  };
}

export interface MemoryPortsDeps {
  source: ScanSource;
  config: Config;
  /** For e-mail identity rules; without it only Slack IDs from tags and the config map are used. */
  slack?: SlackApi;
  now: () => Date;
  log?: BotLog;
  nextScanAt?: () => Date | undefined;
}

interface Snapshot {
  scan: ScanResult;
  identities: Map<string, SlackIdentity>;
  bySlackUser: Map<string, IamUserRef[]>;
}

export interface SnoozeRecord extends IamUserRef {
  until: Date;
  by: string;
}

export interface HelpRecord extends IamUserRef {
  by: string;
  at: Date;
}

/**
 * BotPorts held in memory: a scan and the identity mapping of every console user in it, refreshed on
 * demand; snoozes, help requests and resolutions are kept until the process exits. A StateStore-backed
 * implementation replaces this once the bot remembers across restarts.
 */
export class MemoryPorts implements BotPorts {
  private current: Snapshot | undefined;
  private running: Promise<void> | undefined;
  private readonly log: BotLog;
  readonly snoozes = new Map<string, SnoozeRecord>();
  readonly helpRequests: HelpRecord[] = [];
  readonly resolved = new Map<string, { at: Date; resolution: 'fixed' | 'no-console' | 'gone' }>();
  /** The latest live check of each IAM user, by identityKey. */
  private readonly liveChecks = new Map<string, LiveCheckRecord>();

  constructor(private readonly deps: MemoryPortsDeps) {
    this.log = deps.log ?? silentLog;
  }

  /** Scans and maps identities again; a call while one runs joins it rather than starting another. */
  refresh(): Promise<void> {
    this.running ??= this.load().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async load(): Promise<void> {
    const { source, config } = this.deps;
    const started = Date.now();
    const scan = await source.scan();
    const people: IamPerson[] = [];
    for (const account of scan.accounts) {
      const clients = source.clientsFor(account.accountId);
      if (account.error || !clients) continue;
      const names = account.verdicts.filter((v) => v.check === 'user-console-mfa' && v.status !== 'not_applicable').map((v) => v.principal);
      const { tags, errors } = await fetchUserTags(clients.iam, names);
      if (errors.size) this.log.warn(`could not read the tags of ${errors.size} IAM users in ${account.accountId} (${[...new Set(errors.values())].join(', ')}); other identity rules still apply`);
      people.push(...names.map((userName) => ({ accountId: account.accountId, userName, tags: tags.get(userName) ?? {} })));
    }
    let directory: SlackDirectory | undefined;
    if (this.deps.slack && people.length) {
      directory = new SlackDirectory(this.deps.slack);
      try {
        await directory.load();
      } catch (err) {
        this.log.warn(`cannot read the Slack member list (${slackErrorCode(err)}): e-mail identity rules are skipped until the next scan`);
        directory = undefined;
      }
    }
    const { identities } = await resolveIdentities(people, config.identity, directory);
    const bySlackUser = new Map<string, IamUserRef[]>();
    for (const person of people) {
      const identity = identities.get(identityKey(person.accountId, person.userName));
      if (!identity) continue;
      const refs = bySlackUser.get(identity.slackUserId) ?? [];
      refs.push({ accountId: person.accountId, userName: person.userName });
      bySlackUser.set(identity.slackUserId, refs);
    }
    this.current = { scan, identities, bySlackUser };
    this.log.info(`scan done in ${Date.now() - started} ms: ${plural(scan.accounts.length, 'account')}, ${plural(people.length, 'console user')}, ${identities.size} mapped to Slack`);
  }

  async latestScan(): Promise<LatestScan | undefined> {
    if (!this.current) return undefined;
    const next = this.deps.nextScanAt?.();
    return { scan: this.current.scan, ...(next ? { nextScanAt: next } : {}) };
  }

  async iamUsersOf(slackUserId: string): Promise<IamUserRef[]> {
    return [...(this.current?.bySlackUser.get(slackUserId) ?? [])];
  }

  async slackIdentityOf(ref: IamUserRef): Promise<SlackIdentity | undefined> {
    return this.current?.identities.get(identityKey(ref.accountId, ref.userName));
  }

  async recheck(ref: IamUserRef): Promise<UserCheckResult> {
    const clients = this.deps.source.clientsFor(ref.accountId);
    const now = this.deps.now;
    if (!clients) {
      const error: AccountError = { code: 'AccountNotReachable', message: `mfa-bot has no credentials for account ${ref.accountId}` };
      return { kind: 'error', ...ref, error, checkedAt: now() };
    }
    const result = await checkUserLive(clients.iam, ref, { settings: this.deps.config.checks, exemptions: this.deps.config.exemptions, now });
    const record = liveRecordOf(result);
    if (record) this.liveChecks.set(identityKey(ref.accountId, ref.userName), record);
    return result;
  }

  async liveCheck(ref: IamUserRef): Promise<LiveCheckRecord | undefined> {
    return this.liveChecks.get(identityKey(ref.accountId, ref.userName));
  }

  async snooze(ref: IamUserRef, until: Date, bySlackUserId: string): Promise<void> {
    this.snoozes.set(identityKey(ref.accountId, ref.userName), { ...ref, until, by: bySlackUserId });
  }

  async recordHelpRequest(ref: IamUserRef, bySlackUserId: string, at: Date): Promise<void> {
    this.helpRequests.push({ ...ref, by: bySlackUserId, at });
  }

  async lastHelpRequest(ref: IamUserRef, bySlackUserId: string): Promise<Date | undefined> {
    const mine = this.helpRequests.filter((r) => r.accountId === ref.accountId && r.userName === ref.userName && r.by === bySlackUserId);
    return mine.at(-1)?.at;
  }

  async markResolved(ref: IamUserRef, at: Date, _replaced?: { channel: string; ts: string }, resolution: 'fixed' | 'no-console' | 'gone' = 'fixed'): Promise<void> {
    this.resolved.set(identityKey(ref.accountId, ref.userName), { at, resolution });
  }
}
