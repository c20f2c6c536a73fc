import { readFileSync } from 'node:fs';
import { runSimulation, type SimulationIdentityPolicy } from '@cloud-copilot/iam-simulate';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface SimulatedRequest {
  principal: string;
  action: string;
  resource: string;
  accountId?: string;
  context?: Record<string, string | string[]>;
}

/** A policy file of this repository, as an identity policy for the simulator. */
export function shippedPolicy(path: string): SimulationIdentityPolicy {
  return { name: path, policy: JSON.parse(readFileSync(path, 'utf8')) };
}

/**
 * What AWS would decide for one request under these identity policies, evaluated by a real IAM policy evaluator.
 * A request the evaluator rejects (an unknown action, a resource the action does not take, an invalid policy) throws,
 * so a typo cannot pass as "denied".
 */
export async function decide(identityPolicies: SimulationIdentityPolicy[], request: SimulatedRequest) {
  const result = await runSimulation(
    {
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.accountId ?? accountOf(request.principal) },
        contextVariables: request.context ?? {},
      },
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`${request.action}: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}

function accountOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}
