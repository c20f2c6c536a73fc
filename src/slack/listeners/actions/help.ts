import { buildHelpAcknowledged, buildHelpRequest, buildHelpUnavailable } from '../../blocks/nudge-replies.js';
import type { BotDeps } from '../../app/deps.js';
import { describeError, safeRespond } from '../../app/respond.js';
import { accountOf } from '../../app/status-rows.js';
import { nudgeButton } from './nudge-button.js';

const WHAT = 'the "I need help" button';

/** "I need help": tells the security channel who needs help with which IAM user, and the person that someone will reach out. */
export function help(deps: BotDeps) {
  return nudgeButton(deps, WHAT, async ({ args, ref, presserId }) => {
    const now = deps.now();
    const latest = await deps.ports.latestScan();
    const account = accountOf(latest?.scan, ref.accountId);
    const channel = deps.config.slack.securityChannel ?? deps.config.slack.digestChannel;
    const reply = (message: ReturnType<typeof buildHelpUnavailable>) =>
      safeRespond(args.respond, { response_type: 'ephemeral', replace_original: false, ...message }, deps.log, WHAT);
    if (!channel) {
      deps.log.warn(`${WHAT}: ${presserId} asked for help, but neither slack.securityChannel nor slack.digestChannel is set`);
      await reply(buildHelpUnavailable());
      return;
    }
    const verdict = latest?.scan.accounts
      .find((a) => a.accountId === ref.accountId)
      ?.verdicts.find((v) => v.check === 'user-console-mfa' && v.principal === ref.userName);
    const message = buildHelpRequest({ requesterId: presserId, account, userName: ref.userName, ...(verdict ? { verdict } : {}), now });
    try {
      await args.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
    } catch (err) {
      deps.log.error(`${WHAT}: could not post to ${channel}: ${describeError(err)}`);
      await reply(buildHelpUnavailable());
      return;
    }
    await deps.ports.recordHelpRequest(ref, presserId, now);
    await reply(buildHelpAcknowledged(account, ref.userName));
  });
}
