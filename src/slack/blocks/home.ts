import type { HomeView, KnownBlock } from '@slack/types';
import type { ScanResult } from '../../domain/types.js';
import { code } from '../mrkdwn.js';
import { accountSummaryLines, totalsOf, totalsText } from './mfa-check/account.js';
import { scanAgeLine } from './mfa-check/answer.js';
import { plural, utcStamp } from './format.js';
import { fitLines, type FitLimits } from './fit.js';
import { CHECK_BLOCK_IDS } from './ids.js';
import { blocksJsonSize, context, divider, header, section } from './limits.js';
import { enrollmentSteps } from './nudge.js';
import { byUrgency, needsAction, rowLines, type UserStatusRow } from './user-status.js';

/** Slack's limit for a Home tab is 100 blocks; the byte budget keeps the view far below any size limit. */
export const HOME_LIMITS: FitLimits = { maxBlocks: 100, maxBytes: 100_000 };
/** The person's own part never takes more than this, so an admin always sees the accounts too. */
const OWN_LIMITS: FitLimits = { maxBlocks: 45, maxBytes: 45_000 };

export interface HomeInput {
  slackUserId: string;
  /** The person's own IAM users; empty when none maps to them. */
  rows: readonly UserStatusRow[];
  /** Undefined while the first scan runs. */
  scan?: ScanResult;
  nextScanAt?: Date;
  isAdmin: boolean;
  now: Date;
}

function ownSummary(input: HomeInput, rows: readonly UserStatusRow[]): string {
  if (!input.scan)
    return (
      ':hourglass_flowing_sand: The first scan of your AWS ' +
      'accounts is still running. Open this tab again in a minute.'
    );
  if (rows.length === 0) {
    return (
      `I found no AWS console login of yours in the latest scan (${plural(input.scan.accounts.length, 'account')}). ` +
      'If you have one, ask an admin to tag your IAM user ' +
      `${code(`slack=${input.slackUserId}`)} (or with your e-mail address).`
    );
  }
  const failing = rows.filter(needsAction).length;
  if (failing === 0)
    return (
      `:white_check_mark: Your ${plural(rows.length, 'AWS console login')} ` +
      `${rows.length === 1 ? 'is' : 'are'} fine. Nothing to do.`
    );
  return (
    `:x: ${plural(failing, 'of your AWS console logins', 'of your AWS console logins')} ` +
    `${failing === 1 ? 'has' : 'have'} no MFA yet. The steps are below; it takes about two minutes.`
  );
}

function ownPart(input: HomeInput): KnownBlock[] {
  const rows = [...input.rows].sort(byUrgency);
  const first = rows.find(needsAction);
  const steps = first ? [divider(), ...enrollmentSteps(first.account, first.userName)] : [];
  const tail = [
    ...steps,
    ...(input.scan
      ? [context([`${scanAgeLine(input.scan.generatedAt, input.now)} \`/mfa-check --fresh\` checks live.`])]
      : []),
  ];
  return fitLines({
    head: [header('Your AWS console MFA', CHECK_BLOCK_IDS.homeHeader), section(ownSummary(input, rows))],
    lines: rows.map((r) => rowLines(r, input.now)),
    tail,
    more: (n) => `…and ${plural(n, 'more login')}: \`/mfa-check\` lists them all.`,
    limits: OWN_LIMITS,
  });
}

function adminPart(scan: ScanResult, input: HomeInput, limits: FitLimits): KnownBlock[] {
  return fitLines({
    head: [
      divider(),
      header('All accounts (admins)', CHECK_BLOCK_IDS.homeAdminHeader),
      section(
        `${totalsText(totalsOf(scan))}\nLast scan: ${utcStamp(scan.generatedAt)} · ` +
          `Next scan: ${input.nextScanAt ? utcStamp(input.nextScanAt) : 'not scheduled'}`,
      ),
    ],
    lines: accountSummaryLines(scan),
    tail: [context(['`/mfa-check account ACCOUNT_ID`, `root` and `summary` give the details.'])],
    more: (n) => `…and ${plural(n, 'more account')}: \`/mfa-check summary\`.`,
    limits,
  });
}

/** The App Home: the person's own logins and how to fix them; for admins also every account and the scan times. */
export function buildHome(input: HomeInput): HomeView {
  const own = ownPart(input);
  const admin =
    input.isAdmin && input.scan
      ? adminPart(input.scan, input, {
          maxBlocks: HOME_LIMITS.maxBlocks - own.length,
          maxBytes: HOME_LIMITS.maxBytes - blocksJsonSize(own),
        })
      : [];
  return { type: 'home', blocks: [...own, ...admin] };
}
