import {
  GetAccountSummaryCommand,
  ListAccountAliasesCommand,
  paginateListMFADevices,
  paginateListVirtualMFADevices,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { partitionOfArn } from '../domain/mfa-device.js';
import {
  ROOT_PRINCIPAL,
  type AccountSnapshot,
  type CheckSettings,
  type Partition,
  type RootAccountSummary,
  type VirtualMfaDevice,
} from '../domain/types.js';
import { allSettledOrThrow, mapLimit } from '../util/map-limit.js';
import { fetchCredentialReport, type ReportPolling } from './credential-report.js';
import { describeAwsError } from './errors.js';

export interface CallerAccount {
  accountId: string;
  partition: Partition;
  arn: string;
}

export async function callerAccount(sts: STSClient): Promise<CallerAccount> {
  const id = await sts.send(new GetCallerIdentityCommand({}));
  const arn = id.Arn ?? '';
  return { accountId: id.Account ?? '', partition: partitionOfArn(arn) ?? 'aws', arn };
}

export async function fetchRootSummary(iam: IAMClient): Promise<RootAccountSummary> {
  const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));
  const map: Record<string, number | undefined> = SummaryMap ?? {};
  const flag = (key: string) => (map[key] === undefined ? undefined : map[key] > 0);
  return {
    mfaEnabled: flag('AccountMFAEnabled') ?? false,
    passwordPresent: flag('AccountPasswordPresent'),
    accessKeysPresent: flag('AccountAccessKeysPresent'),
    signingCertificatesPresent: flag('AccountSigningCertificatesPresent'),
  };
}

export async function fetchAssignedVirtualMfaDevices(iam: IAMClient): Promise<VirtualMfaDevice[]> {
  const devices: VirtualMfaDevice[] = [];
  for await (const page of paginateListVirtualMFADevices(
    { client: iam, pageSize: 1000 },
    { AssignmentStatus: 'Assigned' },
  )) {
    for (const d of page.VirtualMFADevices ?? []) {
      devices.push({ serialNumber: d.SerialNumber ?? '', ...(d.User?.Arn ? { userArn: d.User.Arn } : {}) });
    }
  }
  return devices;
}

export async function fetchAccountAlias(iam: IAMClient): Promise<string | undefined> {
  const { AccountAliases } = await iam.send(new ListAccountAliasesCommand({}));
  return AccountAliases?.[0];
}

export async function fetchUserMfaSerials(iam: IAMClient, userName: string): Promise<string[]> {
  const serials: string[] = [];
  for await (const page of paginateListMFADevices({ client: iam }, { UserName: userName })) {
    for (const d of page.MFADevices ?? []) if (d.SerialNumber) serials.push(d.SerialNumber);
  }
  return serials;
}

export interface SnapshotOptions {
  settings: CheckSettings;
  polling?: Partial<ReportPolling>;
  /** Parallel ListMFADevices calls for the opt-in hardware check. */
  concurrency?: number;
}

/**
 * One account, a constant number of IAM calls: the credential report answers the console-MFA question
 * for every user at once; only the opt-in user-hardware-mfa check lists devices per user.
 */
export async function collectAccountSnapshot(
  iam: IAMClient,
  account: { accountId: string; partition: Partition },
  options: SnapshotOptions,
): Promise<AccountSnapshot> {
  const [credentialReport, summary, virtualMfaDevices, alias] = await allSettledOrThrow([
    fetchCredentialReport(iam, options.polling),
    // The summary feeds only the root checks, and the alias only labels the account: neither failing
    // may cost the user verdicts of the credential report.
    fetchRootSummary(iam).catch((err: unknown) => ({ failed: describeAwsError(err) })),
    fetchAssignedVirtualMfaDevices(iam),
    fetchAccountAlias(iam).catch(() => undefined),
  ]);
  const snapshot: AccountSnapshot = {
    ...account,
    ...(alias ? { alias } : {}),
    credentialReport: {
      generatedAt: credentialReport.generatedAt,
      rows: credentialReport.rows,
      ...(credentialReport.unreadableRows ? { unreadableRows: credentialReport.unreadableRows } : {}),
    },
    ...('failed' in summary ? { summaryError: summary.failed } : { summary }),
    virtualMfaDevices,
  };
  if (options.settings.userHardwareMfa) {
    const users = credentialReport.rows
      .filter((r) => r.user !== ROOT_PRINCIPAL && r.passwordEnabled === true && r.mfaActive)
      .map((r) => r.user);
    const serials = await mapLimit(users, options.concurrency ?? 4, (u) => fetchUserMfaSerials(iam, u));
    snapshot.userMfaDevices = Object.fromEntries(users.map((u, i) => [u, serials[i]!]));
  }
  return snapshot;
}
