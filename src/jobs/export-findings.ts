import type { AwsSecurityFinding, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { callerAccount } from '../aws/account-snapshot.js';
import type { AwsClients, AwsOptions } from '../aws/clients.js';
import { clientConfig } from '../aws/clients.js';
import { describeAwsError } from '../aws/errors.js';
import { createSecurityHubClient, importFindings, mfaBotFindings, type ImportResult } from '../aws/security-hub.js';
import type { Config } from '../config/schema.js';
import { enabledChecks } from '../domain/checks/registry.js';
import type { ScanResult } from '../domain/types.js';
import { asffFindingId, productArn, REPORTED_STATUSES, toAsff, type AsffTarget } from '../report/asff.js';
import { contextFromCases, contextKey, type FindingContext } from '../report/finding-context.js';
import type { StateStore } from '../store/store.js';

export interface ImportPlan {
  findings: AwsSecurityFinding[];
  open: number;
  resolved: number;
}

const PRODUCT_FIELD_PREFIX = 'mfa-bot/';

/**
 * What to import after a scan, given what the hub already holds:
 * - each fail/grace/exempt verdict, with its CreatedAt kept from the hub when the finding exists;
 * - each hub finding that is still open but whose principal no longer fails, PASSED and ARCHIVED;
 *   only for accounts this scan read and checks it ran, so an unreadable account is never marked fixed.
 */
export function planImport(
  scan: ScanResult,
  existing: readonly AwsSecurityFinding[],
  target: AsffTarget,
  options: { checksRun: ReadonlySet<string>; contexts?: ReadonlyMap<string, FindingContext>; now: Date },
): ImportPlan {
  const byId = new Map(existing.map((f) => [f.Id!, f]));
  const findings: AwsSecurityFinding[] = [];
  const stillOpen = new Set<string>();
  const undecided = new Set<string>();
  const readAccounts = new Set(
    scan.accounts.filter((a) => !a.error && !a.verdicts.some((v) => v.status === 'error')).map((a) => a.accountId),
  );
  for (const a of scan.accounts) {
    if (!readAccounts.has(a.accountId)) continue;
    for (const v of a.verdicts) {
      const id = asffFindingId(v);
      if (v.status === 'not_evaluated') undecided.add(id);
      if (!REPORTED_STATUSES.has(v.status)) continue;
      stillOpen.add(id);
      const createdAt = byId.get(id)?.CreatedAt;
      const context = options.contexts?.get(contextKey(v.accountId, v.principal)) ?? {};
      findings.push(
        toAsff(
          v,
          target,
          { createdAt: createdAt ? new Date(createdAt) : options.now, updatedAt: options.now },
          context,
        ),
      );
    }
  }
  let resolved = 0;
  for (const f of existing) {
    const account = f.ProductFields?.[`${PRODUCT_FIELD_PREFIX}accountId`];
    const check = f.ProductFields?.[`${PRODUCT_FIELD_PREFIX}check`];
    if (f.RecordState === 'ARCHIVED' || stillOpen.has(f.Id!) || undecided.has(f.Id!)) continue;
    if (!account || !readAccounts.has(account) || !check || !options.checksRun.has(check)) continue;
    findings.push(resolvedFinding(f, options.now));
    resolved++;
  }
  return { findings, open: stillOpen.size, resolved };
}

/**
 * The hub's copy of a finding, as fixed. Only the fields mfa-bot sets are sent back: Security Hub adds
 * its own (ProcessedAt, the aws/securityhub/* product fields...) which are not the provider's to write.
 * Workflow RESOLVED is asked for, but Security Hub may keep a workflow status a person set after creation;
 * Compliance PASSED and RecordState ARCHIVED are what closes it.
 */
function resolvedFinding(f: AwsSecurityFinding, now: Date): AwsSecurityFinding {
  const ownFields = Object.fromEntries(
    Object.entries(f.ProductFields ?? {}).filter(([k]) => k.startsWith(PRODUCT_FIELD_PREFIX)),
  );
  return {
    SchemaVersion: f.SchemaVersion,
    Id: f.Id,
    ProductArn: f.ProductArn,
    ProductName: f.ProductName,
    CompanyName: f.CompanyName,
    GeneratorId: f.GeneratorId,
    AwsAccountId: f.AwsAccountId,
    ...(f.Region ? { Region: f.Region } : {}),
    Types: f.Types,
    CreatedAt: f.CreatedAt,
    UpdatedAt: now.toISOString(),
    Severity: f.Severity,
    ...(f.FindingProviderFields ? { FindingProviderFields: f.FindingProviderFields } : {}),
    Title: f.Title,
    Description: f.Description,
    ...(f.Remediation ? { Remediation: f.Remediation } : {}),
    Resources: f.Resources,
    Compliance: { ...f.Compliance, Status: 'PASSED' },
    RecordState: 'ARCHIVED',
    Workflow: { Status: 'RESOLVED' },
    ProductFields: {
      ...ownFields,
      [`${PRODUCT_FIELD_PREFIX}status`]: 'fixed',
      [`${PRODUCT_FIELD_PREFIX}fixedAt`]: now.toISOString(),
    },
  };
}

export interface SecurityHubExport extends Partial<ImportResult> {
  productArn?: string;
  open?: number;
  resolved?: number;
  /** Set when the export could not run at all (no access to the hub, Security Hub off...). */
  error?: string;
}

export interface ExportDeps {
  aws: AwsClients;
  config: Config;
  scan: ScanResult;
  now: Date;
  store?: StateStore;
  hub?: SecurityHubClient;
  awsOptions?: AwsOptions;
}

/**
 * After a scan (run, serve, Lambda): sync the findings into Security Hub in the account mfa-bot runs in.
 * Never throws: an AWS error is returned so the rest of the cycle (Slack) is not held up by it.
 */
export async function exportToSecurityHub(deps: ExportDeps): Promise<SecurityHubExport> {
  const settings = deps.config.securityHub;
  if (!settings?.enabled) return {};
  const region = settings.region ?? clientConfig(deps.awsOptions).region;
  try {
    const me = await callerAccount(deps.aws.sts);
    const target: AsffTarget = { accountId: me.accountId, partition: me.partition, region };
    const hub = deps.hub ?? createSecurityHubClient({ ...deps.awsOptions, region });
    const arn = productArn(target);
    const existing = await mfaBotFindings(hub, arn);
    const contexts = deps.store ? contextFromCases(await deps.store.cases({ latestOnly: true })) : undefined;
    const checksRun = new Set<string>(enabledChecks(deps.config.checks).map((c) => c.id));
    const plan = planImport(deps.scan, existing, target, {
      checksRun,
      now: deps.now,
      ...(contexts ? { contexts } : {}),
    });
    const result = await importFindings(hub, plan.findings);
    return { ...result, productArn: arn, open: plan.open, resolved: plan.resolved };
  } catch (err) {
    const e = describeAwsError(err);
    return { error: `${e.code}: ${e.message}${e.hint ? ` (${e.hint})` : ''}` };
  }
}
