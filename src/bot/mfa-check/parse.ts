/**
 * `/mfa-check` arguments, parsed strictly: anything that is not exactly one of the forms below is refused
 * with the usage text, so a typo can never widen what is looked up.
 */

export type CheckQuery =
  | { kind: 'me'; fresh: boolean }
  | { kind: 'slack-user'; slackUserId: string; fresh: boolean }
  | { kind: 'iam-user'; userName: string; fresh: boolean }
  | { kind: 'account'; accountId: string }
  | { kind: 'root' }
  | { kind: 'summary' }
  | { kind: 'scan' }
  | { kind: 'help' };

export type ParsedCheck = CheckQuery | { kind: 'invalid'; problem: string };

/** IAM's rule for user names: letters, digits and `_+=,.@-`, 1 to 64 characters. */
export const IAM_USER_NAME = /^[\w+=,.@-]{1,64}$/;
const ACCOUNT_ID = /^\d{12}$/;
/** How Slack sends a mention in command text when the command escapes it: `<@U0123|ann>` or `<@U0123>`. */
const MENTION = /^<@([UW][A-Z0-9]{2,})(?:\|[^<>|]*)?>$/;
const FRESH = '--fresh';
const MAX_TEXT = 500;

const invalid = (problem: string): ParsedCheck => ({ kind: 'invalid', problem });

export function parseCheckCommand(raw: string | undefined): ParsedCheck {
  const text = (raw ?? '').trim();
  if (text.length > MAX_TEXT) return invalid('that is far longer than any /mfa-check question');
  // Desktop clients may turn a typed `--` into a dash.
  const words = text === '' ? [] : text.split(/\s+/).map((w) => w.replace(/^[\u2013\u2014]/, '--'));
  const flags = words.filter((w) => w.startsWith('--'));
  const args = words.filter((w) => !w.startsWith('--'));
  const unknownFlag = flags.find((f) => f.toLowerCase() !== FRESH);
  if (unknownFlag) return invalid(`there is no option ${unknownFlag}; the only one is ${FRESH}`);
  if (flags.length > 1) return invalid(`${FRESH} was given twice`);
  const fresh = flags.length === 1;

  const [first, second, ...rest] = args;
  const keyword = first?.toLowerCase();
  const noFresh = (query: CheckQuery): ParsedCheck =>
    fresh ? invalid(`${FRESH} works with me, @someone and user NAME only`) : query;

  if (first === undefined) return { kind: 'me', fresh };
  if (rest.length > 0) return invalid('too many words');
  const mention = MENTION.exec(first);
  if (mention)
    return second === undefined
      ? { kind: 'slack-user', slackUserId: mention[1]!, fresh }
      : invalid('a person is asked about on their own');
  switch (keyword) {
    case 'me':
      return second === undefined ? { kind: 'me', fresh } : invalid('`me` takes nothing after it');
    case 'help':
      return second === undefined && !fresh ? { kind: 'help' } : invalid('`help` takes nothing after it');
    case 'root':
      return second === undefined ? noFresh({ kind: 'root' }) : invalid('`root` takes nothing after it');
    case 'summary':
      return second === undefined ? noFresh({ kind: 'summary' }) : invalid('`summary` takes nothing after it');
    case 'scan':
      return second === undefined ? noFresh({ kind: 'scan' }) : invalid('`scan` takes nothing after it');
    case 'user':
      if (second === undefined) return invalid('`user` needs an IAM user name');
      return IAM_USER_NAME.test(second)
        ? { kind: 'iam-user', userName: second, fresh }
        : invalid('an IAM user name has 1 to 64 letters, digits or _+=,.@-');
    case 'account':
      if (second === undefined) return invalid('`account` needs a 12-digit AWS account ID');
      return ACCOUNT_ID.test(second)
        ? noFresh({ kind: 'account', accountId: second })
        : invalid('an AWS account ID is exactly 12 digits');
    default:
      if (first.startsWith('<@') || first.startsWith('@'))
        return invalid('pick the person from Slack’s suggestions so the mention is a real one');
      return invalid('that is not a /mfa-check question');
  }
}

/** The command text that asks `query` again; the "Check again" button carries it and adds --fresh. */
export function queryText(query: CheckQuery): string {
  switch (query.kind) {
    case 'me':
      return 'me';
    case 'slack-user':
      return `<@${query.slackUserId}>`;
    case 'iam-user':
      return `user ${query.userName}`;
    case 'account':
      return `account ${query.accountId}`;
    case 'root':
      return 'root';
    case 'summary':
      return 'summary';
    case 'scan':
      return 'scan';
    case 'help':
      return 'help';
  }
}

/** Questions about anyone but the asker need an admin. Asking about yourself by mention is the same as `me`. */
export function needsAdmin(query: CheckQuery, askerId: string): boolean {
  switch (query.kind) {
    case 'me':
    case 'help':
      return false;
    case 'slack-user':
      return query.slackUserId !== askerId;
    default:
      return true;
  }
}
