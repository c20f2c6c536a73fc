import type { IAMClient } from '@aws-sdk/client-iam';
import { fetchAccountAlias } from '../aws/account-snapshot.js';
import { fetchUserTags } from '../aws/user-tags.js';
import type { AwsClients } from '../aws/clients.js';
import type { Config } from '../config/schema.js';
import { identityKey, type SlackIdentity } from '../domain/identity.js';
import { nudgeStep, type NudgeCase } from '../domain/ledger.js';
import { openFromLiveCheck, type LiveNudgeOutcome } from '../domain/nudge-cases.js';
import type { WaitingAction } from '../domain/nudge-plan.js';
import type { AccountResult, Partition, Verdict } from '../domain/types.js';
import type { NudgeAccount } from '../slack/blocks/format.js';
import type { SlackApi } from '../slack/api.js';
import { deliver, type MessageOutcome } from './deliver.js';
import { SlackDirectory } from '../slack/directory.js';
import { slackErrorCode } from '../slack/errors.js';
import { resolveIdentities } from '../slack/identity.js';
import type { StateStore } from '../store/store.js';
import { rememberMisses } from './map-people.js';
import { planMessages } from './plan-delivery.js';
import { planStoredCases } from './prepare-nudges.js';

export interface LiveNudgeDeps {
  config: Config;
  store: StateStore;
  slack: SlackApi;
  now: () => Date;
  log: (line: string) => void;
}

export interface LiveFinding {
  /** The user-console-mfa verdict of the live check. */
  verdict: Verdict;
  account: NudgeAccount;
  clients: AwsClients;
  /** When the live check saw it: the "scan time" the planner judges by. */
  checkedAt: Date;
}

/**
 * The account as messages name it: its alias and Organizations name from the latest stored scan, else its
 * alias asked live (an account no scan has covered yet).
 */
export async function accountLabelled(
  store: StateStore,
  iam: IAMClient,
  ref: { accountId: string; partition: Partition },
): Promise<NudgeAccount> {
  const [last] = await store.scanSummaries({ accountId: ref.accountId, lastScans: 1 });
  if (last?.alias || last?.name)
    return { ...ref, ...(last.alias ? { alias: last.alias } : {}), ...(last.name ? { name: last.name } : {}) };
  const alias = await fetchAccountAlias(iam).catch(() => undefined); // only a nicer label and sign-in link
  return { ...ref, ...(alias ? { alias } : {}) };
}

/**
 * The Slack user to DM: the one the store last mapped (unless identity.map now names another), else the
 * identity rules run for this one user: its IAM tags (one ListUserTags), then one users.info or
 * users.lookupByEmail per candidate, never for an address the store remembers as unknown. Not the whole member
 * list: a burst of CloudTrail events (a script creating logins) would spend users.list's 20 calls a minute.
 */
async function slackUserOf(finding: LiveFinding, deps: LiveNudgeDeps): Promise<SlackIdentity | undefined> {
  const { accountId, principal: userName } = finding.verdict;
  const known = await deps.store.identityOf(accountId, userName);
  const mapped = deps.config.identity.map[userName];
  if (known && (!mapped || known.identity.slackUserId === mapped)) return known.identity;
  try {
    const read = await fetchUserTags(finding.clients.iam, [userName]);
    const person = { accountId, userName, tags: read.tags.get(userName) ?? {} };
    const now = deps.now();
    const directory = new SlackDirectory(deps.slack, { knownMisses: await deps.store.emailMisses(now) });
    const found = (await resolveIdentities([person], deps.config.identity, directory)).identities.get(
      identityKey(accountId, userName),
    );
    await rememberMisses(deps.store, directory, deps.config.identity.rememberMissesHours, now);
    // Remembered like a scan's mapping: `/mfa-check` then finds this login for its owner, and the nudge pass its
    // recipient.
    if (found) await deps.store.rememberIdentity(accountId, userName, found);
    return found;
  } catch (err) {
    deps.log(`${userName} in ${accountId}: could not look for a Slack user: ${slackErrorCode(err)}`);
    return undefined;
  }
}

