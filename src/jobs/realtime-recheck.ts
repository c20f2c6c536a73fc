import { liftAfterFix } from './enforce.js';
import type { AwsClients } from '../aws/clients.js';
import type { Config } from '../config/schema.js';
import { caseKeyOf, REALTIME_ALERT_STEP, type CaseKey } from '../domain/ledger.js';
import { consoleVerdict } from '../domain/user-state.js';
import type { SlackApi } from '../slack/api.js';
import type { NudgeAccount } from '../slack/blocks/format.js';
import { buildRealtimeAlert } from '../slack/blocks/realtime-alert.js';
import { deliver } from './deliver.js';
import type { IamUserRef, UserCheckResult } from '../aws/user-check.js';
import type { StateStore } from '../store/store.js';
import type { PlannedMessage } from './plan-delivery.js';
import { accountLabelled, nudgeAfterLiveCheck, thankAfterLiveCheck } from './realtime-nudge.js';
import type { LiveNudgeOutcome } from '../domain/nudge-cases.js';

/** An IAM change CloudTrail reported, reduced to what the bot needs. */
export interface IamChange {
  accountId: string;
  userName: string;
  eventName: string;
  actor?: string;
}

export interface RealtimeOutcome {
  /**
   * - thanked: MFA is on now: the open case is resolved, its last nudge updated and its owner thanked;
   * - resolved: the open case is resolved: MFA is on (the thank-you waits, or nobody was nudged), or there
   *   is nothing to protect any more (no console password, user gone);
   * - opened: a console password without MFA (or in its grace period): a case is opened;
   * - open: the same, for a user whose case was open already;
   * - nothing: compliant (or exempt) and nothing for the bot to close;
   * - check-failed: the live check could not say.
   */
  result: 'thanked' | 'resolved' | 'opened' | 'open' | 'nothing' | 'check-failed';
  /** Past any grace period only: the security channel was told, or no channel is configured to tell. */
  alert?: 'posted' | 'no-channel';
  /** Failing or in grace: what became of the DM (see LiveNudgeOutcome). */
  nudge?: LiveNudgeOutcome;
  /** Fixed outside the person's working hours: the thank-you waits for them (the nudge pass sends it). */
  thanks?: 'waiting';
}

export interface RealtimeDeps {
  config: Config;
  store: StateStore;
  slack: SlackApi;
  /** The same live check as `/mfa-check --fresh` and the buttons (the bot's ports give it). */
  recheck: (ref: IamUserRef) => Promise<UserCheckResult>;
  clientsFor: (accountId: string) => Promise<AwsClients | undefined>;
  now: () => Date;
  log: (line: string) => void;
}

/**
 * Tells the security channel once per case, with a claim like every message: an event EventBridge delivers
 * twice finds it sent, and one whose post failed is retried by the next event for that user.
 */
async function alertChannel(
  change: IamChange,
  deps: RealtimeDeps,
  input: { key: CaseKey; account: NudgeAccount; owner?: string; nudge: LiveNudgeOutcome },
): Promise<RealtimeOutcome['alert'] | undefined> {
  const channel = deps.config.slack.securityChannel ?? deps.config.slack.digestChannel;
  if (!channel) {
    deps.log(
      `${change.eventName}: ${change.userName} in ${change.accountId} ` +
        'has no MFA, but no security channel is configured to tell',
    );
    return 'no-channel';
  }
  const alert = buildRealtimeAlert({
    account: input.account,
    userName: change.userName,
    eventName: change.eventName,
    now: deps.now(),
    nudge: input.nudge,
    ...(change.actor ? { actor: change.actor } : {}),
    ...(input.owner ? { ownerSlackUserId: input.owner } : {}),
  });
  const message: PlannedMessage = {
    key: { type: 'case', case: input.key, step: REALTIME_ALERT_STEP },
    kind: 'escalation',
    to: channel,
    accountId: change.accountId,
    userName: change.userName,
    label: 'realtime alert',
    ...alert,
  };
  const [sent] = (
    await deliver(
      { messages: [message], waiting: [], unmapped: [], nudgesEnabled: true },
      { slack: deps.slack, store: deps.store, now: deps.now },
    )
  ).messages;
  if (sent?.status === 'sent') return 'posted';
  if (sent?.status === 'failed')
    throw new Error(
      `the alert for ${change.userName} in ${change.accountId} could not be posted in ${channel}: ${sent.error}`,
    );
  return undefined; // posted before, for this case
}

