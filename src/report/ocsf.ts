import { findCheck } from '../domain/checks/registry.js';
import {
  ROOT_PRINCIPAL,
  type AccountResult,
  type ScanResult,
  type Severity,
  type Status,
  type Verdict,
} from '../domain/types.js';
import { securityCredentialsUrl } from '../domain/console-links.js';
import { asffFindingId, relatedRequirements, REPORTED_STATUSES, safeName } from './asff.js';
import { findingContextFields, type FindingContext } from './finding-context.js';

/** OCSF 1.1.0, Findings category (2), Compliance Finding class (2003): the class Security Lake and Prowler write. */
export const OCSF_VERSION = '1.1.0';
const CLASS_UID = 2003;
const ACTIVITY_CREATE = 1;

const SEVERITY_ID: Record<Severity, number> = { low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME: Record<number, string> = { 1: 'Informational', 2: 'Low', 3: 'Medium', 4: 'High', 5: 'Critical' };
/** compliance.status_id: 1 Pass, 2 Warning, 3 Fail. */
const COMPLIANCE_STATUS: Partial<Record<Status, [number, string]>> = {
  fail: [3, 'Fail'],
  grace: [2, 'Warning'],
  exempt: [2, 'Warning'],
};

/**
 * The benchmark names in a check's controls ("CIS AWS Foundations v3.0.0 1.10" → "CIS AWS Foundations Benchmark
 * v3.0.0").
 */
function standards(controls: readonly string[]): string[] {
  const names = controls
    .map((c) => /^CIS AWS Foundations v(\S+) /.exec(c))
    .filter((m) => m !== null)
    .map((m) => `CIS AWS Foundations Benchmark v${m[1]}`);
  return names.length ? names : ['AWS Foundational Security Best Practices'];
}

export function toOcsf(
  v: Verdict,
  account: Pick<AccountResult, 'accountId' | 'partition'>,
  scannedAt: Date,
  context: FindingContext = {},
) {
  const check = findCheck(v.check);
  const severityId = v.status === 'exempt' ? 1 : SEVERITY_ID[v.severity];
  const [statusId, status] = COMPLIANCE_STATUS[v.status] ?? [0, 'Unknown'];
  const title = `${check?.title ?? v.check}: ${safeName(v.principal)} in account ${v.accountId}`;
  const requirements = relatedRequirements(v.controls);
  return {
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    category_uid: 2,
    category_name: 'Findings',
    class_uid: CLASS_UID,
    class_name: 'Compliance Finding',
    type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
    type_name: 'Compliance Finding: Create',
    time: scannedAt.getTime(),
    severity_id: severityId,
    severity: SEVERITY_NAME[severityId],
    status_id: 1,
    status: 'New',
    message: title,
    metadata: { version: OCSF_VERSION, product: { name: 'mfa-bot', vendor_name: 'mfa-bot' }, event_code: v.check },
    finding_info: { uid: asffFindingId(v), title, desc: v.reason, types: [v.check], created_time: scannedAt.getTime() },
    compliance: {
      standards: standards(v.controls),
      requirements,
      control: requirements.find((r) => /^IAM\.\d+$/.test(r)) ?? v.check,
      status_id: statusId,
      status,
    },
    cloud: { provider: 'AWS', account: { uid: v.accountId, type: 'AWS Account', type_id: 10 } },
    resources: [
      {
        uid: v.arn || v.accountId,
        name: v.principal === ROOT_PRINCIPAL ? 'root' : safeName(v.principal),
        type: v.principal === ROOT_PRINCIPAL ? 'AwsAccount' : 'AwsIamUser',
        cloud_partition: account.partition,
      },
    ],
    remediation: { desc: v.remediation, references: [securityCredentialsUrl(account.partition)] },
    unmapped: { check: v.check, status: v.status, ...findingContextFields(v, context) },
  };
}

/** `scan --format ocsf`: one Compliance Finding per open finding, as a JSON array. */
export function renderOcsf(scan: ScanResult): string {
  const events = scan.accounts.flatMap((a) =>
    a.verdicts.filter((v) => REPORTED_STATUSES.has(v.status)).map((v) => toOcsf(v, a, scan.generatedAt)),
  );
  return `${JSON.stringify(events, null, 2)}\n`;
}
