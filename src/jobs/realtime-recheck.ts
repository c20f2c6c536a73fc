import type { AwsClients } from '../aws/clients.js';
import { checkUserLive, type UserCheckResult } from '../aws/user-check.js';
import type { Config } from '../config/schema.js';
import type { Verdict } from '../domain/types.js';
import type { SlackApi } from '../slack/api.js';
import { buildRealtimeAlert } from '../slack/blocks/realtime-alert.js';
import { buildThankYou } from '../slack/blocks/thank-you.js';
import type { StateStore } from '../store/store.js';

/** An IAM change CloudTrail reported, reduced to what the bot needs. */
export interface IamChange {
  accountId: string;
  userName: string;
  eventName: string;
  actor?: string;
}

export type RealtimeOutcome =
  /** MFA is on now: the open nudge case is resolved and its owner thanked. */
  | 'thanked'
  /** Nothing to protect any more (no console password, user gone): the open case is resolved. */
  | 'resolved'
  /** A console password without MFA, past any grace period: the security channel is told. */
  | 'alerted'
  /** As for 'alerted', but neither slack.securityChannel nor slack.digestChannel is set: logged only. */
  | 'no-channel'
  /** Within the grace period: the nudge pass reminds them at their working hours. */
  | 'left-to-nudges'
  /** Compliant (or exempt) and nothing for the bot to close: nothing to say. */
  | 'nothing'
  | 'check-failed';

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

/**
 * Re-checks one IAM user live after CloudTrail reported a change to its login or MFA, and acts on what the
 * check says: thank and resolve, resolve, alert the security channel, or leave it to the nudge pass.
 */
export async function recheckAfterIamChange(change: IamChange, deps: RealtimeDeps): Promise<RealtimeOutcome> {
  const { accountId, userName } = change;
  const result = await liveCheck(change, deps);
  if (result.kind === 'error') {
    deps.log(`${change.eventName}: ${userName} in ${accountId} could not be checked: ${result.error.code}: ${result.error.message}`);
    return 'check-failed';
  }
  const verdict = consoleVerdict(result);
  const status = result.kind === 'not-found' ? 'gone' : (verdict?.status ?? 'not_applicable');
  const open = (await deps.store.cases({ accountId, userName, latestOnly: true })).find((c) => !c.resolvedAt);
  const owner = (await deps.store.identityOf(accountId, userName))?.identity.slackUserId;
  const now = deps.now();
  const account = { accountId, partition: result.kind === 'checked' ? result.partition : ('aws' as const) };

  if (status === 'fail') {
    const channel = deps.config.slack.securityChannel ?? deps.config.slack.digestChannel;
    if (!channel) {
      deps.log(`${change.eventName}: ${userName} in ${accountId} has no MFA, but no security channel is configured to tell`);
      return 'no-channel';
    }
    const alert = buildRealtimeAlert({ account, userName, eventName: change.eventName, now, ...(change.actor ? { actor: change.actor } : {}), ...(owner ? { ownerSlackUserId: owner } : {}) });
    await deps.slack.postMessage({ channel, text: alert.text, blocks: alert.blocks });
    return 'alerted';
  }
  if (status === 'grace') return 'left-to-nudges';
  if (status === 'error' || status === 'not_evaluated') {
    deps.log(`${change.eventName}: ${userName} in ${accountId}: ${verdict?.reason ?? status}`);
    return 'check-failed';
  }
  // An exemption is the scan's to record (its resolution is not "fixed").
  if (!open || status === 'exempt') return 'nothing';
  if (status === 'pass' && owner) {
    const thanks = buildThankYou({ account, userName, slackUserId: owner, now });
    const posted = await deps.slack.postMessage({ channel: owner, text: thanks.text, blocks: thanks.blocks });
    const thanked = posted.channel && posted.ts ? { channel: posted.channel, ts: posted.ts } : undefined;
    await deps.store.resolveByRecheck(accountId, userName, now, thanked ? { thanked } : undefined);
    return 'thanked';
  }
  await deps.store.resolveByRecheck(accountId, userName, now);
  return 'resolved';
}