/**
 * Re-checks one IAM user live after CloudTrail reported a change to its login or MFA, and acts on what the
 * check says: thank and resolve, resolve, or open a case, nudge the user at once (in their working hours)
 * and, when the login is past any grace period, alert the security channel.
 */
export async function recheckAfterIamChange(change: IamChange, deps: RealtimeDeps): Promise<RealtimeOutcome> {
  const { accountId, userName } = change;
  const result = await deps.recheck({ accountId, userName });
  if (result.kind === 'error') {
    deps.log(
      `${change.eventName}: ${userName} in ${accountId} could not ` +
        `be checked: ${result.error.code}: ${result.error.message}`,
    );
    return { result: 'check-failed' };
  }
  const verdict = result.kind === 'checked' ? consoleVerdict(result.verdicts) : undefined;
  const status = result.kind === 'not-found' ? 'gone' : (verdict?.status ?? 'not_applicable');
  const now = deps.now();
  const partition = result.kind === 'checked' ? result.partition : 'aws';
  // The live check had clients for the account, so these are there (and cached).
  const clients = async () => (await deps.clientsFor(accountId))!;

  if (result.kind === 'checked' && verdict && (status === 'fail' || status === 'grace')) {
    const account = await accountLabelled(deps.store, (await clients()).iam, { accountId, partition });
    const live = await nudgeAfterLiveCheck(
      { verdict, account, clients: await clients(), checkedAt: result.checkedAt },
      deps,
    );
    const outcome: RealtimeOutcome = { result: live.opened ? 'opened' : 'open', nudge: live.nudge };
    // The channel hears of a login left bare between scans (a case a live check opened), once; not of one
    // a scan found (the digest lists those).
    if (status === 'grace' || !live.openCase?.live) return outcome;
    const alert = await alertChannel(change, deps, {
      key: caseKeyOf(live.openCase),
      account,
      nudge: live.nudge,
      ...(live.identity ? { owner: live.identity.slackUserId } : {}),
    });
    return alert ? { ...outcome, alert } : outcome;
  }
  if (status === 'error' || status === 'not_evaluated') {
    deps.log(`${change.eventName}: ${userName} in ${accountId}: ${verdict?.reason ?? status}`);
    return { result: 'check-failed' };
  }
  const open = (await deps.store.cases({ accountId, userName, latestOnly: true })).find((c) => !c.resolvedAt);
  // An exemption is the scan's to record (its resolution is not "fixed").
  if (!open || status === 'exempt') return { result: 'nothing' };
  if (result.kind === 'checked' && verdict && status === 'pass') {
    const account = await accountLabelled(deps.store, (await clients()).iam, { accountId, partition });
    const thanks = await thankAfterLiveCheck(
      { verdict, account, clients: await clients(), checkedAt: result.checkedAt },
      deps,
    );
    await liftAfterFix({ ...deps, iamFor: async (id) => (await deps.clientsFor(id))?.iam }, { accountId, userName });
    return thanks === 'sent'
      ? { result: 'thanked' }
      : { result: 'resolved', ...(thanks === 'waiting' ? { thanks: 'waiting' as const } : {}) };
  }
  // No console password any more, or no user: nothing to thank anyone for.
  await deps.store.resolveByRecheck(accountId, userName, now, {
    resolution: status === 'gone' ? 'gone' : 'no-console',
  });
  await liftAfterFix({ ...deps, iamFor: async (id) => (await deps.clientsFor(id))?.iam }, { accountId, userName });
  return { result: 'resolved' };
}
