import { callerAccount } from '../aws/account-snapshot.js';
import { KeyedQueue } from './person-limits.js';
import type { AwsClients } from '../aws/clients.js';
import type { Config } from '../config/schema.js';
import { addDays, isoDate } from '../domain/dates.js';
import { enforcementBar } from '../domain/enforcement/guard-rails.js';
import { ENFORCED_STEP, enforcementsOnDay, isEnforced, LIFTED_STEP } from '../domain/enforcement/steps.js';
import type { NudgeCase } from '../domain/ledger.js';
import type { Partition, Verdict } from '../domain/types.js';
import type { SlackApi } from '../slack/api.js';
import type { Decision } from '../slack/blocks/enforcement.js';
import type { NudgeAccount } from '../slack/blocks/format.js';
import { editRequest, markRequestEnforced, policyStep, sendEnforcedNotice } from '../jobs/enforce.js';
import type { StateStore } from '../store/store.js';
import type { IamUserRef } from '../aws/user-check.js';

/** What came of an approver's decision: said back to them when it could not be carried out. */
export type DecisionResult = { ok: true; done: string } | { ok: false; reason: string };

/** The decisions on an enforcement request (the buttons and the Exempt… modal); the presser is an approver. */
export interface EnforcementPorts {
  enforce(ref: IamUserRef, by: string, slack: SlackApi): Promise<DecisionResult>;
  postpone(ref: IamUserRef, by: string, slack: SlackApi): Promise<DecisionResult>;
  exempt(
    ref: IamUserRef,
    exemption: { reason: string; expires: Date },
    by: string,
    slack: SlackApi,
  ): Promise<DecisionResult>;
  lift(ref: IamUserRef, by: string, slack: SlackApi): Promise<DecisionResult>;
}

export const POSTPONE_DAYS = 7;

interface Target {
  c: NudgeCase;
  verdict?: Verdict;
  account: NudgeAccount;
}

/** The decisions, over the state store and the accounts' IAM clients (the audit role for members). */
export class EnforcementDecisions implements EnforcementPorts {
  /** The Enforce decisions under way, per account: one at a time, so two presses cannot both pass the day's cap. */
  private readonly enforcing = new KeyedQueue();

  constructor(
    private readonly deps: {
      store: StateStore;
      config: Config;
      now: () => Date;
      clientsFor: (accountId: string) => Promise<AwsClients | undefined> | AwsClients | undefined;
    },
  ) {}

  private async target(ref: IamUserRef): Promise<Target | undefined> {
    const [c] = await this.deps.store.cases({ ...ref, latestOnly: true });
    if (!c) return undefined;
    const latest = await this.deps.store.latestScan();
    const a = latest?.scan.accounts.find((x) => x.accountId === ref.accountId);
    const scanned = (await this.deps.store.userVerdicts(ref.accountId, ref.userName))?.verdicts.find(
      (v) => v.check === 'user-console-mfa',
    );
    const verdict = c.live && !c.resolvedAt ? c.live.verdict : scanned;
    const account: NudgeAccount = {
      accountId: ref.accountId,
      partition: a?.partition ?? 'aws',
      ...(a?.alias ? { alias: a.alias } : {}),
      ...(a?.name ? { name: a.name } : {}),
    };
    return { c, ...(verdict ? { verdict } : {}), account };
  }

  private async iamFor(accountId: string) {
    return (await this.deps.clientsFor(accountId))?.iam;
  }

  private async selfArns(accountId: string): Promise<string[]> {
    const clients = await this.deps.clientsFor(accountId);
    const me = clients ? await callerAccount(clients.sts).catch(() => undefined) : undefined;
    return me?.arn ? [me.arn] : [];
  }

  private jobDeps(slack: SlackApi) {
    return { ...this.deps, slack, iamFor: (id: string) => this.iamFor(id) };
  }

  private async edit(slack: SlackApi, ref: IamUserRef, decision: Decision): Promise<void> {
    const t = await this.target(ref);
    const person = (await this.deps.store.identityOf(ref.accountId, ref.userName))?.identity.slackUserId;
    if (t) await editRequest({ slack, now: this.deps.now }, t.c, t.account, decision, person);
  }

  enforce(ref: IamUserRef, by: string, slack: SlackApi): Promise<DecisionResult> {
    return this.enforcing.run(ref.accountId, () => this.enforceNow(ref, by, slack));
  }

