import type { AwsClients } from '../aws/clients.js';
import { callerAccount, collectAccountSnapshot } from '../aws/account-snapshot.js';
import type { ReportPolling } from '../aws/credential-report.js';
import { describeAwsError } from '../aws/errors.js';
import { erroredAccount, evaluateAccount } from '../domain/evaluate.js';
import type { AccountResult, CheckContext, Partition, RootMfaAudit, ScanResult } from '../domain/types.js';
import type { Config } from '../config/schema.js';

export type ScanProgress =
  | { kind: 'account-start'; accountId: string; index: number; total: number }
  | { kind: 'account-done'; result: AccountResult; index: number; total: number };

export interface ScanOptions {
  now?: () => Date;
  polling?: Partial<ReportPolling>;
  onProgress?: (event: ScanProgress) => void;
  /** Lists the root's MFA devices in a root session (organization scans); undefined where that is not done. */
  rootMfaAudit?: (account: { accountId: string; partition: Partition }) => Promise<RootMfaAudit | undefined>;
}

export function checkContext(config: Config, now: Date): CheckContext {
  return { settings: config.checks, now };
}

/** Scans the account the given credentials belong to. Never throws for AWS trouble: that becomes `error` verdicts. */
export async function scanAccount(
  clients: AwsClients,
  config: Config,
  options: ScanOptions = {},
): Promise<AccountResult> {
  const now = options.now ?? (() => new Date());
  let account: { accountId: string; partition: 'aws' | 'aws-us-gov' | 'aws-cn' } = {
    accountId: 'unknown',
    partition: 'aws',
  };
  try {
    account = await callerAccount(clients.sts);
    const snapshot = await collectAccountSnapshot(clients.iam, account, {
      settings: config.checks,
      polling: options.polling,
    });
    // As the root checks read it (domain/root.ts): no session for a root with neither a password nor an access key.
    const summary = snapshot.summary;
    const credentialsPresent = summary && !(summary.passwordPresent === false && summary.accessKeysPresent === false);
    const rootMfaAudit = credentialsPresent ? await options.rootMfaAudit?.(account) : undefined;
    return evaluateAccount(
      rootMfaAudit ? { ...snapshot, rootMfaAudit } : snapshot,
      checkContext(config, now()),
      config.exemptions,
    );
  } catch (err) {
    return erroredAccount(account.accountId, account.partition, describeAwsError(err), checkContext(config, now()));
  }
}

export async function scanCurrentAccount(
  clients: AwsClients,
  config: Config,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const now = options.now ?? (() => new Date());
  options.onProgress?.({ kind: 'account-start', accountId: 'current credentials', index: 0, total: 1 });
  const result = await scanAccount(clients, config, options);
  options.onProgress?.({ kind: 'account-done', result, index: 0, total: 1 });
  return { generatedAt: now(), accounts: [result] };
}
