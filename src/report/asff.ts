import type { AwsSecurityFinding, ComplianceStatus, SeverityLabel } from '@aws-sdk/client-securityhub';
import { findCheck } from '../domain/checks/registry.js';
import {
  ROOT_PRINCIPAL,
  type Partition,
  type ScanResult,
  type Severity,
  type Status,
  type Verdict,
} from '../domain/types.js';
import { securityCredentialsUrl } from '../domain/console-links.js';
import { findingContextFields, type FindingContext } from './finding-context.js';

/** The statuses that become an open finding: the same set Security Hub is told about. */
export const REPORTED_STATUSES: ReadonlySet<Status> = new Set(['fail', 'grace', 'exempt']);

export const GENERATOR_PREFIX = 'mfa-bot/';

/** Where the findings go: the hub's account, partition and region (the product ARN names all three). */
export interface AsffTarget {
  accountId: string;
  partition: Partition;
  region: string;
}

/** The default product ARN every account has for its own findings. */
export function productArn(t: AsffTarget): string {
  return `arn:${t.partition}:securityhub:${t.region}:${t.accountId}:product/${t.accountId}/default`;
}

/** Stable per account, check and principal, so a re-import updates the finding instead of adding one. */
export function asffFindingId(v: Pick<Verdict, 'accountId' | 'check' | 'principal'>): string {
  const who = v.principal === ROOT_PRINCIPAL ? 'root' : encodeURIComponent(v.principal);
  return `mfa-bot/${v.accountId}/${v.check}/${who}`;
}

/**
 * IAM names allow only letters, digits and `+=,.@_-`, but an offline credential report can hold anything:
 * anything else becomes `?`, and the name is cut at IAM's 64 characters, before it goes into a title.
 */
export function safeName(name: string): string {
  return name === ROOT_PRINCIPAL ? 'the root user' : name.replace(/[^\w+=,.@-]/g, '?').slice(0, 64);
}

const SEVERITY: Record<Severity, SeverityLabel> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW' };

const COMPLIANCE: Partial<Record<Status, ComplianceStatus>> = { fail: 'FAILED', grace: 'WARNING', exempt: 'WARNING' };

/**
 * "Security Hub IAM.5" and "CIS AWS Foundations v3.0.0 1.10" as Security Hub writes them: "IAM.5", "CIS AWS Foundations
 * Benchmark v3.0.0/1.10".
 */
export function relatedRequirements(controls: readonly string[]): string[] {
  return controls.flatMap((c) => {
    const hub = /^Security Hub (\S+)$/.exec(c);
    if (hub) return [hub[1]!];
    const cis = /^CIS AWS Foundations v(\S+) (\S+)$/.exec(c);
    if (cis) return [`CIS AWS Foundations Benchmark v${cis[1]}/${cis[2]}`];
    return [];
  });
}

/** ASFF caps: Title 256, Description 1024, Remediation text 512 characters. */
const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

function findingTypes(controls: readonly string[]): string[] {
  return controls.some((c) => c.startsWith('CIS '))
    ? ['Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark']
    : ['Software and Configuration Checks/AWS Security Best Practices'];
}

export interface AsffTimes {
  /** When the finding was first created; kept from the hub on a re-import. */
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One verdict as an ASFF finding. Workflow, Note and UserDefinedFields are left out: Security Hub keeps
 * them for the people working the finding and BatchImportFindings cannot change them once it exists
 * (API_BatchImportFindings). mfa-bot's own context goes into ProductFields, which the provider may update.
 */
export function toAsff(
  v: Verdict,
  target: AsffTarget,
  times: AsffTimes,
  context: FindingContext = {},
): AwsSecurityFinding {
  const check = findCheck(v.check);
  const title = check?.title ?? v.check;
  const who = safeName(v.principal);
  const compliance = COMPLIANCE[v.status] ?? 'NOT_AVAILABLE';
  const severity: SeverityLabel = v.status === 'exempt' ? 'INFORMATIONAL' : SEVERITY[v.severity];
  const types = findingTypes(v.controls);
  return {
    SchemaVersion: '2018-10-08',
    Id: asffFindingId(v),
    ProductArn: productArn(target),
    ProductName: 'mfa-bot',
    CompanyName: 'mfa-bot',
    GeneratorId: `${GENERATOR_PREFIX}${v.check}`,
    AwsAccountId: target.accountId,
    Region: target.region,
    Types: types,
    CreatedAt: times.createdAt.toISOString(),
    UpdatedAt: times.updatedAt.toISOString(),
    Severity: { Label: severity, Original: v.severity },
    FindingProviderFields: { Severity: { Label: severity, Original: v.severity }, Types: types },
    Title: cut(`${title}: ${who} in account ${v.accountId}`, 256),
    Description: cut(v.reason, 1024),
    Remediation: {
      Recommendation: { Text: cut(v.remediation, 512), Url: securityCredentialsUrl(accountPartition(v, target)) },
    },
    Resources: [
      {
        Type: v.principal === ROOT_PRINCIPAL ? 'AwsAccount' : 'AwsIamUser',
        Id: v.arn || `AWS::::Account:${v.accountId}`,
        Partition: accountPartition(v, target),
        Region: target.region,
      },
    ],
    Compliance: { Status: compliance, RelatedRequirements: relatedRequirements(v.controls) },
    RecordState: 'ACTIVE',
    ProductFields: {
      'mfa-bot/check': v.check,
      'mfa-bot/status': v.status,
      'mfa-bot/accountId': v.accountId,
      ...findingContextFields(v, context),
    },
  };
}

function accountPartition(v: Verdict, target: AsffTarget): Partition {
  const m = /^arn:(aws|aws-us-gov|aws-cn):/.exec(v.arn);
  return (m?.[1] as Partition | undefined) ?? target.partition;
}

/** `scan --format asff`: each open finding as its own account would import it, as BatchImportFindings input. */
export function renderAsff(scan: ScanResult, region: string): string {
  const findings = scan.accounts.flatMap((a) =>
    a.verdicts
      .filter((v) => REPORTED_STATUSES.has(v.status))
      .map((v) =>
        toAsff(
          v,
          { accountId: a.accountId, partition: a.partition, region },
          { createdAt: scan.generatedAt, updatedAt: scan.generatedAt },
        ),
      ),
  );
  return `${JSON.stringify({ Findings: findings }, null, 2)}\n`;
}
