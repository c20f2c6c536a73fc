import { isoDate } from '../domain/dates.js';
import type { WaitingAction } from '../domain/nudge-plan.js';
import { describeLocal } from '../domain/working-hours.js';
import { isDm, type DeliveryPlan, type PlannedDigest, type PlannedMessage } from '../jobs/plan-delivery.js';
import { printable } from '../report/grid.js';
import { blocksToText } from '../slack/blocks/text.js';

const RULE = '─'.repeat(72);

function heading(m: PlannedMessage): string {
  const about = `IAM user ${m.userName} in ${m.accountId}; ${m.label}`;
  if (m.update) return `UPDATE → message ${m.update.ts} in ${m.to} (${about})`;
  if (isDm(m)) return `DM → ${m.to} (${about})`;
  return `POST → channel ${m.to} (${about})`;
}

function waitingLine(w: WaitingAction): string {
  const when =
    `${w.sendAt.toISOString().slice(0, 16).replace('T', ' ')} ` +
    `UTC (${describeLocal(w.sendAt, w.timeZone)} ${w.timeZone})`;
  return (
    `  ${w.step} for ${w.key.userName} in ${w.key.accountId} → ${w.recipient}: ` +
    `${when}${w.sendAt > w.dueAt ? `, due ${isoDate(w.dueAt)} but outside working hours` : ''}`
  );
}

function digestText(digest: PlannedDigest, title: string): string[] {
  const out = [title, RULE, blocksToText(digest.blocks).trimEnd()];
  if (digest.overflow) {
    const rows = digest.overflow.content.trimEnd().split('\n').length - 1;
    out.push(`[attached in the digest's thread: ${digest.overflow.filename}, ${rows} rows]`);
  }
  if (digest.chart) out.push(`[attached in the digest's thread: ${digest.chart.filename}, the coverage chart]`);
  if (digest.alreadyPosted) {
    out.push(
      '[nothing changed since this digest was ' +
        `posted${digest.alreadyPosted.ts ? ` (ts ${digest.alreadyPosted.ts})` : ''}: ` +
        'a real run would not post it again]',
    );
  }
  out.push('');
  return out;
}

function enforcementLines(plan: DeliveryPlan): string[] {
  const e = plan.enforcement;
  if (!e) return [];
  const who = (k: { userName: string; accountId: string }) => `${k.userName} in ${k.accountId}`;
  const iam = e.due.flatMap((a) =>
    a.type === 'enforce'
      ? [`  ATTACH the require-MFA policy → ${who(a.key)} (decided by ${a.by}); then the DM to the person`]
      : a.type === 'lift'
        ? [`  DETACH the require-MFA policy → ${who(a.key)} (${a.why}); the request is edited to "lifted"`]
        : [],
  );
  const held = e.held.map((h) => `  HELD ${h.stage} for ${who(h.key)}: ${h.reason}`);
  const waiting = e.waiting.map((w) => `  ${w.stage} for ${who(w.key)}: due ${w.dueAt.toISOString()}`);
  if (iam.length + held.length + waiting.length === 0) return [];
  return [`ENFORCEMENT (the messages are above; a real run calls IAM for these)`, ...iam, ...held, ...waiting, ''];
}

