import { DescribeEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DescribeHubCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { CallerAccount } from '../../aws/account-snapshot.js';
import { clientConfig, type AwsOptions } from '../../aws/clients.js';
import type { Config } from '../../config/schema.js';
import { codeOf, doctorOnly, tryCall, type CallOutcome } from './aws-access.js';
import { fail, ok, type DoctorCheck } from './check.js';

/** DescribeHub (is Security Hub on in its region?) and GetFindings, which the export needs; nothing is imported. */
export async function securityHubLines(
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
  // Security Hub answers InvalidAccessException to an account that has not enabled it.
  const hubOff = (o: CallOutcome<unknown>) => o.kind === 'permitted' && o.code === 'InvalidAccessException';
  const off = (name: string) =>
    fail('aws', name, `Security Hub is not enabled in ${region} for account ${me.accountId}`, enable);
  const describeName = 'securityhub:DescribeHub';
  lines.push(
    hubOff(described)
      ? off(describeName)
      : (doctorOnly(describeName, described, `Security Hub is enabled in ${region}`) ??
          fail('aws', describeName, `failed in ${region}: ${codeOf(described)}`, enable)),
  );
  const productArn = `arn:${me.partition}:securityhub:${region}:${me.accountId}:product/${me.accountId}/default`;
  const read = await tryCall(() =>
    hub.send(
      new GetFindingsCommand({ Filters: { ProductArn: [{ Value: productArn, Comparison: 'EQUALS' }] }, MaxResults: 1 }),
    ),
  );
  const readName = 'securityhub:GetFindings';
  if (hubOff(read)) lines.push(off(readName));
  else if (read.kind === 'denied' || read.kind === 'broken')
    lines.push(
      fail(
        'aws',
        readName,
        `failed in ${region} (${read.code}); the export reads its own findings back`,
        `attach policy/mfa-bot-securityhub.json to ${me.arn}`,
      ),
    );
  else lines.push(ok('aws', readName, 'permitted; BatchImportFindings is not tried (it writes findings)'));
  return lines;
}

/** DescribeEventBus: the bus exists; nothing is published. */
export async function eventBusLine(busName: string, me: CallerAccount, aws: AwsOptions): Promise<DoctorCheck> {
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
    fail('aws', name, `failed for ${busName}: ${codeOf(described)}`, 'check the network and the bus name')
  );
}
