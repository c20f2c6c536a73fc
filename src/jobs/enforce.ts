import { randomUUID } from 'node:crypto';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { IAMClient } from '@aws-sdk/client-iam';
import { publishEnforcementChange } from '../aws/findings-events.js';
import { describeAwsError } from '../aws/errors.js';
import { UserPolicyAttachment } from '../aws/user-policy.js';
import type { Config } from '../config/schema.js';
import {
  nudgeFactsOf,
  type EnforceAction,
  type EnforcementAction,
  type EnforcementPlan,
  type LiftAction,
  type NudgeFacts,
} from '../domain/enforcement/plan.js';
import {
  ENFORCED_NOTICE_STEP,
  ENFORCED_STEP,
  isEnforced,
  LIFTED_STEP,
  latestRequest,
  REQUEST_CLOSED_STEP,
  REQUEST_DECIDED_STEP,
} from '../domain/enforcement/steps.js';
import { caseKeyOf, type CaseKey, type NudgeCase } from '../domain/ledger.js';
import type { AccountResult, Partition } from '../domain/types.js';
import type { SlackApi } from '../slack/api.js';
import {
  buildDecidedRequest,
  buildEnforcedNotice,
  buildEnforcementRequest,
  buildFinalNotice,
  type Decision,
} from '../slack/blocks/enforcement.js';
import type { NudgeAccount } from '../slack/blocks/format.js';
import type { StateStore } from '../store/store.js';
import { deliver, type MessageOutcome } from './deliver.js';
import type { PlannedMessage } from './plan-delivery.js';

/** What carrying out enforcement needs besides the plan. */
export interface EnforcementDeps {
  store: StateStore;
  slack: SlackApi;
  config: Config;
  now: () => Date;
  /** The IAM client of an account (the audit role's for a member); undefined when mfa-bot cannot reach it. */
  iamFor: (accountId: string) => Promise<IAMClient | undefined>;
  /** For the "MFA Enforcement Changed" event when `events.busName` is set. */
  events?: EventBridgeClient;
}

function nudgeAccount(a: Pick<AccountResult, 'accountId' | 'partition' | 'alias' | 'name'>): NudgeAccount {
  return {
    accountId: a.accountId,
    partition: a.partition,
    ...(a.alias ? { alias: a.alias } : {}),
    ...(a.name ? { name: a.name } : {}),
  };
}

function message(
  key: CaseKey,
  step: string,
  kind: PlannedMessage['kind'],
  to: string,
  label: string,
  content: { text: string; blocks: PlannedMessage['blocks'] },
  update?: { ts: string },
): PlannedMessage {
  return {
    key: { type: 'case', case: key, step },
    kind,
    to,
    ...(update ? { update } : {}),
    accountId: key.accountId,
    userName: key.userName,
    label,
    ...content,
  };
}

/** The edit of a request (a claimed step: `enforcement-decided`) to say who decided what. */
function decidedEdit(
  key: CaseKey,
  request: { channel: string; ts: string },
  account: NudgeAccount,
  facts: NudgeFacts,
  decision: Decision,
  now: Date,
): PlannedMessage {
  const content = buildDecidedRequest({ account, userName: key.userName, ...facts, now, decision });
  const label = 'update of the enforcement request';
  return message(key, REQUEST_DECIDED_STEP, 'enforcement-update', request.channel, label, content, request);
}

