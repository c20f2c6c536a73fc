import { parse } from 'csv-parse/sync';
import type { CredentialReportRow, ReportFlag, UnreadableReportRow } from '../domain/types.js';

export class CredentialReportFormatError extends Error {
  override name = 'CredentialReportFormatError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line ? `line ${line}: ${message}` : message);
  }
}

export interface ParsedCredentialReport {
  rows: CredentialReportRow[];
  /** Rows that could not be read, each with its line and why; the other rows stand. */
  unreadable: UnreadableReportRow[];
}

const REQUIRED = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_changed',
  'mfa_active',
] as const;
/** Values AWS writes where a date or flag does not apply or is unknown. */
const ABSENT = new Set(['N/A', 'no_information', 'not_supported', '']);
const ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::\d{12}:(root|user\/.+)$/;
const QUOTED_MAX = 80;

/**
 * Report text quoted for a message: control and bidirectional-override characters (which could rewrite a
 * terminal or reorder what a reader sees) are shown as \u escapes, and long values are cut.
 */
export function quoteReportText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const visible = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069"\\]/g, (c) =>
    c === '"' || c === '\\' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${visible.length > QUOTED_MAX ? `${visible.slice(0, QUOTED_MAX)}…` : visible}"`;
}

class RowError extends Error {}

function flag(value: string | undefined, column: string): ReportFlag {
  if (value === undefined || ABSENT.has(value)) return null;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new RowError(`${column} is ${quoteReportText(value)}, expected true, false or N/A`);
}

function date(value: string | undefined, column: string): Date | null {
  if (value === undefined || ABSENT.has(value)) return null;
  const parsed = /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(parsed.getTime())) {
    throw new RowError(
      `${column} is ${quoteReportText(value)}, expected an ISO 8601 date, N/A, no_information or not_supported`,
    );
  }
  return parsed;
}

/** One line's fields. A line without quotes is plain comma-separated; a quoted (RFC 4180) line goes to csv-parse. */
function fieldsOf(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  try {
    const records = parse(line, { relax_column_count: true }) as string[][];
    if (records.length !== 1) throw new RowError('malformed CSV: a line break inside quotes');
    return records[0]!;
  } catch (err) {
    if (err instanceof RowError) throw err;
    throw new RowError(`malformed CSV: ${(err as Error).message.replace(/ at line \d+\.?$/, '')}`);
  }
}

/**
 * AWS (and moto) write user names unquoted, and IAM names may contain commas: such a row has more fields
 * than the header. The ARN ends with the user name, so the one split where the first fields make a name
 * and the next ones an ARN ending in "/" + that name recovers the row; any other surplus is unreadable.
 */
function rejoinUserAndArn(fields: string[], columns: number): string[] {
  const extra = fields.length - columns;
  const fits: string[][] = [];
  for (let userParts = 1; userParts <= extra + 1; userParts++) {
    const user = fields.slice(0, userParts).join(',');
    const arn = fields.slice(userParts, extra + 2).join(',');
    if (ARN.test(arn) && arn.endsWith(`/${user}`)) fits.push([user, arn, ...fields.slice(extra + 2)]);
  }
  if (fits.length !== 1) {
    throw new RowError(
      `malformed CSV: ${fields.length} fields where the header has ` +
        `${columns}, and no single user name and ARN account for the extra commas`,
    );
  }
  return fits[0]!;
}

/**
 * Parses the IAM credential report CSV (as GetCredentialReport returns it, or as downloaded from the console).
 * A file without the report's header is refused as a whole; a row that cannot be read is set aside with its
 * line number and the reason, so one odd row never hides the others.
 */
export function parseCredentialReportCsv(text: string): ParsedCredentialReport {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerLine = lines.findIndex((l) => l.trim() !== '');
  if (headerLine < 0)
    throw new CredentialReportFormatError('the file is empty; expected a credential report with a header line');
  let header: string[];
  try {
    header = fieldsOf(lines[headerLine]!).map((h) => h.trim());
  } catch (err) {
    throw new CredentialReportFormatError((err as Error).message, headerLine + 1);
  }
  const index = new Map(header.map((name, i) => [name, i]));
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new CredentialReportFormatError(
      `not an IAM credential report: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      headerLine + 1,
    );
  }
  const userFirst = index.get('user') === 0 && index.get('arn') === 1;

  const rows: CredentialReportRow[] = [];
  const unreadable: UnreadableReportRow[] = [];
  for (let i = headerLine + 1; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === '') continue;
    const line = i + 1;
    let record: string[] | undefined;
    try {
      record = fieldsOf(text);
      if (record.length > header.length && userFirst) record = rejoinUserAndArn(record, header.length);
      else if (record.length !== header.length)
        throw new RowError(`malformed CSV: ${record.length} fields where the header has ${header.length}`);
      rows.push(toRow(record, index, line));
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      // Without fields, the text up to the first comma is the best guess at who the row is about.
      const user = record ? record[index.get('user')!] : text.split(',')[0];
      unreadable.push({ line, ...(user ? { user: quoteReportText(user) } : {}), reason: err.message });
    }
  }
  return { rows, unreadable };
}

function toRow(record: string[], index: Map<string, number>, line: number): CredentialReportRow {
  const col = (name: string) => {
    const i = index.get(name);
    return i === undefined ? undefined : record[i];
  };
  const user = col('user') ?? '';
  const arn = col('arn') ?? '';
  if (!user) throw new RowError('the user column is empty');
  if (!ARN.test(arn)) throw new RowError(`arn ${quoteReportText(arn)} is not an IAM user or root ARN`);
  return {
    line,
    user,
    arn,
    userCreationTime: date(col('user_creation_time'), 'user_creation_time'),
    passwordEnabled: flag(col('password_enabled'), 'password_enabled'),
    passwordLastUsed: date(col('password_last_used'), 'password_last_used'),
    passwordLastChanged: date(col('password_last_changed'), 'password_last_changed'),
    mfaActive: flag(col('mfa_active'), 'mfa_active') === true,
    accessKey1Active: flag(col('access_key_1_active'), 'access_key_1_active') === true,
    accessKey2Active: flag(col('access_key_2_active'), 'access_key_2_active') === true,
    accessKey1LastUsed: date(col('access_key_1_last_used_date'), 'access_key_1_last_used_date'),
    accessKey2LastUsed: date(col('access_key_2_last_used_date'), 'access_key_2_last_used_date'),
  };
}

/** The account and partition a report belongs to, read from its ARNs. */
export function reportAccount(
  rows: readonly CredentialReportRow[],
): { accountId: string; partition: 'aws' | 'aws-us-gov' | 'aws-cn' } | undefined {
  const first = rows[0];
  if (!first) return undefined;
  const m = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):/.exec(first.arn)!;
  return { partition: m[1] as 'aws' | 'aws-us-gov' | 'aws-cn', accountId: m[2]! };
}
