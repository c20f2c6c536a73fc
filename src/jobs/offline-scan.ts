import { readFileSync, statSync } from 'node:fs';
import { CredentialReportFormatError, parseCredentialReportCsv, reportAccount } from '../aws/credential-report-csv.js';
import { evaluateAccount } from '../domain/evaluate.js';
import type { ScanResult } from '../domain/types.js';
import type { Config } from '../config/schema.js';
import { checkContext } from './scan.js';

export class InputError extends Error {
  override name = 'InputError';
}

/**
 * Evaluates a credential report downloaded from the IAM console. Without the API there is no account
 * summary and no device list: the root user is assumed to have credentials and its device kind is unknown.
 * A downloaded file carries no generation time, so its modification time stands in for it.
 */
export function scanCredentialReportFile(path: string, config: Config, now: Date = new Date()): ScanResult {
  let text: string;
  let mtime: Date;
  try {
    text = readFileSync(path, 'utf8');
    mtime = statSync(path).mtime;
  } catch (err) {
    throw new InputError(`${path}: cannot read credential report (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  let rows;
  try {
    rows = parseCredentialReportCsv(text);
  } catch (err) {
    if (err instanceof CredentialReportFormatError) throw new InputError(`${path}: ${err.message}`);
    throw err;
  }
  const account = reportAccount(rows);
  if (!account) throw new InputError(`${path}: the credential report has a header but no rows`);
  const foreign = rows.find((r) => !r.arn.startsWith(`arn:${account.partition}:iam::${account.accountId}:`));
  if (foreign) throw new InputError(`${path}: line ${foreign.line}: ${foreign.arn} belongs to another account than line 2`);
  const result = evaluateAccount(
    { ...account, credentialReport: { generatedAt: mtime, rows } },
    checkContext(config, now),
    config.exemptions,
  );
  return { generatedAt: now, accounts: [result] };
}
