import picocolors from 'picocolors';
import { humanAge } from '../domain/dates.js';
import { rootAccessSummary, rootCredentialsDeletable } from '../domain/root-access.js';
import { countByStatus } from '../domain/summary.js';
import { STATUSES, type ScanResult, type Status } from '../domain/types.js';
import { printable, renderGrid } from './grid.js';

type Paint = (s: string) => string;

// Whether to colour is the caller's decision (TTY, NO_COLOR), not picocolors' guess at import time.
const pc = picocolors.createColors(true);

const STATUS_COLOUR: Record<Status, Paint> = {
  fail: pc.red,
  error: pc.magenta,
  grace: pc.yellow,
  exempt: pc.cyan,
  not_evaluated: pc.gray,
  pass: pc.green,
  not_applicable: pc.gray,
};

export interface TableOptions {
  colour: boolean;
  now: Date;
  /** Rows of these statuses are counted in the summary but not listed. */
  hide?: Status[];
  /** Terminal width; the reason column takes what the others leave. */
  width?: number;
  /** A line after the summary, e.g. what a filter left out. */
  note?: string;
}

/** Terminal output: one table per status group, worst first, then a summary line. */
export function renderTable(scan: ScanResult, options: TableOptions): string {
  const paint = (status: Status, s: string) => (options.colour ? STATUS_COLOUR[status](s) : s);
  const bold = (s: string) => (options.colour ? pc.bold(s) : s);
  const hide = new Set(options.hide ?? ['not_applicable']);
  const out: string[] = [];
  if (scan.rootAccess) {
    const hint = scan.rootAccess.error?.hint;
    out.push(printable(rootAccessSummary(scan.rootAccess)) + (hint ? `\n  hint: ${printable(hint)}` : ''));
  }

  for (const account of scan.accounts) {
    const name = account.alias ? `${account.accountId} (${printable(account.alias)})` : account.accountId;
    const age = account.credentialReportGeneratedAt
      ? `credential report from ${humanAge(account.credentialReportGeneratedAt, options.now)} ago`
      : 'no credential report';
    out.push(
      `${bold(`Account ${name}`)}  root MFA: ` +
        `${account.rootCredentialsPresent === false ? 'not applicable (no root credentials)' : account.rootMfa}` +
        `  ${age}`,
    );
    if (rootCredentialsDeletable(scan.rootAccess, account))
      out.push('  root credentials still present: delete them centrally (root credentials management is on)');
    if (account.error) {
      const { code, message, hint } = account.error;
      out.push(
        paint('error', printable(`  could not scan: ${code}: ${message}`)) +
          (hint ? `\n  hint: ${printable(hint)}` : ''),
      );
    }
  }
  out.push('');

  const verdicts = scan.accounts.flatMap((a) => a.verdicts);
  const multiAccount = scan.accounts.length > 1;
  for (const status of STATUSES) {
    if (hide.has(status)) continue;
    // An unreadable account's per-check errors repeat the account line above; its summary counts them.
    const group = verdicts.filter((v) => v.status === status && !(status === 'error' && v.principal === '*'));
    if (group.length === 0) continue;
    out.push(paint(status, bold(`${status.toUpperCase()} (${group.length})`)));
    const head = [...(multiAccount ? ['Account'] : []), 'Principal', 'Check', 'Severity', 'Reason'];
    const fixed = [...(multiAccount ? [14] : []), 28, 19, 10];
    const reasonWidth = Math.max(
      30,
      Math.min(90, (options.width ?? 124) - fixed.reduce((a, b) => a + b, 0) - fixed.length - 2),
    );
    const rows = group.map((v) => [...(multiAccount ? [v.accountId] : []), v.principal, v.check, v.severity, v.reason]);
    out.push(renderGrid(head, rows, [...fixed, reasonWidth]), '');
  }

  // An unreadable account is one problem, not one error per check.
  const counts = countByStatus(verdicts.filter((v) => !(v.status === 'error' && v.principal === '*')));
  const parts = STATUSES.filter((s) => counts[s] > 0).map((s) => paint(s, `${counts[s]} ${s}`));
  const unreadable = scan.accounts.filter((a) => a.error).length;
  const accounts = `${scan.accounts.length} account${scan.accounts.length === 1 ? '' : 's'}`;
  out.push(
    `${parts.join(', ') || 'no findings'} across ` +
      `${accounts}${unreadable ? paint('error', `; ${unreadable} could not be scanned`) : ''}.`,
  );
  if (options.note) out.push(options.note);
  return `${out.join('\n')}\n`;
}