/**
 * Plans and sends what is due now for one user's case, judged by what a live check saw, with the same
 * claims as every run, so the nudge pass never repeats any of it.
 */
async function deliverDueFor(
  finding: LiveFinding,
  identity: SlackIdentity | undefined,
  deps: LiveNudgeDeps,
): Promise<{ sent: MessageOutcome[]; waiting: WaitingAction[] }> {
  const { verdict } = finding;
  const ref = { accountId: verdict.accountId, userName: verdict.principal };
  // What the check saw, as a one-user scan: the planner then treats this user like any other.
  const account: AccountResult = { ...finding.account, rootMfa: 'unknown', verdicts: [verdict] };
  const now = deps.now();
  const plan = await planStoredCases(deps.store, deps.config, {
    scan: { generatedAt: finding.checkedAt, accounts: [account] },
    identities: new Map(identity ? [[identityKey(ref.accountId, ref.userName), identity]] : []),
    now,
    only: ref,
  });
  const outcome = await deliver(
    { messages: planMessages(plan, now), waiting: plan.waiting, unmapped: [], nudgesEnabled: true },
    { slack: deps.slack, store: deps.store, now: deps.now },
  );
  return { sent: outcome.messages, waiting: plan.waiting };
}

/**
 * Opens a case for one user a live check found failing (or in grace) and sends what is due for it now.
 * No other user's case is touched.
 */
export async function nudgeAfterLiveCheck(
  finding: LiveFinding,
  deps: LiveNudgeDeps,
): Promise<{ opened: boolean; openCase?: NudgeCase; identity?: SlackIdentity; nudge: LiveNudgeOutcome }> {
  const { verdict } = finding;
  const ref = { accountId: verdict.accountId, userName: verdict.principal };
  const identity = await slackUserOf(finding, deps);
  const changes = openFromLiveCheck(
    { verdict, ...(identity ? { identity } : {}) },
    await deps.store.cases(ref),
    deps.now(),
  );
  await deps.store.applyCaseChanges(changes);
  const opened = changes.length > 0;
  const openCase = (await deps.store.cases({ ...ref, latestOnly: true })).find((c) => !c.resolvedAt);
  const done = (nudge: LiveNudgeOutcome) => ({
    opened,
    ...(openCase ? { openCase } : {}),
    ...(identity ? { identity } : {}),
    nudge,
  });
  if (!deps.config.nudges.enabled) return done('off');
  if (!identity) return done('unmapped');

  const due = await deliverDueFor(finding, identity, deps);
  const nudges = due.sent.filter((m) => m.message.kind === 'nudge');
  if (nudges.some((m) => m.status === 'sent')) return done('sent');
  if (nudges.some((m) => m.status === 'failed')) return done('failed');
  // Only the case's first message can be waiting for working hours here; a later one is simply not due.
  if (due.waiting.some((w) => w.step === 'grace' || w.step === nudgeStep(1))) return done('waiting');
  return done('not-due');
}

/**
 * A live check found MFA on for a user with an open case: the case is closed as fixed, the last nudge is
 * updated to say so and the person thanked, as a scan would have them (the thank-you in their working hours).
 */
export async function thankAfterLiveCheck(
  finding: LiveFinding,
  deps: LiveNudgeDeps,
): Promise<'sent' | 'waiting' | 'none'> {
  const { verdict } = finding;
  const ref = { accountId: verdict.accountId, userName: verdict.principal };
  await deps.store.resolveByRecheck(ref.accountId, ref.userName, deps.now());
  const identity = (await deps.store.identityOf(ref.accountId, ref.userName))?.identity;
  const due = await deliverDueFor(finding, identity, deps);
  if (due.sent.some((m) => m.message.kind === 'thank-you' && m.status === 'sent')) return 'sent';
  return due.waiting.some((w) => w.type === 'thank-you') ? 'waiting' : 'none';
}
