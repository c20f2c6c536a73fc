import type { KnownBlock } from '@slack/types';
import { identityKey, type IdentityMap } from '../../domain/identity.js';
import type { ChangeKind } from '../../domain/finding-change.js';
import type { ScanDiff } from '../../domain/scan-diff.js';
import { coverage, sparkline, type AccountTrend } from '../../domain/trend.js';
import { ROOT_PRINCIPAL, type Verdict } from '../../domain/types.js';
import { code, truncate } from '../mrkdwn.js';
import { accountLabel, checkLabel, num, personLabel, plural, utcStamp } from './format.js';
import { BLOCK_IDS } from './ids.js';
import { section } from './limits.js';

/** What the digest remembers: changes since the previous scan, and each account's trend. */
export interface DigestMemory {
  diff: ScanDiff;
  /** Oldest point first; the current scan is the last point. */
  trends: AccountTrend[];
  /**
   * Last known mappings, to name people in the changes: someone who just fixed their MFA is no longer
   * resolved by the scan, but was at an earlier one. Falls back to the digest's identities.
   */
  identities?: IdentityMap;
}

/** Names per category, and accounts in the trend, before "…and N more". */
export const MEMORY_MAX_NAMES = 10;
export const MEMORY_MAX_TRENDS = 10;
/** Each memory section stays far below the 3,000 a section may hold, so the per-account detail keeps its room. */
const SECTION_MAX = 1800;

function percent(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${Math.floor(value)}%`;
}

function who(v: Verdict, identities: IdentityMap, withAccount: boolean): string {
  const person =
    v.principal === ROOT_PRINCIPAL
      ? `the root user (${checkLabel(v.check)})`
      : personLabel(v.principal, identities.get(identityKey(v.accountId, v.principal)));
  const check = v.principal !== ROOT_PRINCIPAL && v.check !== 'user-console-mfa' ? ` (${checkLabel(v.check)})` : '';
  return `${person}${check}${withAccount ? ` in ${code(v.accountId)}` : ''}`;
}

function changeLine(
  label: string,
  verdicts: Verdict[],
  identities: IdentityMap,
  withAccount: boolean,
): string | undefined {
  if (verdicts.length === 0) return undefined;
  const names = verdicts.slice(0, MEMORY_MAX_NAMES).map((v) => who(v, identities, withAccount));
  const more = verdicts.length - names.length;
  return truncate(
    `${label} (${num(verdicts.length)}):* ${names.join(', ')}${more > 0 ? `, …and ${num(more)} more` : ''}`,
    600,
  );
}

const CHANGE_LABELS: Array<[ChangeKind, string]> = [
  ['newly_failing', ':new: *Newly failing'],
  ['fixed', ':white_check_mark: *Fixed'],
  ['exempted', ':white_circle: *New exemptions'],
  ['exemption_expired', ':alarm_clock: *Exemptions expired'],
];

function changesBlock(diff: ScanDiff, identities: IdentityMap): KnownBlock {
  if (!diff.previousScanAt)
    return section(
      '*Since the last scan:* this is the first scan, so there is nothing to compare with yet.',
      BLOCK_IDS.digestChanges,
    );
  const withAccount = new Set(diff.changes.map((c) => c.verdict.accountId)).size > 1;
  const lines = CHANGE_LABELS.map(([kind, label]) =>
    changeLine(
      label,
      diff.changes.filter((c) => c.change === kind).map((c) => c.verdict),
      identities,
      withAccount,
    ),
  ).filter((l): l is string => l !== undefined);
  const head = `*Since the last scan* (${utcStamp(diff.previousScanAt)})${lines.length ? '' : ': no changes.'}`;
  return section(truncate([head, ...lines].join('\n'), SECTION_MAX), BLOCK_IDS.digestChanges);
}

function trendLine(t: AccountTrend): string {
  const values = t.points.map(coverage);
  const last = t.points[t.points.length - 1];
  const first = values.find((v) => v !== undefined);
  const now = values[values.length - 1];
  const failing = last && !last.errorCode ? ` · ${num(last.users.fail)} failing` : ' · could not scan';
  const change = t.points.length > 1 ? `${percent(first)} → ${percent(now)}` : percent(now);
  return `• ${accountLabel(t)} ${code(sparkline(values))} ${change}${failing}`;
}

function trendBlock(trends: AccountTrend[]): KnownBlock | undefined {
  if (trends.length === 0) return undefined;
  // Worst coverage first: that is where a reader should look.
  const sorted = [...trends].sort(
    (a, b) =>
      (coverage(a.points.at(-1)!) ?? -1) - (coverage(b.points.at(-1)!) ?? -1) || a.accountId.localeCompare(b.accountId),
  );
  const scans = Math.max(...trends.map((t) => t.points.length));
  const lines = [
    `*Console MFA coverage, last ${plural(scans, 'scan')}*`,
    ...sorted.slice(0, MEMORY_MAX_TRENDS).map(trendLine),
  ];
  const more = sorted.length - MEMORY_MAX_TRENDS;
  if (more > 0) lines.push(`…and ${plural(more, 'more account')}`);
  return section(truncate(lines.join('\n'), SECTION_MAX), BLOCK_IDS.digestTrend);
}

/** Two sections at most, each bounded, whatever the number of accounts or changes. */
export function buildDigestMemory(memory: DigestMemory, identities: IdentityMap): KnownBlock[] {
  const trend = trendBlock(memory.trends);
  return [changesBlock(memory.diff, memory.identities ?? identities), ...(trend ? [trend] : [])];
}
