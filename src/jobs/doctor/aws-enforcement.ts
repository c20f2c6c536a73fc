import { GetPolicyCommand, ListAttachedUserPoliciesCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { CallerAccount } from '../../aws/account-snapshot.js';
import { requireMfaPolicyArn } from '../../aws/user-policy.js';
import { codeOf, DOCTOR_POLICY, tryCall } from './aws-access.js';
import { fail, ok, skip, type DoctorCheck } from './check.js';

/** Where the enforcement lines look: the bot's own account, or a member entered through the audit role. */
export interface EnforcementTarget {
  iam: IAMClient;
  accountId: string;
  partition: CallerAccount['partition'];
  /** A user of that account (from the credential report) for ListAttachedUserPolicies, or a name no user has. */
  sampleUser: string;
  /** What grants the enforcement actions there, for the fix lines. */
  grant: string;
}

/**
 * enforcement.enabled: the require-MFA policy exists (iam:GetPolicy, a read only doctor makes) and
 * ListAttachedUserPolicies is permitted. AttachUserPolicy and DetachUserPolicy write, so they are not tried.
 */
export async function enforcementLines(target: EnforcementTarget, policyName: string): Promise<DoctorCheck[]> {
  const { iam, accountId } = target;
  const arn = requireMfaPolicyArn({ accountId, partition: target.partition, policyName });
  const lines: DoctorCheck[] = [];
  const policy = await tryCall(() => iam.send(new GetPolicyCommand({ PolicyArn: arn })));
  const policyLine = `enforcement policy in ${accountId}`;
  if (policy.kind === 'answered') lines.push(ok('aws', policyLine, `${arn} exists`));
  else if (policy.kind === 'permitted' && /^NoSuchEntity/.test(policy.code))
    lines.push(
      fail(
        'aws',
        policyLine,
        `${arn} does not exist: every enforcement in ${accountId} would fail`,
        `create it in ${accountId}: aws iam create-policy --policy-name ${policyName} ` +
          '--policy-document file://policy/require-mfa.json (or deploy policy/audit-role.cfn.yml with ' +
          'EnableEnforcement=true), or fix enforcement.policyName',
      ),
    );
  else
    lines.push(
      skip(
        'aws',
        policyLine,
        `iam:GetPolicy not permitted (${codeOf(policy)}); mfa-bot itself never calls it, so whether ${arn} ` +
          `exists was not checked (${DOCTOR_POLICY} allows it in the bot's account)`,
      ),
    );
  const listed = await tryCall(() =>
    iam.send(new ListAttachedUserPoliciesCommand({ UserName: target.sampleUser, MaxItems: 1 })),
  );
  const listName = `iam:ListAttachedUserPolicies in ${accountId}`;
  const notTried = 'AttachUserPolicy and DetachUserPolicy are not tried (they write)';
  if (listed.kind === 'denied' || listed.kind === 'broken')
    lines.push(
      fail(
        'aws',
        listName,
        `failed (${codeOf(listed)}): enforcement cannot read whom the policy is attached to; ${notTried}`,
        target.grant,
      ),
    );
  else lines.push(ok('aws', listName, `permitted; ${notTried}`));
  return lines;
}
