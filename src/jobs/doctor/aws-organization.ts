import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { CallerAccount } from '../../aws/account-snapshot.js';
import type { AwsClients, AwsOptions } from '../../aws/clients.js';
import {
  accountsUnderOu,
  assumeAccountClients,
  createOrganizationsClient,
  fetchAccountTags,
  listOrganizationAccounts,
} from '../../aws/organization.js';
import type { Config } from '../../config/schema.js';
import { mapLimit } from '../../util/map-limit.js';
import { inOrganizationScope } from '../org-scan.js';
import { codeOf, tryCall, why } from './aws-access.js';
import { probeIamReads } from './aws-account.js';
import { enforcementLines } from './aws-enforcement.js';
import { fail, ok, skip, type DoctorCheck } from './check.js';

/** `--accounts`: the first N member accounts, or these account IDs. */
export type AccountSample = { count: number } | { ids: string[] };

export interface OrganizationDoctorOptions {
  config: Config;
  aws: AwsOptions;
  accounts?: AccountSample;
}

/** The member accounts to try: every account a scan would enter, or the sample `--accounts` asks for. */
function sampleOf(ids: string[], sample: AccountSample | undefined): string[] {
  if (!sample) return ids;
  if ('count' in sample) return ids.slice(0, sample.count);
  return sample.ids;
}

/** ListAccounts (and the owner tags, the routes' OUs), then every member in the sample, entered as a scan enters it. */
export async function organizationLines(
  clients: AwsClients,
  me: CallerAccount,
  options: OrganizationDoctorOptions,
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
  lines.push(...results.flat());
  return lines;
}

async function memberLine(
  clients: AwsClients,
  accountId: string,
  me: CallerAccount,
  options: OrganizationDoctorOptions,
): Promise<DoctorCheck[]> {
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
    return [
      fail(
        'aws',
        name,
        `sts:AssumeRole into ${roleArn} failed: ${detail}`,
        `deploy the audit role (policy/audit-role.cfn.yml) in ${accountId}, trusting ${me.arn}` +
          `${org.externalId ? ' with organization.externalId' : ''}; ` +
          'the bot needs sts:AssumeRole on it (policy/mfa-bot-org.json)',
      ),
    ];
  }
  const { probes, sampleUser } = await probeIamReads(entered.value.iam);
  const refused = probes.filter((p) => p.outcome.kind === 'denied' || p.outcome.kind === 'broken');
  const failed = refused.map((p) => `iam:${p.action} (${codeOf(p.outcome)})`).join(', ');
  const reads =
    refused.length > 0
      ? fail(
          'aws',
          name,
          `entered ${org.roleName}, but ${failed} failed`,
          `give ${roleArn} the permissions of policy/audit-role.cfn.yml`,
        )
      : ok('aws', name, `entered ${org.roleName}; the ${probes.length} IAM reads are permitted`);
  if (!options.config.enforcement.enabled) return [reads];
  const grant =
    `deploy policy/audit-role.cfn.yml in ${accountId} with EnableEnforcement=true ` +
    '(the rights of policy/mfa-bot-enforce.json)';
  const target = { iam: entered.value.iam, accountId, partition: me.partition, sampleUser, grant };
  return [reads, ...(await enforcementLines(target, options.config.enforcement.policyName))];
}