  private async enforceNow(ref: IamUserRef, by: string, slack: SlackApi): Promise<DecisionResult> {
    const { config, now } = this.deps;
    if (!config.enforcement.enabled) return { ok: false, reason: 'enforcement.enabled is false in the config' };
    const t = await this.target(ref);
    if (!t || t.c.resolvedAt) return { ok: false, reason: `${ref.userName} has no open case: MFA may be on already` };
    if (!t.verdict) return { ok: false, reason: `no scan has judged ${ref.userName} yet` };
    const bar = enforcementBar(t.verdict, config.enforcement, {
      now: now(),
      selfArns: await this.selfArns(ref.accountId),
    });
    if (bar) return { ok: false, reason: `${ref.userName} is never enforced: ${bar}` };
    const capped = await this.dailyCap(ref.accountId, now());
    if (capped) return { ok: false, reason: capped };
    const outcome = await policyStep(
      this.jobDeps(slack),
      { key: t.c, partition: t.account.partition as Partition, userArn: t.verdict.arn },
      ENFORCED_STEP,
      by,
    );
    if (outcome.status === 'skipped') return { ok: false, reason: 'it was already enforced (or is being enforced)' };
    if (outcome.status === 'failed') return { ok: false, reason: `AWS refused: ${outcome.error}` };
    const [c] = await this.deps.store.cases({ ...ref, latestOnly: true });
    if (c) await markRequestEnforced({ slack, store: this.deps.store, now }, c, t.account, { by, at: now() });
    const person = await this.deps.store.identityOf(ref.accountId, ref.userName);
    if (person) await sendEnforcedNotice(this.jobDeps(slack), t.c, t.account, person.identity.slackUserId);
    return { ok: true, done: 'enforced' };
  }

  /**
   * enforcement.maxPerRun also caps the Enforce button: per account and UTC day, counting the runs' enforcements,
   * so a stream of presses cannot limit more people at once than a run could.
   */
  private async dailyCap(accountId: string, at: Date): Promise<string | undefined> {
    const max = this.deps.config.enforcement.maxPerRun;
    const done = enforcementsOnDay(await this.deps.store.cases({ accountId }), accountId, at);
    if (done < max) return undefined;
    return (
      `enforcement.maxPerRun (${max}) is reached in account ${accountId} today (${isoDate(at)}, UTC): ` +
      `${done} enforced already, by runs and presses. Press again tomorrow, or raise enforcement.maxPerRun in ` +
      'the config'
    );
  }

  async postpone(ref: IamUserRef, by: string, slack: SlackApi): Promise<DecisionResult> {
    const at = this.deps.now();
    const until = addDays(at, POSTPONE_DAYS);
    if (!(await this.deps.store.snooze(ref.accountId, ref.userName, until, { at, by })))
      return { ok: false, reason: `${ref.userName} has no open case: MFA may be on already` };
    await this.edit(slack, ref, { kind: 'postponed', by, at, until });
    return { ok: true, done: `postponed until ${until.toISOString()}` };
  }

  async exempt(
    ref: IamUserRef,
    exemption: { reason: string; expires: Date },
    by: string,
    slack: SlackApi,
  ): Promise<DecisionResult> {
    const at = this.deps.now();
    await this.deps.store.grantExemption({
      account: ref.accountId,
      principal: ref.userName,
      reason: exemption.reason,
      expires: exemption.expires,
      grantedBy: by,
      grantedAt: at,
    });
    // Until a scan applies the exemption, nothing more is asked or sent; a limit already on comes off now.
    await this.deps.store.snooze(ref.accountId, ref.userName, exemption.expires, { at, by });
    const t = await this.target(ref);
    if (t && isEnforced(t.c)) {
      const lifted = await this.liftCase(t, by, slack);
      if (!lifted.ok) return lifted;
    }
    await this.edit(slack, ref, { kind: 'exempted', by, at, until: exemption.expires, reason: exemption.reason });
    return { ok: true, done: `exempted until ${exemption.expires.toISOString()}` };
  }

  async lift(ref: IamUserRef, by: string, slack: SlackApi): Promise<DecisionResult> {
    const t = await this.target(ref);
    if (!t || !isEnforced(t.c)) return { ok: false, reason: `${ref.userName} is not enforced` };
    const lifted = await this.liftCase(t, by, slack);
    if (lifted.ok) await this.edit(slack, ref, { kind: 'lifted', by, at: this.deps.now() });
    return lifted;
  }

  private async liftCase(t: Target, by: string, slack: SlackApi): Promise<DecisionResult> {
    const outcome = await policyStep(
      this.jobDeps(slack),
      { key: t.c, partition: t.account.partition as Partition, ...(t.verdict ? { userArn: t.verdict.arn } : {}) },
      LIFTED_STEP,
      by,
    );
    if (outcome.status === 'failed') return { ok: false, reason: `AWS refused: ${outcome.error}` };
    return { ok: true, done: 'lifted' };
  }
}
