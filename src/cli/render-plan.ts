import type { DeliveryPlan } from '../jobs/plan-delivery.js';
import { blocksToText } from '../slack/blocks/text.js';

const RULE = '─'.repeat(72);

/** The dry-run preview: every message exactly as it would be sent, each with its recipient. */
export function renderPlanText(plan: DeliveryPlan): string {
  const out: string[] = [];
  out.push(`DIGEST → ${plan.digest.channel ? `channel ${plan.digest.channel}` : '(no slack.digestChannel configured)'}`, RULE, blocksToText(plan.digest.blocks).trimEnd());
  if (plan.digest.overflow) {
    const rows = plan.digest.overflow.content.trimEnd().split('\n').length - 1;
    out.push(`[attached in the digest's thread: ${plan.digest.overflow.filename}, ${rows} rows]`);
  }
  out.push('');
  for (const dm of plan.dms) {
    out.push(`DM → ${dm.recipient} (IAM user ${dm.userName} in ${dm.accountId}; ${dm.kind} nudge)`, RULE, blocksToText(dm.blocks).trimEnd(), '');
  }
  if (plan.unmapped.length > 0) {
    out.push(`NOT MAPPED TO SLACK (${plan.unmapped.length}): no DM can be sent to these people`);
    for (const u of plan.unmapped) out.push(`  ${u.userName} in ${u.accountId}: ${u.tried.length ? `tried ${u.tried.join(', ')}` : 'no tag, e-mail or config mapping to try'}`);
    out.push('');
  }
  out.push(
    `${plan.dms.length} DM${plan.dms.length === 1 ? '' : 's'} planned.` +
      (plan.nudgesEnabled ? '' : ' Nudges are off (nudges.enabled: false): a real run would post only the digest.'),
  );
  return `${out.join('\n')}\n`;
}

export function renderPlanJson(plan: DeliveryPlan): string {
  const doc = {
    digest: plan.digest,
    dms: plan.dms.map(({ verdict: _verdict, ...dm }) => dm),
    unmapped: plan.unmapped,
    nudgesEnabled: plan.nudgesEnabled,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
