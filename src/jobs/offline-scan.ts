import { InputError } from './input-error.js';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import {
  CredentialReportFormatError,
  parseCredentialReportCsv,
  quoteReportText,
  reportAccount,
} from '../aws/credential-report-csv.js';
import { evaluateAccount } from '../domain/evaluate.js';
import type { ScanResult } from '../domain/types.js';
import type { Config } from '../config/schema.js';
import { checkContext } from './scan.js';

export { InputError } from './input-error.js';

/** IAM allows at most 5,000 users an account by default; their report is about 1.5 MB. */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/** Reads a regular file of at most MAX_REPORT_BYTES; a device, FIFO or huge file would exhaust memory. */
function readReportFile(path: string): { text: string; mtime: Date } {
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO does not wait for a writer before fstat can refuse it.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new InputError(
      `${path}: cannot read credential report (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`,
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new InputError(
        `${path}: not a regular file; give the credential report CSV downloaded from the IAM console`,
      );
    if (stat.size > MAX_REPORT_BYTES) {
      throw new InputError(
        `${path}: ${(stat.size / 1024 / 1024).toFixed(0)} MB is more than a ` +
          `credential report can be (the limit is ${MAX_REPORT_BYTES / 1024 / 1024} MB)`,
      );
    }
    // Read at most one byte past the limit, in case the file grows between fstat and read.
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_REPORT_BYTES) + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; )
      length += n;
    if (length > MAX_REPORT_BYTES)
      throw new InputError(
        `${path}: the file grew past the ${MAX_REPORT_BYTES / 1024 / 1024} MB limit while being read`,
      );
    return { text: buffer.subarray(0, length).toString('utf8'), mtime: stat.mtime };
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(
      `${path}: cannot read credential report (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`,
    );
  } finally {
    closeSync(fd);
  }
}

/**
 * Evaluates a credential report downloaded from the IAM console. Without the API there is no account
 * summary and no device list: the root user is assumed to have credentials and its device kind is unknown.
 * A downloaded file carries no generation time, so its modification time stands in for it.
 */
export function scanCredentialReportFile(path: string, config: Config, now: Date = new Date()): ScanResult {
  const { text, mtime } = readReportFile(path);
  let parsed;
  try {
    parsed = parseCredentialReportCsv(text);
  } catch (err) {
    if (err instanceof CredentialReportFormatError) throw new InputError(`${path}: ${err.message}`);
    throw err;
  }
  const { rows, unreadable } = parsed;
  const account = reportAccount(rows);
  if (!account) {
    const first = unreadable[0];
    throw new InputError(
      first
        ? `${path}: line ${first.line}: ${first.reason} (and no row of the report could be read)`
        : `${path}: the credential report has a header but no rows`,
    );
  }
  const foreign = rows.find((r) => !r.arn.startsWith(`arn:${account.partition}:iam::${account.accountId}:`));
  if (foreign)
    throw new InputError(
      `${path}: line ${foreign.line}: ${quoteReportText(foreign.arn)} ` +
        `belongs to another account than line ${rows[0]!.line}`,
    );
  const result = evaluateAccount(
    {
      ...account,
      credentialReport: { generatedAt: mtime, rows, ...(unreadable.length > 0 ? { unreadableRows: unreadable } : {}) },
    },
    checkContext(config, now),
    config.exemptions,
  );
  return { generatedAt: now, accounts: [result] };
}
