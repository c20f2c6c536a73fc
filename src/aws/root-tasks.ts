// Calls made as a member account's root user, in a session from rootSession: the AWS managed root-task policy
// decides what they may do, not mfa-bot's own policies.
import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteSigningCertificateCommand,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListSigningCertificatesCommand,
} from '@aws-sdk/client-iam';
import { classifyMfaSerial } from '../domain/mfa-device.js';
import type { DeletedRootCredentials } from '../domain/root-access.js';
import type { MfaDeviceKind } from '../domain/types.js';
import type { AwsClients, AwsOptions } from './clients.js';
import { rootSession, type MemberRoot } from './root-credentials.js';

const isNoSuchEntity = (err: unknown) => (err as { name?: string }).name?.startsWith('NoSuchEntity') ?? false;

/**
 * Deletes a member root's password, access keys and signing certificates and deactivates its MFA devices, in a root
 * session scoped to IAMDeleteRootUserCredentials. What was already gone is skipped, so a second run finishes the job.
 */
export async function deleteRootCredentials(
  base: AwsClients,
  member: MemberRoot,
  aws: AwsOptions = {},
): Promise<DeletedRootCredentials> {
  const root = await rootSession(base, member, 'delete', aws);
  const deleted: DeletedRootCredentials = { password: false, accessKeys: 0, signingCertificates: 0, mfaDevices: 0 };
  // Without UserName, each call is about the caller: in a root session, the root user.
  try {
    await root.send(new DeleteLoginProfileCommand({}));
    deleted.password = true;
  } catch (err) {
    if (!isNoSuchEntity(err)) throw err;
  }
  for (const key of (await root.send(new ListAccessKeysCommand({}))).AccessKeyMetadata ?? []) {
    await root.send(new DeleteAccessKeyCommand({ AccessKeyId: key.AccessKeyId! }));
    deleted.accessKeys++;
  }
  for (const cert of (await root.send(new ListSigningCertificatesCommand({}))).Certificates ?? []) {
    await root.send(new DeleteSigningCertificateCommand({ CertificateId: cert.CertificateId }));
    deleted.signingCertificates++;
  }
  for (const device of (await root.send(new ListMFADevicesCommand({}))).MFADevices ?? []) {
    await root.send(new DeactivateMFADeviceCommand({ SerialNumber: device.SerialNumber }));
    deleted.mfaDevices++;
  }
  return deleted;
}

/** The kinds of a member root's MFA devices, as IAM lists them (root session scoped to IAMAuditRootUserCredentials). */
export async function auditRootMfa(
  base: AwsClients,
  member: MemberRoot,
  aws: AwsOptions = {},
): Promise<MfaDeviceKind[]> {
  const root = await rootSession(base, member, 'audit', aws);
  const { MFADevices = [] } = await root.send(new ListMFADevicesCommand({}));
  return MFADevices.map((d) => classifyMfaSerial(d.SerialNumber ?? ''));
}