/** The dry-run preview: every message exactly as it would be sent, each with its recipient. */
export function renderPlanText(plan: DeliveryPlan): string {
  const out: string[] = [];
  if (plan.digest)
    out.push(
      ...digestText(
        plan.digest,
        `DIGEST → ${plan.digest.channel ? `channel ${plan.digest.channel}` : '(no slack.digestChannel configured)'}`,
      ),
    );
  for (const routed of plan.routedDigests ?? [])
    out.push(...digestText(routed, `ROUTED DIGEST → ${routed.channel} (slack.routes or the account owner)`));
  for (const m of plan.messages) out.push(heading(m), RULE, blocksToText(m.blocks).trimEnd(), '');
  if (plan.waiting.length > 0) {
    out.push(
      `WAITING (${plan.waiting.length}): due later, or outside the recipient's working hours`,
      ...plan.waiting.map(waitingLine),
      '',
    );
  }
  out.push(...enforcementLines(plan));
  const unchecked = plan.unmapped.filter((u) => u.unchecked);
  if (unchecked.length > 0) {
    out.push(
      `NOT CHECKED AGAINST SLACK (${unchecked.length}): SLACK_BOT_TOKEN is not set; ` +
        'a real run DMs the Slack member with one of these addresses, if there is one',
    );
    for (const u of unchecked) out.push(`  ${u.userName} in ${u.accountId}: ${u.tried.join(', ')}`);
    out.push('');
  }
  const unmapped = plan.unmapped.filter((u) => !u.unchecked);
  if (unmapped.length > 0) {
    out.push(`NOT MAPPED TO SLACK (${unmapped.length}): no DM can be sent to these people`);
    for (const u of unmapped)
      out.push(
        `  ${u.userName} in ${u.accountId}: ` +
          `${u.tried.length ? `tried ${u.tried.join(', ')}` : 'no tag, e-mail or config mapping to try'}`,
      );
    out.push('');
  }
  const dms = plan.messages.filter(isDm).length;
  const others = plan.messages.length - dms;
  out.push(
    `${dms} DM${dms === 1 ? '' : 's'} planned` +
      `${others ? `, and ${others} other message${others === 1 ? '' : 's'} (escalations, updates)` : ''}.` +
      (plan.nudgesEnabled ? '' : ' Nudges are off (nudges.enabled: false): a real run would post only the digest.'),
  );
  // A downloaded credential report may name users with anything, terminal escapes included.
  return `${out.join('\n').split('\n').map(printable).join('\n')}\n`;
}

export function renderPlanJson(plan: DeliveryPlan): string {
  const message = (m: PlannedMessage) => ({
    recipient: m.to,
    accountId: m.accountId,
    userName: m.userName,
    kind: m.kind,
    label: m.label,
    ...(m.update ? { updateTs: m.update.ts } : {}),
    text: m.text,
    blocks: m.blocks,
  });
  const digestJson = (d: PlannedDigest) => ({
    ...(d.channel ? { channel: d.channel } : {}),
    text: d.text,
    blocks: d.blocks,
    ...(d.overflow ? { overflow: d.overflow } : {}),
    ...(d.chart ? { chart: { filename: d.chart.filename, title: d.chart.title } } : {}),
    ...(d.alreadyPosted
      ? { alreadyPosted: { ts: d.alreadyPosted.ts ?? null, at: d.alreadyPosted.sentAt ?? d.alreadyPosted.claimedAt } }
      : {}),
  });
  const doc = {
    ...(plan.digest ? { digest: digestJson(plan.digest) } : {}),
    ...(plan.routedDigests?.length ? { routedDigests: plan.routedDigests.map(digestJson) } : {}),
    dms: plan.messages.filter(isDm).map(message),
    others: plan.messages.filter((m) => !isDm(m)).map(message),
    waiting: plan.waiting.map((w) => ({
      step: w.step,
      accountId: w.key.accountId,
      userName: w.key.userName,
      recipient: w.recipient,
      dueAt: w.dueAt,
      sendAt: w.sendAt,
      timeZone: w.timeZone,
    })),
    unmapped: plan.unmapped,
    nudgesEnabled: plan.nudgesEnabled,
    ...(plan.enforcement
      ? {
          enforcement: {
            iam: plan.enforcement.due
              .filter((a) => a.type === 'enforce' || a.type === 'lift')
              .map((a) => ({ action: a.type, accountId: a.key.accountId, userName: a.key.userName })),
            held: plan.enforcement.held.map((h) => ({ ...h.key, stage: h.stage, reason: h.reason })),
          },
        }
      : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
