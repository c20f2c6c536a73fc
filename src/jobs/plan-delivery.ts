import type { KnownBlock } from '@slack/types';
import type { Config } from '../config/schema.js';
import type { PlannedChart } from './digest-chart.js';
import type { IdentityConflict, IdentityMap } from '../domain/identity.js';
import type { EnforcementPlan } from '../domain/enforcement/plan.js';
import type { EnforcementStanding } from '../domain/enforcement/steps.js';
import type { MessageKind } from '../domain/ledger.js';
import type { NudgePlan, PlannedAction, WaitingAction } from '../domain/nudge-plan.js';
import type { AccountResult, ScanResult, Verdict } from '../domain/types.js';
import type { DigestMemory } from '../slack/blocks/digest-memory.js';
import { buildDigest } from '../slack/blocks/digest.js';
import { buildEscalation } from '../slack/blocks/escalation.js';
import { ordinal, type NudgeAccount, type SlackMessage } from '../slack/blocks/format.js';
import { buildNudge } from '../slack/blocks/nudge.js';
import { buildResolvedNudgeUpdate } from '../slack/blocks/resolved-nudge.js';
import { buildThankYou } from '../slack/blocks/thank-you.js';
import type { IdentityResolution } from '../slack/identity.js';
import type { DeliveryKey, DeliveryRecord } from '../store/store.js';

export type { NudgeKind } from '../slack/blocks/nudge.js';

/** One message to send (or, with `update`, to edit), with the ledger key that makes it happen once. */
export interface PlannedMessage {
  key: DeliveryKey;
  kind: MessageKind;
  /** A Slack user ID (a DM), a channel ID, or for updates the DM channel (D…) of the message. */
  to: string;
  update?: { ts: string };
  accountId: string;
  userName: string;
  /** "first nudge", "2nd reminder", "thank-you"…: for people reading previews and logs. */
  label: string;
  text: string;
  blocks: KnownBlock[];
}

export interface PlannedDigest {
  channel?: string;
  text: string;
  blocks: KnownBlock[];
  overflow?: { filename: string; content: string; title: string };
  /** Absent without a channel. */
  key?: DeliveryKey;
  /** Set when this scan's digest already went to this channel: it is not posted again. */
  alreadyPosted?: DeliveryRecord;
  /** The coverage chart for the digest's thread (digest.chart), when this digest carries it. */
  chart?: PlannedChart;
}

export interface DeliveryPlan {
  /** Absent in a nudge pass, which posts no digest. */
  digest?: PlannedDigest;
  /** slack.routes: one digest per routed channel, of just its accounts. */
  routedDigests?: PlannedDigest[];
  messages: PlannedMessage[];
  /** Due later: the cadence, a snooze or the recipient's working hours hold them back. */
  waiting: WaitingAction[];
  unmapped: IdentityResolution['unmapped'];
  nudgesEnabled: boolean;
  /** The enforcement stages (their messages are in `messages`), for previews: what is held back and why. */
  enforcement?: EnforcementPlan;
}

/** The console users someone has to be told about: failing, or in their grace period. */
export function nudgeTargets(scan: ScanResult): Array<{ account: AccountResult; verdict: Verdict }> {
  return scan.accounts.flatMap((account) =>
    account.verdicts
      .filter((v) => v.check === 'user-console-mfa' && (v.status === 'fail' || v.status === 'grace'))
      .map((verdict) => ({ account, verdict })),
  );
}

export function planDigest(
  scan: ScanResult,
  identities: IdentityMap,
  config: Config,
  now: Date,
  extra: {
    fingerprint: string;
    memory?: DigestMemory;
    alreadyPosted?: DeliveryRecord;
    conflicts?: readonly IdentityConflict[];
    enforcement?: EnforcementStanding;
  },
): PlannedDigest {
  const channel = config.slack.digestChannel;
  return {
    ...buildDigest({
      scan,
      identities,
      now,
      ...(extra.memory ? { memory: extra.memory } : {}),
      ...(extra.conflicts?.length ? { conflicts: extra.conflicts } : {}),
      ...(extra.enforcement ? { enforcement: extra.enforcement } : {}),
    }),
    ...(channel ? { channel, key: { type: 'digest', channel, fingerprint: extra.fingerprint } } : {}),
    ...(extra.alreadyPosted ? { alreadyPosted: extra.alreadyPosted } : {}),
  };
}

