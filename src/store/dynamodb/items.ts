import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { CaseKey } from '../../domain/ledger.js';
import type { DeliveryKey } from '../store.js';

/** Attribute values as stored: rows of the SQLite schema (same names, null for absent) plus pk/sk. */
export type Plain = string | number | boolean | null;
export type Item = Record<string, AttributeValue>;

export function toItem(values: Record<string, Plain | undefined>): Item {
  const item: Item = {};
  for (const [name, v] of Object.entries(values)) {
    if (v === undefined) continue;
    item[name] =
      v === null
        ? { NULL: true }
        : typeof v === 'string'
          ? { S: v }
          : typeof v === 'number'
            ? { N: String(v) }
            : { BOOL: v };
  }
  return item;
}

export function fromItem<T>(item: Item): T {
  const values: Record<string, Plain> = {};
  for (const [name, v] of Object.entries(item)) {
    values[name] = v.S ?? (v.N !== undefined ? Number(v.N) : v.BOOL !== undefined ? v.BOOL : null);
  }
  return values as T;
}

// Numbers in sort keys are padded so that string order is numeric order.
export const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const user = (accountId: string, userName: string): string => `${accountId}/${userName}`;

/**
 * The single-table layout (pk | sk -> item):
 *   COUNTER | scan, case                      -> atomic counters for scan and case IDs
 *   SCANS | <scan id>                         -> scan header (written last: the scan exists from then on)
 *   SCAN#<scan id> | ACCOUNT#<account>        -> the account's row in that scan
 *   SCAN#<scan id> | VERDICTS#<account>#<n>   -> the account's verdicts, JSON, chunked under 400 KB
 *   ACCOUNT#<account> | SCAN#<scan id>        -> the same account row, for per-account history
 *   IDENTITIES | <account>/<user>             -> the last Slack mapping of an IAM user
 *   LEDGER | CASE#<account>/<user>#<cycle>    -> a nudge case; its messages under ...#MSG#<step>
 *   LEDGER | OPEN#<account>/<user>            -> lock: the user's one open case (its cycle)
 *   LEDGER | DIGEST#<channel>:<fingerprint>   -> a digest delivery
 *   LEDGER | SNOOZE#… and HELP#…              -> snoozes and help requests, per user, by time
 *   HELP_REQUEST#<request id> | HELP_REQUEST  -> marker: that help request was recorded
 *   CLAIM#<claim id> | CLAIM                  -> which delivery a claim ID is for (the mark* calls)
 *   EMAIL_MISSES | <e-mail>                   -> users.lookupByEmail found no one, until expires_at (TTL)
 *   REQUEST#<event or trigger id> | REQUEST   -> a Slack request was handled, until expires_at (TTL)
 *   LIVE | <account>/<user>                   -> the latest live check of an IAM user
 *   EXEMPTIONS | <account>/<user>#<granted at> -> an exemption granted in Slack
 */
export const KEYS = {
  counter: (name: 'scan' | 'case') => ({ pk: 'COUNTER', sk: name }),
  scans: 'SCANS',
  scanHeader: (id: number) => ({ pk: 'SCANS', sk: pad(id, 12) }),
  scanPartition: (id: number) => `SCAN#${pad(id, 12)}`,
  scanAccountSk: (accountId: string) => `ACCOUNT#${accountId}`,
  verdictChunkSk: (accountId: string, chunk: number) => `VERDICTS#${accountId}#${pad(chunk, 4)}`,
  accountPartition: (accountId: string) => `ACCOUNT#${accountId}`,
  accountScanSk: (id: number) => `SCAN#${pad(id, 12)}`,
  identities: 'IDENTITIES',
  identitySk: user,
  // Cases, their messages, open-case locks, snoozes and help requests share one partition so that a
  // listing of every case is a Query, not a Scan of the table.
  ledger: 'LEDGER',
  casePrefix: (accountId?: string, userName?: string) =>
    accountId === undefined
      ? 'CASE#'
      : userName === undefined
        ? `CASE#${accountId}/`
        : `CASE#${user(accountId, userName)}#`,
  caseSk: (k: CaseKey) => `CASE#${user(k.accountId, k.userName)}#${pad(k.cycle, 6)}`,
  openSk: (accountId: string, userName: string) => `OPEN#${user(accountId, userName)}`,
  deliverySk: (key: DeliveryKey) =>
    key.type === 'digest' ? `DIGEST#${key.channel}:${key.fingerprint}` : `${KEYS.caseSk(key.case)}#MSG#${key.step}`,
  snoozePrefix: (accountId?: string, userName?: string) =>
    accountId === undefined ? 'SNOOZE#' : `SNOOZE#${user(accountId, userName!)}#`,
  helpPrefix: (accountId?: string, userName?: string) =>
    accountId === undefined ? 'HELP#' : `HELP#${user(accountId, userName!)}#`,
  helpRequestId: (requestId: string) => ({ pk: `HELP_REQUEST#${requestId}`, sk: 'HELP_REQUEST' }),
  claim: (claimId: string) => ({ pk: `CLAIM#${claimId}`, sk: 'CLAIM' }),
  emailMisses: 'EMAIL_MISSES',
  request: (key: string) => ({ pk: `REQUEST#${key}`, sk: 'REQUEST' }),
  liveCheck: (accountId: string, userName: string) => ({ pk: 'LIVE', sk: user(accountId, userName) }),
  exemptions: 'EXEMPTIONS',
  exemptionSk: (accountId: string, userName: string, grantedAt: string) => `${user(accountId, userName)}#${grantedAt}`,
};

export const keyOf = (pk: string, sk: string): Item => ({ pk: { S: pk }, sk: { S: sk } });