/** The Slack half of an enforcement plan: final notices, requests, the DMs after enforcement, closed requests. */
export function enforcementMessages(plan: EnforcementPlan, now: Date): PlannedMessage[] {
  return plan.due.flatMap((a): PlannedMessage[] => {
    const account = nudgeAccount(a.account);
    const userName = a.key.userName;
    switch (a.type) {
      case 'final-notice':
        return [
          message(a.key, a.step, 'final-notice', a.recipient, 'final notice', {
            ...buildFinalNotice({ account, userName, enforceOn: a.enforceOn }),
          }),
        ];
      case 'enforcement-request':
        return [
          message(
            a.key,
            a.step,
            'enforcement-request',
            a.channel,
            'enforcement request',
            buildEnforcementRequest({
              account,
              userName,
              ...(a.slackUserId ? { slackUserId: a.slackUserId } : {}),
              nudgesSent: a.nudgesSent,
              firstNudgedAt: a.firstNudgedAt,
              ...(a.breaks ? { breaks: a.breaks } : {}),
              now,
            }),
          ),
        ];
      case 'enforced-notice':
        return [
          message(a.key, a.step, 'enforced-notice', a.recipient, 'enforcement notice', {
            ...buildEnforcedNotice({ account, userName }),
          }),
        ];
      case 'request-closed':
        return [
          message(
            a.key,
            a.step,
            'enforcement-update',
            a.request.channel,
            'update of the enforcement request',
            buildDecidedRequest({
              account,
              userName,
              nudgesSent: a.nudgesSent,
              firstNudgedAt: a.firstNudgedAt,
              now,
              decision: a.lifted ? { kind: 'lifted', ...a.lifted } : { kind: 'closed', at: now, why: a.why },
            }),
            { ts: a.request.ts },
          ),
        ];
      case 'request-decided':
        return [decidedEdit(a.key, a.request, account, a, { kind: 'enforced', by: a.by, at: a.at }, now)];
      default:
        return [];
    }
  });
}

/** The IAM half of the plan: enforcements with approval auto (or retried), and lifts. */
export function policyActions(plan: EnforcementPlan): Array<EnforceAction | LiftAction> {
  return plan.due.filter((a): a is EnforceAction | LiftAction => a.type === 'enforce' || a.type === 'lift');
}

export type PolicyOutcome =
  | { status: 'done'; key: CaseKey; step: string }
  | { status: 'skipped'; key: CaseKey; step: string }
  | { status: 'failed'; key: CaseKey; step: string; error: string };

function attachmentFor(config: Config, iam: IAMClient, accountId: string, partition: Partition) {
  return new UserPolicyAttachment(iam, { accountId, partition, policyName: config.enforcement.policyName });
}

/**
 * One IAM write as a claimed ledger step (`enforced` or `lifted`), recorded with who decided: claimed first, then
 * written, then marked done. A crash between the write and the record leaves a stale claim, which
 * settlePolicyClaim() resolves by reading the user's attached policies: never a second decision, never a second DM.
 */
export async function policyStep(
  deps: Omit<EnforcementDeps, 'slack'>,
  target: { key: CaseKey; partition: Partition; userArn?: string },
  step: typeof ENFORCED_STEP | typeof LIFTED_STEP,
  by: string,
): Promise<PolicyOutcome> {
  const { key } = target;
  const iam = await deps.iamFor(key.accountId);
  if (!iam) return { status: 'failed', key, step, error: `mfa-bot has no IAM access to account ${key.accountId}` };
  const attachment = attachmentFor(deps.config, iam, key.accountId, target.partition);
  const claimId = randomUUID();
  const claim = await deps.store.claim({
    key: { type: 'case', case: key, step },
    kind: step === ENFORCED_STEP ? 'enforced' : 'lifted',
    recipient: `iam:${key.userName}`,
    claimId,
    at: deps.now(),
    by,
  });
  if (!claim.claimed) return { status: 'skipped', key, step };
  try {
    if (step === ENFORCED_STEP) await attachment.attach(key.userName);
    else await attachment.detach(key.userName);
  } catch (err) {
    const error = describeAwsError(err);
    await deps.store.markFailed(claimId, `${error.code}: ${error.message}`, { retryable: true });
    return {
      status: 'failed',
      key,
      step,
      error: `${error.code}: ${error.message}${error.hint ? ` (${error.hint})` : ''}`,
    };
  }
  await deps.store.markSent(claimId, { at: deps.now() });
  const busName = deps.config.events?.busName;
  if (busName && deps.events) {
    await publishEnforcementChange(deps.events, busName, {
      change: step === ENFORCED_STEP ? 'enforced' : 'lifted',
      accountId: key.accountId,
      userName: key.userName,
      ...(target.userArn ? { userArn: target.userArn } : {}),
      policyArn: attachment.policyArn,
      decidedBy: by,
      at: deps.now(),
    }).catch(() => undefined);
  }
  return { status: 'done', key, step };
}