/** Where extra digests go: slack.routes, and each account's owner (config, else the Organizations tag) by DM. */
export function digestRoutes(
  config: Config,
  taggedOwners: ReadonlyMap<string, string> = new Map(),
  ouAccounts: ReadonlyMap<string, readonly string[]> = new Map(),
): Array<{ channel: string; accounts: string[] }> {
  const owners = new Map([...taggedOwners, ...Object.entries(config.slack.accountOwners)]);
  const byOwner = new Map<string, string[]>();
  for (const [accountId, owner] of owners) byOwner.set(owner, [...(byOwner.get(owner) ?? []), accountId]);
  const routes = config.slack.routes.map((r) => ({
    channel: r.channel,
    accounts: [...new Set([...r.accounts, ...r.ous.flatMap((ou) => ouAccounts.get(ou) ?? [])])],
  }));
  return [...routes, ...[...byOwner].map(([channel, accounts]) => ({ channel, accounts }))];
}

/**
 * A digest for each route that has accounts in this scan, built the same way as the main one from just
 * those accounts. `posted(channel)` says whether this scan's digest already went to a channel.
 */
export function planRoutedDigests(
  scan: ScanResult,
  identities: IdentityMap,
  routes: ReadonlyArray<{ channel: string; accounts: readonly string[] }>,
  now: Date,
  extra: { fingerprint: string; posted: (channel: string) => DeliveryRecord | undefined },
): PlannedDigest[] {
  return routes.flatMap((route) => {
    const accounts = scan.accounts.filter((a) => route.accounts.includes(a.accountId));
    if (accounts.length === 0) return [];
    const alreadyPosted = extra.posted(route.channel);
    return [
      {
        ...buildDigest({ scan: { ...scan, accounts }, identities, now }),
        channel: route.channel,
        key: { type: 'digest' as const, channel: route.channel, fingerprint: extra.fingerprint },
        ...(alreadyPosted ? { alreadyPosted } : {}),
      },
    ];
  });
}

function nudgeAccount(a: AccountResult): NudgeAccount {
  return {
    accountId: a.accountId,
    partition: a.partition,
    ...(a.alias ? { alias: a.alias } : {}),
    ...(a.name ? { name: a.name } : {}),
  };
}

function labelOf(action: PlannedAction): string {
  switch (action.type) {
    case 'nudge':
      return action.kind === 'reminder' ? `${ordinal(action.reminderNumber ?? 1)} reminder` : `${action.kind} nudge`;
    case 'escalation':
      return `escalation after ${action.nudgesSent} nudges`;
    case 'thank-you':
      return 'thank-you';
    case 'resolved-update':
      return 'update of the last nudge';
  }
}

function contentOf(
  action: PlannedAction,
  now: Date,
): { to: string; update?: { ts: string }; kind: MessageKind; message: SlackMessage } {
  const account = nudgeAccount(action.account);
  const userName = action.key.userName;
  switch (action.type) {
    case 'nudge':
      return {
        to: action.recipient,
        kind: 'nudge',
        message: buildNudge({
          verdict: action.verdict,
          account,
          slackUserId: action.recipient,
          kind: action.kind,
          ...(action.reminderNumber ? { reminderNumber: action.reminderNumber } : {}),
          now,
        }),
      };
    case 'escalation':
      return {
        to: action.channel,
        kind: 'escalation',
        message: buildEscalation({
          verdict: action.verdict,
          account,
          slackUserId: action.slackUserId,
          nudgesSent: action.nudgesSent,
          firstNudgedAt: action.firstNudgedAt,
          now,
        }),
      };
    case 'thank-you':
      return {
        to: action.recipient,
        kind: 'thank-you',
        message: buildThankYou({ account, userName, slackUserId: action.recipient, now }),
      };
    case 'resolved-update':
      return {
        to: action.channel,
        update: { ts: action.ts },
        kind: 'resolved-update',
        message: buildResolvedNudgeUpdate({ account, userName, now }),
      };
  }
}

/** The messages of a nudge plan, built with the Block Kit builders. */
export function planMessages(plan: NudgePlan, now: Date): PlannedMessage[] {
  return plan.due.map((action) => {
    const { to, update, kind, message } = contentOf(action, now);
    return {
      key: { type: 'case', case: action.key, step: action.step },
      kind,
      to,
      ...(update ? { update } : {}),
      accountId: action.key.accountId,
      userName: action.key.userName,
      label: labelOf(action),
      ...message,
    };
  });
}

/** Messages that land in someone's DMs: nudges, thank-yous and the enforcement notices. */
export function isDm(m: PlannedMessage): boolean {
  return (
    !m.update &&
    (m.kind === 'nudge' || m.kind === 'thank-you' || m.kind === 'final-notice' || m.kind === 'enforced-notice')
  );
}
