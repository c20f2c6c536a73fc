import { isoDate } from '../../domain/dates.js';
import { consoleVerdict, rowState, type RowState, type UserVerdicts } from '../../domain/user-state.js';
import { accountSignInUrl, securityCredentialsUrl } from '../../domain/console-links.js';
import { escapeMrkdwn, link, mention, isSlackUserId, truncate } from '../mrkdwn.js';
import { accountLabel, exemptUntil, iamName, relativeDays, utcStamp, type NudgeAccount } from './format.js';

/** One IAM user's state as an answer shows it: from the latest scan or from a live check. */
export interface UserStatusRow extends UserVerdicts {
  account: NudgeAccount;
  userName: string;
  /** The Slack user it maps to; shown in admin answers. */
  slackUserId?: string;
  /** In an answer from the scan: a live check saw this row at this time, after the scan. */
  seenLiveAt?: Date;
  /** That live check followed a change in AWS (a CloudTrail event), not a question in Slack. */
  seenLiveAfterChange?: boolean;
}

const REASON_MAX = 300;

/** Failing first, then grace, then whatever cannot be judged, then the rest. */
const ORDER: Record<RowState, number> = {
  fail: 0,
  grace: 1,
  unknown: 2,
  missing: 3,
  'pass-not-hardware': 4,
  exempt: 5,
  pass: 6,
  'no-console': 7,
};

export function byUrgency(a: UserStatusRow, b: UserStatusRow): number {
  return (
    ORDER[rowState(a)] - ORDER[rowState(b)] ||
    a.account.accountId.localeCompare(b.account.accountId) ||
    a.userName.localeCompare(b.userName)
  );
}

export function needsAction(row: UserStatusRow): boolean {
  const s = rowState(row);
  return s === 'fail' || s === 'grace';
}

function badge(row: UserStatusRow, now: Date): string {
  const v = consoleVerdict(row.verdicts);
  switch (rowState(row)) {
    case 'fail':
      return ':x: *No MFA*';
    case 'grace':
      return v?.deadline
        ? `:hourglass_flowing_sand: *No MFA yet, due ${isoDate(v.deadline)}* (${relativeDays(v.deadline, now)})`
        : ':hourglass_flowing_sand: *No MFA yet*';
    case 'pass':
      return ':white_check_mark: *MFA on*';
    case 'pass-not-hardware':
      return ':large_orange_diamond: *MFA on, not a hardware device*';
    case 'exempt': {
      const until = exemptUntil(v);
      return `:white_circle: *Exempt${until ? ` until ${until}` : ''}*`;
    }
    case 'no-console':
      return ':heavy_minus_sign: *No console password*';
    case 'missing':
      return ':grey_question: *No such IAM user*';
    case 'unknown':
      return ':warning: *Could not be checked*';
  }
}

/** What to do about it, in one or two sentences, with the account's own sign-in link. */
export function nextStep(row: UserStatusRow): string {
  const v = consoleVerdict(row.verdicts);
  const signIn = accountSignInUrl(row.account);
  const credentials = securityCredentialsUrl(row.account.partition);
  switch (rowState(row)) {
    case 'fail':
    case 'grace':
      return (
        `To fix: sign in at ${link(signIn, signIn.replace(/^https:\/\//, ''))} ` +
        `as ${iamName(row.userName)}, open *Security credentials* ` +
        `(${link(credentials, 'direct link')}) and choose *Assign MFA device*; then sign out and back in.`
      );
    case 'pass-not-hardware':
      return `Add a passkey or security key too: ${link(credentials, 'Security credentials')} → *Assign MFA device*.`;
    case 'pass':
      return 'Nothing to do.';
    case 'exempt':
      return (
        'Nothing to do while the exemption lasts: ' +
        `${escapeMrkdwn(truncate(v?.exemption?.reason ?? v?.reason ?? '', REASON_MAX))}`
      );
    case 'no-console':
      return 'Nothing to do: without a console password there is no console login to protect.';
    case 'missing':
      return 'IAM has no user by that name in this account (any more).';
    case 'unknown':
      return escapeMrkdwn(truncate(row.problem ?? v?.reason ?? 'no verdict for this user', REASON_MAX));
  }
}

/** `:x: *No MFA* · `alice` in `111122223333` (prod) · @ann` and, on the next line, what to do. */
export function rowLines(row: UserStatusRow, now: Date, options: { showPerson?: boolean } = {}): string {
  const who = options.showPerson
    ? ` · ${row.slackUserId && isSlackUserId(row.slackUserId) ? mention(row.slackUserId) : '_unmapped_'}`
    : '';
  const seen = row.seenLiveAt
    ? `\n_Seen live at ${utcStamp(row.seenLiveAt)}${row.seenLiveAfterChange ? ', after a change in AWS' : ''}; ` +
      'the scan is older._'
    : '';
  return (
    `${badge(row, now)} · ${iamName(row.userName)} in ${accountLabel(row.account)}${who}${seen}` + `\n${nextStep(row)}`
  );
}
