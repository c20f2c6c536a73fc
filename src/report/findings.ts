import { expiryAsWritten } from '../domain/exemptions.js';
import type { AccountResult, ScanResult, Verdict } from '../domain/types.js';

export interface FindingRecord {
  check: string;
  accountId: string;
  principal: string;
  arn: string;
  status: string;
  severity: string;
  reason: string;
  controls: string[];
  remediation: string;
  deadline?: string;
  exemption?: { reason: string; expires: string };
}

export function findingRecord(v: Verdict): FindingRecord {
  return {
    check: v.check,
    accountId: v.accountId,
    principal: v.principal,
    arn: v.arn,
    status: v.status,
    severity: v.severity,
    reason: v.reason,
    controls: v.controls,
    remediation: v.remediation,
    ...(v.deadline ? { deadline: v.deadline.toISOString() } : {}),
    ...(v.exemption
      ? { exemption: { reason: v.exemption.reason, expires: expiryAsWritten(v.exemption.expires) } }
      : {}),
  };
}

export function accountRecord(a: AccountResult) {
  return {
    accountId: a.accountId,
    partition: a.partition,
    ...(a.alias ? { alias: a.alias } : {}),
    credentialReportGeneratedAt: a.credentialReportGeneratedAt?.toISOString() ?? null,
    rootMfa: a.rootMfa,
    ...(a.rootCredentialsPresent !== undefined ? { rootCredentialsPresent: a.rootCredentialsPresent } : {}),
    ...(a.rootMfaAudit ? { rootMfaAudit: a.rootMfaAudit } : {}),
    ...(a.error ? { error: a.error } : {}),
  };
}

export function renderJson(scan: ScanResult): string {
  const doc = {
    generatedAt: scan.generatedAt.toISOString(),
    ...(scan.rootAccess ? { rootAccess: scan.rootAccess } : {}),
    accounts: scan.accounts.map(accountRecord),
    findings: scan.accounts.flatMap((a) => a.verdicts.map(findingRecord)),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
