import { addDays } from '../../../domain/dates.js';
import { buildSnoozed } from '../../../slack/blocks/nudge-replies.js';
import type { BotDeps } from '../../deps.js';
import { safeRespond } from '../../respond.js';
import { accountOf } from '../../status-rows.js';
import { nudgeButton } from './nudge-button.js';

const WHAT = 'the "snooze" button';

/** "Snooze 1 day": recorded through the ports, so the next nudge waits; the nudge itself stays as it is. */
export function snooze1d(deps: BotDeps) {
  return nudgeButton(deps, WHAT, async ({ args, ref, presserId }) => {
    const until = addDays(deps.now(), 1);
    await deps.ports.snooze(ref, until, presserId);
    const latest = await deps.ports.latestScan();
    await safeRespond(
      args.respond,
      {
        response_type: 'ephemeral',
        replace_original: false,
        ...buildSnoozed(accountOf(latest?.scan, ref.accountId), ref.userName, until),
      },
      deps.log,
      WHAT,
    );
    return `snoozed until ${until.toISOString()}`;
  });
}
