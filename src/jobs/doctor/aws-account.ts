import {
  GenerateCredentialReportCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListUserTagsCommand,
  ListVirtualMFADevicesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { parseCredentialReportCsv } from '../../aws/credential-report-csv.js';
import { ROOT_PRINCIPAL } from '../../domain/types.js';
import { tryCall, type CallOutcome } from './aws-access.js';

/** What each IAM action is for, as the code uses it (src/aws, src/jobs); all of them are in mfa-bot-readonly.json. */
export const IAM_READS = {
  GenerateCredentialReport: 'every scan asks for the credential report (it creates a report, not data)',
  GetCredentialReport: 'every scan reads the credential report',
  GetAccountSummary: "the root checks (root's password, keys and MFA)",
  ListVirtualMFADevices: "root-hardware-mfa (whether root's device is a phone app)",
  ListAccountAliases: 'the account alias in reports and sign-in links',
  ListMFADevices: 'user-hardware-mfa and the live re-check of a user',
  ListUserTags: 'finding the Slack account of each person to nudge',
  GetUser: 'the live re-check of a user (/mfa-check --fresh, the buttons)',
  GetLoginProfile: 'the live re-check of a user',
} as const;

export type IamRead = keyof typeof IAM_READS;

/** Made with a user that does not exist when the account has none: AWS checks the permission before the name. */
const PROBE_USER = 'mfa-bot-doctor-probe';

export interface IamProbe {
  action: IamRead;
  outcome: CallOutcome<unknown>;
}

/**
 * Makes each IAM read the bot needs once, for real, in the account of these clients. Nothing is written: the
 * per-user reads go to one user from the credential report (or a name that does not exist).
 */
export async function probeIamReads(iam: IAMClient): Promise<{ probes: IamProbe[]; sampleUser: string }> {
  const probes: IamProbe[] = [];
  const probe = async <T>(action: IamRead, call: () => Promise<T>): Promise<CallOutcome<T>> => {
    const outcome = await tryCall(call);
    probes.push({ action, outcome });
    return outcome;
  };
  await probe('GenerateCredentialReport', () => iam.send(new GenerateCredentialReportCommand({})));
  const report = await probe('GetCredentialReport', () => iam.send(new GetCredentialReportCommand({})));
  await probe('GetAccountSummary', () => iam.send(new GetAccountSummaryCommand({})));
  await probe('ListVirtualMFADevices', () => iam.send(new ListVirtualMFADevicesCommand({ MaxItems: 1 })));
  await probe('ListAccountAliases', () => iam.send(new ListAccountAliasesCommand({})));
  const sampleUser = report.kind === 'answered' ? firstUser(report.value.Content) : PROBE_USER;
  await probe('ListMFADevices', () => iam.send(new ListMFADevicesCommand({ UserName: sampleUser })));
  await probe('ListUserTags', () => iam.send(new ListUserTagsCommand({ UserName: sampleUser, MaxItems: 1 })));
  await probe('GetUser', () => iam.send(new GetUserCommand({ UserName: sampleUser })));
  await probe('GetLoginProfile', () => iam.send(new GetLoginProfileCommand({ UserName: sampleUser })));
  return { probes, sampleUser };
}

/** A console user if there is one (the users the bot reads per user), else any IAM user, else the probe name. */
function firstUser(content: Uint8Array | undefined): string {
  let rows: ReturnType<typeof parseCredentialReportCsv>['rows'];
  try {
    ({ rows } = parseCredentialReportCsv(Buffer.from(content ?? new Uint8Array()).toString('utf8')));
  } catch {
    return PROBE_USER;
  }
  const users = rows.filter((r) => r.user !== ROOT_PRINCIPAL);
  return (users.find((r) => r.passwordEnabled === true) ?? users[0])?.user ?? PROBE_USER;
}
