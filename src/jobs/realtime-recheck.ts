import type { AwsClients } from '../aws/clients.js';
import { checkUserLive, type UserCheckResult } from '../aws/user-check.js';
import type { Config } from '../config/schema.js';
import { caseKeyOf } from '../domain/ledger.js';
import type { Verdict } from '../domain/types.js';
import type { SlackApi } from '../slack/api.js';
import type { NudgeAccount } from '../slack/blocks/format.js';
import { buildRealtimeAlert } from '../slack/blocks/realtime-alert.js';
import type { StateStore } from '../store/store.js';
import { accountLabelled, nudgeAfterLiveCheck, thankAfterLiveCheck, type LiveNudgeOutcome } from './realtime-nudge.js';

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
  clientsFor: (accountId: string) => Promise<AwsClients | undefined>;
  now: () => Date;
  log: (line: string) => void;
}

async function liveCheck(change: IamChange, deps: RealtimeDeps): Promise<UserCheckResult> {
  const ref = { accountId: change.accountId, userName: change.userName };
  const clients = await deps.clientsFor(change.accountId);
  if (!clients) return { kind: 'error', ...ref, error: { code: 'AccountNotReachable', message: `mfa-bot has no credentials for account ${change.accountId}` }, checkedAt: deps.now() };
  return checkUserLive(clients.iam, ref, { settings: deps.config.checks, exemptions: deps.config.exemptions, now: deps.now });
}

function consoleVerdict(result: UserCheckResult): Verdict | undefined {
  return result.kind === 'checked' ? result.verdicts.find((v) => v.check === 'user-console-mfa') : undefined;
}

async function alertChannel(change: IamChange, deps: RealtimeDeps, input: { account: NudgeAccount; owner?: string; nudge: LiveNudgeOutcome }): Promise<RealtimeOutcome['alert']> {
  const channel = deps.config.slack.securityChannel ?? deps.config.slack.digestChannel;
  if (!channel) {
    deps.log(`${change.eventName}: ${change.userName} in ${change.accountId} has no MFA, but no security channel is configured to tell`);
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
  await deps.slack.postMessage({ channel, text: alert.text, blocks: alert.blocks });
  return 'posted';
}

/**
 * Re-checks one IAM user live after CloudTrail reported a change to its login or MFA, and acts on what the
 * check says: thank and resolve, resolve, or open a case, nudge the user at once (in their working hours)
 * and, when the login is past any grace period, alert the security channel.
 */
export async function recheckAfterIamChange(change: IamChange, deps: RealtimeDeps): Promise<RealtimeOutcome> {
  const { accountId, userName } = change;
  const result = await liveCheck(change, deps);
  if (result.kind === 'error') {
    deps.log(`${change.eventName}: ${userName} in ${accountId} could not be checked: ${result.error.code}: ${result.error.message}`);
    return { result: 'check-failed' };
  }
  const verdict = consoleVerdict(result);
  const status = result.kind === 'not-found' ? 'gone' : (verdict?.status ?? 'not_applicable');
  const now = deps.now();
  const partition = result.kind === 'checked' ? result.partition : 'aws';
  // The live check had clients for the account, so these are there (and cached).
  const clients = async () => (await deps.clientsFor(accountId))!;

  if (result.kind === 'checked' && verdict && (status === 'fail' || status === 'grace')) {
    const account = await accountLabelled(deps.store, (await clients()).iam, { accountId, partition });
    const live = await nudgeAfterLiveCheck({ verdict, account, clients: await clients(), checkedAt: result.checkedAt }, deps);
    const outcome: RealtimeOutcome = { result: live.opened ? 'opened' : 'open', nudge: live.nudge };
    // The channel hears of a login newly left bare, once: not of one it knew about (the digest lists
    // those), nor again when EventBridge delivers the same event twice.
    if (status === 'grace' || !live.opened) return outcome;
    return { ...outcome, alert: await alertChannel(change, deps, { account, nudge: live.nudge, ...(live.identity ? { owner: live.identity.slackUserId } : {}) }) };
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
    const thanks = await thankAfterLiveCheck({ verdict, account, clients: await clients(), checkedAt: result.checkedAt }, deps);
    return thanks === 'sent' ? { result: 'thanked' } : { result: 'resolved', ...(thanks === 'waiting' ? { thanks: 'waiting' as const } : {}) };
  }
  // No console password any more, or no user: nothing to thank anyone for.
  await deps.store.applyCaseChanges([{ type: 'resolve', key: caseKeyOf(open), resolution: status === 'gone' ? 'gone' : 'no-console', at: now }]);
  return { result: 'resolved' };
}