/**
 * A stale `enforced` or `lifted` claim (the process died between the IAM write and its record): the user's attached
 * policies say whether the write happened. It did: recorded as done. It did not: released, so the decision is
 * carried out again. Unknown (no access): left for the next run.
 */
export async function settlePolicyClaim(
  deps: Pick<EnforcementDeps, 'store' | 'config' | 'iamFor'>,
  claim: { claimId: string; kind: string; claimedAt: Date; key: CaseKey; partition: Partition },
): Promise<'found-done' | 'not-done' | 'unknown'> {
  const iam = await deps.iamFor(claim.key.accountId);
  if (!iam) return 'unknown';
  const attached = await attachmentFor(deps.config, iam, claim.key.accountId, claim.partition)
    .isAttached(claim.key.userName)
    .catch(() => undefined);
  if (attached === undefined) return 'unknown';
  if (attached === (claim.kind === 'enforced')) {
    await deps.store.markSent(claim.claimId, { at: claim.claimedAt });
    return 'found-done';
  }
  await deps.store.markFailed(claim.claimId, 'interrupted before the IAM write: tried again', { retryable: true });
  return 'not-done';
}

/** Edits the case's request (if any) to say who decided what; chat.update is idempotent: a failure is returned. */
export async function editRequest(
  deps: Pick<EnforcementDeps, 'slack' | 'now'>,
  c: NudgeCase,
  account: NudgeAccount,
  decision: Decision,
  slackUserId?: string,
): Promise<string | undefined> {
  const request = latestRequest(c);
  if (!request?.channel || !request.ts) return undefined;
  const content = buildDecidedRequest({
    account,
    userName: c.userName,
    ...nudgeFactsOf(c, slackUserId),
    now: deps.now(),
    decision,
  });
  try {
    await deps.slack.update({ channel: request.channel, ts: request.ts, ...content });
    return undefined;
  } catch (err) {
    return (err as { data?: { error?: string } }).data?.error ?? String(err);
  }
}

/** The Slack user an IAM user is mapped to, for the edits of their request. */
async function personOf(store: StateStore, c: NudgeCase): Promise<string | undefined> {
  return (await store.identityOf(c.accountId, c.userName))?.identity.slackUserId;
}

/** Delivers request edits as claimed steps, like every message: an edit already made is skipped. */
async function deliverEdits(deps: Pick<EnforcementDeps, 'slack' | 'store' | 'now'>, messages: PlannedMessage[]) {
  await deliver(
    { messages, waiting: [], unmapped: [], nudgesEnabled: true },
    { slack: deps.slack, store: deps.store, now: deps.now },
  );
}

/** Edits the request to "lifted" as the claimed step `enforcement-closed`, so no later run edits it again. */
async function closeRequest(
  deps: Pick<EnforcementDeps, 'slack' | 'store' | 'now'>,
  c: NudgeCase,
  lift: Pick<LiftAction, 'key' | 'account' | 'why'> & { request: { channel: string; ts: string } },
): Promise<void> {
  const facts = nudgeFactsOf(c, await personOf(deps.store, c));
  const lifted = { by: 'mfa-on', at: deps.now() };
  const action = { type: 'request-closed' as const, step: REQUEST_CLOSED_STEP, lifted, ...facts };
  await deliverEdits(deps, enforcementMessages({ due: [{ ...action, ...lift }], held: [], waiting: [] }, deps.now()));
}

/**
 * Edits the case's request (if any) to say who enforced and when, as the claimed step `enforcement-decided`: if the
 * process dies first, the run that records the enforcement makes the edit (planEnforcement plans it).
 */
