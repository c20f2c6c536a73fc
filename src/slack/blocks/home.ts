import type { HomeView, KnownBlock } from '@slack/types';
import { DAY_MS, isoDate } from '../../domain/dates.js';
import type { CoverageHeadline } from '../../domain/metrics/coverage.js';
import type { ScanResult } from '../../domain/types.js';
import { code } from '../mrkdwn.js';
import { accountSummaryLines, totalsOf, totalsText } from './mfa-check/account.js';
import { scanAgeLine } from './mfa-check/answer.js';
import { iamName, num, plural, utcStamp } from './format.js';
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
  /** For admins: the coverage chart's headline numbers. */
  headline?: CoverageHeadline;
  now: Date;
}

const percent = (v: number) => `${v.toFixed(1)}%`;

/** The digest chart's numbers in words: coverage and its change, open cases and the oldest one's age. */
export function headlineText(h: CoverageHeadline, now: Date): string {
  const change = h.before
    ? (() => {
        const points = h.coveragePercent - h.before.coveragePercent;
        const how =
          Math.abs(points) < 0.05 ? 'unchanged' : `${points > 0 ? 'up' : 'down'} ${Math.abs(points).toFixed(1)} points`;
        return ` · ${how} since ${isoDate(h.before.at)} (${percent(h.before.coveragePercent)})`;
      })()
    : ' · no earlier scan to compare with yet';
  const oldest = h.oldestOpenCase;
  const age = oldest ? Math.floor((now.getTime() - oldest.openedAt.getTime()) / DAY_MS) : 0;
  return (
    `*Console MFA coverage:* ${percent(h.coveragePercent)} ` +
    `(${num(h.withMfa)} of ${plural(h.consoleUsers, 'console user')})${change}\n` +
    `*Open cases:* ${num(h.openCases)}` +
    (oldest
      ? ` · the oldest open for ${plural(age, 'day')}: ${iamName(oldest.userName)} in ${code(oldest.accountId)}`
      : '')
  );
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
      ...(input.headline ? [section(headlineText(input.headline, input.now))] : []),
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
