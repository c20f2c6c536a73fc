import { parse } from 'csv-parse/sync';
import type { CredentialReportRow, ReportFlag } from '../domain/types.js';

export class CredentialReportFormatError extends Error {
  override name = 'CredentialReportFormatError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line ? `line ${line}: ${message}` : message);
  }
}

const REQUIRED = ['user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_changed', 'mfa_active'] as const;
/** Values AWS writes where a date or flag does not apply or is unknown. */
const ABSENT = new Set(['N/A', 'no_information', 'not_supported', '']);

function flag(value: string | undefined, column: string, line: number): ReportFlag {
  if (value === undefined || ABSENT.has(value)) return null;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new CredentialReportFormatError(`${column} is "${value}", expected true, false or N/A`, line);
}

function date(value: string | undefined, column: string, line: number): Date | null {
  if (value === undefined || ABSENT.has(value)) return null;
  const parsed = /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(parsed.getTime())) {
    throw new CredentialReportFormatError(`${column} is "${value}", expected an ISO 8601 date, N/A, no_information or not_supported`, line);
  }
  return parsed;
}

/** Parses the IAM credential report CSV (as GetCredentialReport returns it, or as downloaded from the console). */
export function parseCredentialReportCsv(text: string): CredentialReportRow[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: false }) as string[][];
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new CredentialReportFormatError(`malformed CSV: ${e.message.replace(/^Invalid Record Length: /, '')}`, e.lines);
  }
  const [header, ...body] = records;
  if (!header) throw new CredentialReportFormatError('the file is empty; expected a credential report with a header line');
  const index = new Map(header.map((name, i) => [name.trim(), i]));
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new CredentialReportFormatError(`not an IAM credential report: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, 1);
  }
  const col = (record: string[], name: string) => {
    const i = index.get(name);
    return i === undefined ? undefined : record[i];
  };

  return body.map((record, i) => {
    const line = i + 2;
    const user = col(record, 'user') ?? '';
    const arn = col(record, 'arn') ?? '';
    if (!user) throw new CredentialReportFormatError('the user column is empty', line);
    if (!/^arn:(aws|aws-us-gov|aws-cn):iam::\d{12}:(root|user\/.+)$/.test(arn)) {
      throw new CredentialReportFormatError(`arn "${arn}" is not an IAM user or root ARN`, line);
    }
    return {
      line,
      user,
      arn,
      userCreationTime: date(col(record, 'user_creation_time'), 'user_creation_time', line),
      passwordEnabled: flag(col(record, 'password_enabled'), 'password_enabled', line),
      passwordLastUsed: date(col(record, 'password_last_used'), 'password_last_used', line),
      passwordLastChanged: date(col(record, 'password_last_changed'), 'password_last_changed', line),
      mfaActive: flag(col(record, 'mfa_active'), 'mfa_active', line) === true,
      accessKey1Active: flag(col(record, 'access_key_1_active'), 'access_key_1_active', line) === true,
      accessKey2Active: flag(col(record, 'access_key_2_active'), 'access_key_2_active', line) === true,
    };
  });
}

/** The account and partition a report belongs to, read from its ARNs. */
export function reportAccount(rows: readonly CredentialReportRow[]): { accountId: string; partition: 'aws' | 'aws-us-gov' | 'aws-cn' } | undefined {
  const first = rows[0];
  if (!first) return undefined;
  const m = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):/.exec(first.arn)!;
  return { partition: m[1] as 'aws' | 'aws-us-gov' | 'aws-cn', accountId: m[2]! };
}
