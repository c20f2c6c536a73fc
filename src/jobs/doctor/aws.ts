import { callerAccount } from '../../aws/account-snapshot.js';
import { openAwsClients, resolveRegion, type AwsClients, type AwsOptions } from '../../aws/clients.js';
import { AwsSetupError } from '../../aws/setup.js';
import type { Config } from '../../config/schema.js';
import { tryCall, why } from './aws-access.js';
import { IAM_READS, probeIamReads } from './aws-account.js';
import { enforcementLines } from './aws-enforcement.js';
import { eventBusLine, securityHubLines } from './aws-features.js';
import { organizationLines, type AccountSample } from './aws-organization.js';
import { fail, ok, skip, type DoctorCheck } from './check.js';

export type { AccountSample } from './aws-organization.js';

export interface AwsDoctorOptions {
  config: Config;
  aws: AwsOptions;
  accounts?: AccountSample;
}

const READONLY = 'policy/mfa-bot-readonly.json';

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
  const own = await probeIamReads(clients.iam);
  lines.push(...iamLines(own, me.arn, `account ${me.accountId}`, READONLY));
  if (config.enforcement.enabled) {
    const grant = `attach policy/mfa-bot-enforce.json to ${me.arn}`;
    const target = { iam: clients.iam, ...me, sampleUser: own.sampleUser, grant };
    lines.push(...(await enforcementLines(target, config.enforcement.policyName)));
  }
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
