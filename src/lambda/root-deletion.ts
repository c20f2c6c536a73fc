import type { BotDeps } from '../bot/deps.js';
import { createOrganizationsClient } from '../aws/organization.js';
import { deleteMemberRootCredentials } from '../jobs/root-delete.js';
import type { LambdaRuntime } from './runtime.js';

/**
 * "Delete root credentials" on Lambda, with an `organization` section: the slack function opens the modal and
 * hands the submission to the worker, which deletes with the container's (management account) clients.
 */
export function lambdaRootCredentials(runtime: LambdaRuntime): Pick<BotDeps, 'rootCredentials'> {
  const { aws, config, store, now, awsOptions = {} } = runtime;
  if (!config.organization) return {};
  const org = createOrganizationsClient(awsOptions);
  return {
    rootCredentials: (accountId, approver) =>
      deleteMemberRootCredentials({ aws, org, config, awsOptions, now, store }, accountId, approver),
  };
}
