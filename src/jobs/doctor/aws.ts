import { DescribeEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { DescribeHubCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { callerAccount, type CallerAccount } from '../../aws/account-snapshot.js';
import { clientConfig, openAwsClients, resolveRegion, type AwsClients, type AwsOptions } from '../../aws/clients.js';
import {
  accountsUnderOu,
  assumeAccountClients,
  createOrganizationsClient,
  fetchAccountTags,
  listOrganizationAccounts,
} from '../../aws/organization.js';
import { AwsSetupError } from '../../aws/setup.js';
import type { Config } from '../../config/schema.js';
import { mapLimit } from '../../util/map-limit.js';
import { inOrganizationScope } from '../org-scan.js';
import { tryCall, type CallOutcome } from './aws-access.js';
import { IAM_READS, probeIamReads } from './aws-account.js';
import { fail, ok, skip, type DoctorCheck } from './check.js';

/** `--accounts`: the first N member accounts, or these account IDs. */
export type AccountSample = { count: number } | { ids: string[] };

export interface AwsDoctorOptions {
  config: Config;
  aws: AwsOptions;
  accounts?: AccountSample;
}

const READONLY = 'policy/mfa-bot-readonly.json';
const DOCTOR_POLICY = 'policy/mfa-bot-doctor.json';

const codeOf = (o: CallOutcome<unknown>): string => ('code' in o ? o.code : 'answered');

const why = (o: { code: string; message: string }) =>
  o.message && o.message !== o.code ? `${o.code}: ${o.message}` : o.code;

/** A read only doctor makes (the bot never does): refused, it is skipped, not failed, and says how to allow it. */
function doctorOnly(name: string, outcome: CallOutcome<unknown>, okDetail: string): DoctorCheck | undefined {
  if (outcome.kind === 'denied')
    return skip(
      'aws',
      name,
      `not permitted (${outcome.code}); mfa-bot itself never calls it, so this was not checked ` +
        `(attach ${DOCTOR_POLICY} to check it)`,
    );
  if (outcome.kind === 'answered') return ok('aws', name, okDetail);
  return undefined;
}

/** The AWS lines: who the credentials are, the region, and each read call the configured features make. */
export async function checkAws(options: AwsDoctorOptions): Promise<DoctorCheck[]> {
  const { config } = options;
  const lines: DoctorCheck[] = [];
  let clients: AwsClients;
  try {
    clients = await openAwsClients({ ...options.aws, warn: () => {} });
  } catch (err) {
    if (!(err instanceof AwsSetupError)) throw err;
    return [fail('aws', 'settings', err.message, 'fix the region or profile named above')];
  }
  const region = resolveRegion(options.aws);
  const identity = await tryCall(() => callerAccount(clients.sts));
  if (identity.kind !== 'answered') {
    const detail = identity.kind === 'permitted' || identity.kind === 'denied' ? identity.code : why(identity);
    const hint = identity.kind === 'broken' && identity.hint ? identity.hint : 'check the AWS credentials';
    lines.push(fail('aws', 'sts:GetCallerIdentity', `the AWS credentials do not work: ${detail}`, hint));
    lines.push(skip('aws', 'the rest of AWS', 'not checked: the credentials must work first'));
    return lines;
  }
  const me = identity.value;
  lines.push(ok('aws', 'sts:GetCallerIdentity', `${me.arn} in account ${me.accountId}`));
  lines.push(ok('aws', 'region', `${region.name} (${region.source})`));
  lines.push(...iamLines(await probeIamReads(clients.iam), me.arn, `account ${me.accountId}`, READONLY));
  if (config.organization) lines.push(...(await organizationLines(clients, me, options)));
  if (config.securityHub?.enabled) lines.push(...(await securityHubLines(config, region.name, me, options.aws)));
  if (config.events) lines.push(await eventBusLine(config.events.busName, me, options.aws));
  return lines;
}

function iamLines(
  result: Awaited<ReturnType<typeof probeIamReads>>,
  principal: string,
  where: string,
  policy: string,
): DoctorCheck[] {
  return result.probes.map(({ action, outcome }) => {
    const name = `iam:${action}`;
    if (outcome.kind === 'denied')
      return fail(
        'aws',
        name,
        `denied in ${where} (${outcome.code}); needed for ${IAM_READS[action]}`,
        `attach ${policy} to ${principal}`,
      );
    if (outcome.kind === 'broken')
      return fail('aws', name, `failed in ${where}: ${why(outcome)}`, outcome.hint ?? 'try again; check the network');
    const note = outcome.kind === 'permitted' ? ` (AWS answered ${outcome.code}, after the permission check)` : '';
    return ok('aws', name, `permitted${note}`);
  });
}

/** The member accounts to try: every account a scan would enter, or the sample `--accounts` asks for. */
function sampleOf(ids: string[], sample: AccountSample | undefined): string[] {
  if (!sample) return ids;
  if ('count' in sample) return ids.slice(0, sample.count);
  return sample.ids;
}

async function organizationLines(
  clients: AwsClients,
  me: CallerAccount,
  options: AwsDoctorOptions,
): Promise<DoctorCheck[]> {
  const org = options.config.organization!;
  const lines: DoctorCheck[] = [];
  const orgClient: OrganizationsClient = createOrganizationsClient({ ...options.aws, warn: () => {} });
  let ids: string[];
  if (org.accounts) {
    ids = org.accounts.filter((id) => inOrganizationScope(org, id));
    lines.push(
      skip('aws', 'organizations:ListAccounts', `not called: organization.accounts lists ${ids.length} accounts`),
    );
  } else {
    const listed = await tryCall(() => listOrganizationAccounts(orgClient));
    if (listed.kind !== 'answered') {
      const detail = listed.kind === 'permitted' ? listed.code : why(listed);
      lines.push(
        fail(
          'aws',
          'organizations:ListAccounts',
          `failed (${detail}): the organization's accounts cannot be listed`,
          'run from the management account or a delegated administrator, with ' +
            `policy/mfa-bot-org.json attached to ${me.arn}`,
        ),
      );
      return lines;
    }
    ids = listed.value.map((a) => a.accountId).filter((id) => inOrganizationScope(org, id));
    lines.push(
      ok('aws', 'organizations:ListAccounts', `${listed.value.length} ACTIVE accounts, ${ids.length} in scope`),
    );
    if (org.ownerTag) {
      const first = listed.value.find((a) => inOrganizationScope(org, a.accountId));
      const tags = first ? await tryCall(() => fetchAccountTags(orgClient, [first], 1)) : undefined;
      if (tags?.kind === 'denied')
        lines.push(
          fail(
            'aws',
            'organizations:ListTagsForResource',
            `denied (${tags.code}): organization.ownerTag cannot be read`,
            `attach policy/mfa-bot-org.json to ${me.arn}`,
          ),
        );
      else if (tags) lines.push(ok('aws', 'organizations:ListTagsForResource', 'permitted (organization.ownerTag)'));
    }
  }
  for (const ou of new Set(options.config.slack.routes.flatMap((r) => r.ous))) {
    const under = await tryCall(() => accountsUnderOu(orgClient, ou));
    if (under.kind === 'answered')
      lines.push(ok('aws', `organizational unit ${ou}`, `${under.value.length} accounts (slack.routes)`));
    else
      lines.push(
        fail(
          'aws',
          `organizational unit ${ou}`,
          `cannot be listed (${under.code}): its route gets no digest`,
          `check the OU ID in slack.routes, and policy/mfa-bot-org.json`,
        ),
      );
  }
  // The account doctor runs in was checked above with its own credentials, as a scan enters it.
  const members = sampleOf(
    ids.filter((id) => id !== me.accountId),
    options.accounts,
  );
  const results = await mapLimit(members, org.concurrency, (id) => memberLine(clients, id, me, options));
  lines.push(...results);
  return lines;
}

async function memberLine(
  clients: AwsClients,
  accountId: string,
  me: CallerAccount,
  options: AwsDoctorOptions,
): Promise<DoctorCheck> {
  const org = options.config.organization!;
  const name = `member ${accountId}`;
  const roleArn = `arn:${me.partition}:iam::${accountId}:role/${org.roleName}`;
  const entered = await tryCall(() =>
    assumeAccountClients(
      clients,
      accountId,
      { roleName: org.roleName, externalId: org.externalId, partition: me.partition, sessionName: 'mfa-bot-doctor' },
      { ...options.aws, warn: () => {} },
    ),
  );
  if (entered.kind !== 'answered') {
    const detail = entered.kind === 'permitted' ? entered.code : why(entered);
    return fail(
      'aws',
      name,
      `sts:AssumeRole into ${roleArn} failed: ${detail}`,
      `deploy the audit role (policy/audit-role.cfn.yml) in ${accountId}, trusting ${me.arn}` +
        `${org.externalId ? ' with organization.externalId' : ''}; ` +
        'the bot needs sts:AssumeRole on it (policy/mfa-bot-org.json)',
    );
  }
  const { probes } = await probeIamReads(entered.value.iam);
  const refused = probes.filter((p) => p.outcome.kind === 'denied' || p.outcome.kind === 'broken');
  if (refused.length > 0)
    return fail(
      'aws',
      name,
      `entered ${org.roleName}, but ${refused.map((p) => `iam:${p.action} (${codeOf(p.outcome)})`).join(', ')} failed`,
      `give ${roleArn} the permissions of policy/audit-role.cfn.yml`,
    );
  return ok('aws', name, `entered ${org.roleName}; the ${probes.length} IAM reads are permitted`);
}

async function securityHubLines(
  config: Config,
  clientRegion: string,
  me: CallerAccount,
  aws: AwsOptions,
): Promise<DoctorCheck[]> {
  const region = config.securityHub?.region ?? clientRegion;
  const hub = new SecurityHubClient(clientConfig({ ...aws, region, warn: () => {} }));
  const lines: DoctorCheck[] = [];
  const described = await tryCall(() => hub.send(new DescribeHubCommand({})));
  const enable =
    `enable Security Hub in ${region} (aws securityhub enable-security-hub ` +
    `--region ${region}), or set securityHub.region`;
  if (described.kind === 'permitted' && described.code === 'InvalidAccessException')
    lines.push(
      fail(
        'aws',
        'securityhub:DescribeHub',
        `Security Hub is not enabled in ${region} for account ${me.accountId}`,
        enable,
      ),
    );
  else
    lines.push(
      doctorOnly('securityhub:DescribeHub', described, `Security Hub is enabled in ${region}`) ??
        fail(
          'aws',
          'securityhub:DescribeHub',
          `failed in ${region}: ${'code' in described ? described.code : ''}`,
          enable,
        ),
    );
  const productArn = `arn:${me.partition}:securityhub:${region}:${me.accountId}:product/${me.accountId}/default`;
  const read = await tryCall(() =>
    hub.send(
      new GetFindingsCommand({ Filters: { ProductArn: [{ Value: productArn, Comparison: 'EQUALS' }] }, MaxResults: 1 }),
    ),
  );
  if (read.kind === 'permitted' && read.code === 'InvalidAccessException')
    lines.push(
      fail(
        'aws',
        'securityhub:GetFindings',
        `Security Hub is not enabled in ${region} for account ${me.accountId}`,
        enable,
      ),
    );
  else if (read.kind === 'denied' || read.kind === 'broken')
    lines.push(
      fail(
        'aws',
        'securityhub:GetFindings',
        `failed in ${region} (${read.code}); the export reads its own findings back`,
        `attach policy/mfa-bot-securityhub.json to ${me.arn}`,
      ),
    );
  else
    lines.push(
      ok('aws', 'securityhub:GetFindings', 'permitted; BatchImportFindings is not tried (it writes findings)'),
    );
  return lines;
}

async function eventBusLine(busName: string, me: CallerAccount, aws: AwsOptions): Promise<DoctorCheck> {
  const events = new EventBridgeClient(clientConfig({ ...aws, warn: () => {} }));
  const described = await tryCall(() => events.send(new DescribeEventBusCommand({ Name: busName })));
  const name = 'events:DescribeEventBus';
  if (described.kind === 'permitted' && described.code === 'ResourceNotFoundException')
    return fail(
      'aws',
      name,
      `events.busName: the bus ${busName} does not exist for account ${me.accountId}`,
      `create it, or fix events.busName`,
    );
  return (
    doctorOnly(name, described, `the bus ${busName} exists; PutEvents is not tried (it publishes)`) ??
    fail(
      'aws',
      name,
      `failed for ${busName}: ${'code' in described ? described.code : ''}`,
      'check the network and the bus name',
    )
  );
}