export async function markRequestEnforced(
  deps: Pick<EnforcementDeps, 'slack' | 'store' | 'now'>,
  c: NudgeCase,
  account: NudgeAccount,
  decision: { by: string; at: Date },
): Promise<void> {
  const request = latestRequest(c);
  if (!request?.channel || !request.ts) return;
  const where = { channel: request.channel, ts: request.ts };
  await deliverEdits(deps, [
    decidedEdit(
      caseKeyOf(c),
      where,
      account,
      nudgeFactsOf(c, await personOf(deps.store, c)),
      { kind: 'enforced', ...decision },
      deps.now(),
    ),
  ]);
}

/**
 * A live check (a button, a CloudTrail event) found the case over: the policy comes off now, not at the next run.
 * With Slack at hand the request is edited too; otherwise the next run does that.
 */
export async function liftAfterFix(
  deps: Omit<EnforcementDeps, 'slack'> & { slack?: SlackApi },
  ref: { accountId: string; userName: string },
): Promise<PolicyOutcome | undefined> {
  const [c] = await deps.store.cases({ ...ref, latestOnly: true });
  if (!c || !isEnforced(c)) return undefined;
  const latest = await deps.store.latestScan();
  const scanned = latest?.scan.accounts.find((x) => x.accountId === ref.accountId);
  const partition = scanned?.partition ?? 'aws';
  const outcome = await policyStep(deps, { key: c, partition }, LIFTED_STEP, 'mfa-on');
  const request = latestRequest(c);
  if (outcome.status === 'done' && deps.slack && request?.channel && request.ts && scanned)
    await closeRequest({ ...deps, slack: deps.slack }, c, {
      key: c,
      account: scanned,
      why: c.resolution ?? 'fixed',
      request: { channel: request.channel, ts: request.ts },
    });
  return outcome;
}

/** Sends the DM after an enforcement, once (a claimed step like every DM). */
export async function sendEnforcedNotice(
  deps: Pick<EnforcementDeps, 'slack' | 'store' | 'now'>,
  key: CaseKey,
  account: NudgeAccount,
  recipient: string,
): Promise<MessageOutcome | undefined> {
  const m = message(key, ENFORCED_NOTICE_STEP, 'enforced-notice', recipient, 'enforcement notice', {
    ...buildEnforcedNotice({ account, userName: key.userName }),
  });
  const outcome = await deliver(
    { messages: [m], waiting: [], unmapped: [], nudgesEnabled: true },
    { slack: deps.slack, store: deps.store, now: deps.now },
  );
  return outcome.messages[0];
}

/**
 * Carries out the IAM actions of a plan: each enforcement (then the request edited, then the DM to the person) and
 * each lift (then the request edited to "lifted"). The Slack messages of the plan go through deliver() with the nudges.
 */
export async function applyPolicyActions(
  deps: EnforcementDeps,
  actions: ReadonlyArray<EnforcementAction>,
): Promise<PolicyOutcome[]> {
  const outcomes: PolicyOutcome[] = [];
  for (const a of actions) {
    if (a.type !== 'enforce' && a.type !== 'lift') continue;
    const account = nudgeAccount(a.account);
    const arn = a.type === 'enforce' ? a.verdict.arn : undefined;
    const step = a.type === 'enforce' ? ENFORCED_STEP : LIFTED_STEP;
    const by = a.type === 'enforce' ? a.by : 'mfa-on';
    const outcome = await policyStep(
      deps,
      { key: a.key, partition: a.account.partition, ...(arn ? { userArn: arn } : {}) },
      step,
      by,
    );
    outcomes.push(outcome);
    if (outcome.status !== 'done') continue;
    const [c] = await deps.store.cases({ accountId: a.key.accountId, userName: a.key.userName, latestOnly: true });
    const at = deps.now();
    if (a.type === 'lift') {
      if (a.request && c) await closeRequest(deps, c, { ...a, request: a.request });
      continue;
    }
    if (c) await markRequestEnforced(deps, c, account, { by, at });
    if (a.slackUserId) await sendEnforcedNotice(deps, a.key, account, a.slackUserId);
  }
  return outcomes;
}
