import { enabledChecks } from './checks/registry.js';
import { applyExemptions } from './exemptions.js';
import { rootState } from './root.js';
import type {
  AccountError,
  AccountResult,
  AccountSnapshot,
  CheckContext,
  Exemption,
  Partition,
  Verdict,
} from './types.js';

export function evaluateAccount(
  snapshot: AccountSnapshot,
  ctx: CheckContext,
  exemptions: readonly Exemption[] = [],
): AccountResult {
  const verdicts = enabledChecks(ctx.settings).flatMap((check) => check.evaluate(snapshot, ctx));
  const root = rootState(snapshot);
  return {
    accountId: snapshot.accountId,
    partition: snapshot.partition,
    alias: snapshot.alias,
    credentialReportGeneratedAt: snapshot.credentialReport.generatedAt,
    rootMfa: root.kind,
    rootCredentialsPresent: root.credentialsPresent,
    ...(snapshot.rootMfaAudit ? { rootMfaAudit: snapshot.rootMfaAudit } : {}),
    verdicts: applyExemptions(verdicts, exemptions, ctx.now),
  };
}

/** An account that could not be read still shows up: one `error` verdict per enabled check. */
export function erroredAccount(
  accountId: string,
  partition: Partition,
  error: AccountError,
  ctx: CheckContext,
  alias?: string,
): AccountResult {
  const reason = `${error.code}: ${error.message}${error.hint ? ` (${error.hint})` : ''}`;
  const verdicts: Verdict[] = enabledChecks(ctx.settings).map((check) => ({
    check: check.id,
    accountId,
    principal: '*',
    arn: '',
    status: 'error',
    severity: check.severity,
    reason,
    controls: check.controls,
    remediation: check.remediation,
  }));
  return { accountId, partition, alias, rootMfa: 'unknown', error, verdicts };
}
