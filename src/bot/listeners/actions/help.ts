import { buildHelpAlreadyPassedOn } from '../../../slack/blocks/limit-replies.js';
import { buildHelpAcknowledged, buildHelpRequest, buildHelpUnavailable } from '../../../slack/blocks/nudge-replies.js';
import type { BotDeps } from '../../deps.js';
import { HELP_WINDOW_MS } from '../../person-limits.js';
import type { IamUserRef } from '../../ports.js';
import { describeError, safeRespond } from '../../respond.js';
import { accountOf } from '../../status-rows.js';
import { nudgeButton } from './nudge-button.js';

const WHAT = 'the "I need help" button';

/**
 * When this person's request about this IAM user was already posted: within HELP_WINDOW_MS, and not
 * before the user's open case began (a relapse is a new case, worth a new request).
 */
async function alreadyAsked(deps: BotDeps, ref: IamUserRef, presserId: string, now: Date): Promise<Date | undefined> {
  const last = await deps.ports.lastHelpRequest?.(ref, presserId);
  if (!last || now.getTime() - last.getTime() >= HELP_WINDOW_MS) return undefined;
  const open = await deps.ports.openCase?.(ref);
  return open && open.openedAt > last ? undefined : last;
}

/**
 * "I need help": tells the security channel who needs help with which IAM user, and the person that someone
 * will reach out; once per person and IAM user a day (presses in a row wait for each other, so a burst posts once).
 */
export function help(deps: BotDeps) {
  return nudgeButton(deps, WHAT, ({ args, ref, presserId }) =>
    deps.limits.helpRequests.run(`${presserId}:${ref.accountId}:${ref.userName}`, async () => {
      const now = deps.now();
      const latest = await deps.ports.latestScan();
      const account = accountOf(latest?.scan, ref.accountId);
      const channel = deps.config.slack.securityChannel ?? deps.config.slack.digestChannel;
      const reply = (message: ReturnType<typeof buildHelpUnavailable>) =>
        safeRespond(args.respond, { response_type: 'ephemeral', replace_original: false, ...message }, deps.log, WHAT);
      if (!channel) {
        deps.log.warn(
          `${WHAT}: ${presserId} asked for help, but neither slack.securityChannel nor slack.digestChannel is set`,
        );
        await reply(buildHelpUnavailable());
        return 'not passed on: no security channel configured';
      }
      const asked = await alreadyAsked(deps, ref, presserId, now);
      if (asked) {
        await reply(buildHelpAlreadyPassedOn(account, ref.userName, asked));
        return `not posted again: already passed on at ${asked.toISOString()}`;
      }
      const verdict = latest?.scan.accounts
        .find((a) => a.accountId === ref.accountId)
        ?.verdicts.find((v) => v.check === 'user-console-mfa' && v.principal === ref.userName);
      const message = buildHelpRequest({
        requesterId: presserId,
        account,
        userName: ref.userName,
        ...(verdict ? { verdict } : {}),
        now,
      });
      try {
        await args.client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
        });
      } catch (err) {
        deps.log.error(`${WHAT}: could not post to ${channel}: ${describeError(err)}`);
        await reply(buildHelpUnavailable());
        return `not passed on: could not post to ${channel}`;
      }
      await deps.ports.recordHelpRequest(ref, presserId, now);
      await reply(buildHelpAcknowledged(account, ref.userName));
      return `posted in ${channel}`;
    }),
  );
}
