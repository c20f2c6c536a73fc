import type { BotDeps } from '../bot/deps.js';
import { createOrganizationsClient } from '../aws/organization.js';
import { readRootAccess } from '../aws/root-features.js';
import { deleteMemberRootCredentials } from '../jobs/root-delete.js';
import type { LambdaRuntime } from './runtime.js';

/**
 * "Delete root credentials" on Lambda, with an `organization` section: the slack function reads the root access
 * for `/mfa-check root` and opens the modal; the worker deletes, with the container's (management account) clients.
 */
export function lambdaRootAccess(runtime: LambdaRuntime): Pick<BotDeps, 'rootCredentials' | 'rootAccess'> {
  const { aws, config, store, now, awsOptions = {} } = runtime;
  if (!config.organization) return {};
  const org = createOrganizationsClient(awsOptions);
  return {
    rootCredentials: (accountId, approver) =>
      deleteMemberRootCredentials({ aws, org, config, awsOptions, now, store }, accountId, approver),
    rootAccess: () => readRootAccess(aws.iam, org),
  };
}
