import { ListOrganizationsFeaturesCommand, type IAMClient } from '@aws-sdk/client-iam';
import { DescribeOrganizationCommand, type OrganizationsClient } from '@aws-sdk/client-organizations';
import type { OrgRootAccess } from '../domain/types.js';
import { describeAwsError } from './errors.js';

/** Where centralized root access cannot be read, what to do about it. */
const HINTS: Record<string, string> = {
  AccountNotManagementOrDelegatedAdministrator:
    'run mfa-bot in the management account or the delegated administrator account for IAM',
  OrganizationNotFound: 'the account is in no AWS Organization',
  OrganizationNotInAllFeaturesMode: 'enable all features in AWS Organizations',
  ServiceAccessNotEnabled: 'enable trusted access for IAM in AWS Organizations (IAM → Root access management)',
  AccessDenied: 'attach policy/mfa-bot-root.json to the role mfa-bot runs as',
  AccessDeniedException: 'attach policy/mfa-bot-root.json to the role mfa-bot runs as',
};

/**
 * The organization's centralized root access features (iam:ListOrganizationsFeatures) and its management account
 * (organizations:DescribeOrganization), from the management or IAM's delegated administrator account. Never throws:
 * what could not be read is in `error`, with a hint.
 */
export async function readRootAccess(iam: IAMClient, org: OrganizationsClient): Promise<OrgRootAccess> {
  try {
    const [features, described] = await Promise.all([
      iam.send(new ListOrganizationsFeaturesCommand({})),
      org.send(new DescribeOrganizationCommand({})),
    ]);
    const enabled = new Set<string>(features.EnabledFeatures ?? []);
    const managementAccountId = described.Organization?.MasterAccountId;
    return {
      ...(features.OrganizationId ? { organizationId: features.OrganizationId } : {}),
      ...(managementAccountId ? { managementAccountId } : {}),
      credentialsManagement: enabled.has('RootCredentialsManagement'),
      rootSessions: enabled.has('RootSessions'),
    };
  } catch (err) {
    const error = describeAwsError(err);
    const hint = HINTS[error.code];
    return { credentialsManagement: false, rootSessions: false, error: hint ? { ...error, hint } : error };
  }
}
