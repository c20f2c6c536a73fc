import {
  AttachUserPolicyCommand,
  DetachUserPolicyCommand,
  paginateListAttachedUserPolicies,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { Partition } from '../domain/types.js';

/** The require-MFA policy in one account: `arn:<partition>:iam::<account>:policy/<enforcement.policyName>`. */
export interface RequireMfaPolicy {
  accountId: string;
  partition: Partition;
  policyName: string;
}

export function requireMfaPolicyArn(p: RequireMfaPolicy): string {
  return `arn:${p.partition}:iam::${p.accountId}:policy/${p.policyName}`;
}

function isNoSuchEntity(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name;
  return name === 'NoSuchEntityException' || name === 'NoSuchEntity';
}

/**
 * Attaching, detaching and reading the require-MFA policy on one IAM user, through the IAM client of the user's
 * account (the bot's own, or the audit role's for a member). mfa-bot never creates or edits the policy.
 */
export class UserPolicyAttachment {
  readonly policyArn: string;

  constructor(
    private readonly iam: IAMClient,
    policy: RequireMfaPolicy,
  ) {
    this.policyArn = requireMfaPolicyArn(policy);
  }

  /** AttachUserPolicy; attaching a policy that is already attached changes nothing (AWS answers success). */
  async attach(userName: string): Promise<void> {
    await this.iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: this.policyArn }));
  }

  /** DetachUserPolicy; false when it was not attached (or the user is gone), which is the wanted end state. */
  async detach(userName: string): Promise<boolean> {
    try {
      await this.iam.send(new DetachUserPolicyCommand({ UserName: userName, PolicyArn: this.policyArn }));
      return true;
    } catch (err) {
      if (isNoSuchEntity(err)) return false;
      throw err;
    }
  }

  /** ListAttachedUserPolicies, every page. */
  async isAttached(userName: string): Promise<boolean> {
    for await (const page of paginateListAttachedUserPolicies({ client: this.iam }, { UserName: userName })) {
      if ((page.AttachedPolicies ?? []).some((p) => p.PolicyArn === this.policyArn)) return true;
    }
    return false;
  }
}
