import type { AwsClients } from '../aws/clients.js';
import { fetchUserTags } from '../aws/user-tags.js';
import type { Config } from '../config/schema.js';
import type { ScanResult } from '../domain/types.js';
import type { SlackApi } from '../slack/api.js';
import { deliver, type DeliveryOutcome, type DmOutcome } from '../slack/deliver.js';
import { SlackDirectory } from '../slack/directory.js';
import { slackErrorCode, slackErrorHint } from '../slack/errors.js';
import { resolveIdentities, type IamPerson } from '../slack/identity.js';
import { nudgeTargets, planDelivery, type DeliveryPlan } from './plan-delivery.js';
import { scanCurrentAccount, type ScanOptions } from './scan.js';

export class DeliveryError extends Error {
  override name = 'DeliveryError';
}

export interface CycleDeps {
  aws: AwsClients;
  /** Absent only in a dry run without SLACK_BOT_TOKEN: then e-mail mappings cannot be checked. */
  slack?: SlackApi;
  config: Config;
  now: () => Date;
  scan?: Omit<ScanOptions, 'now'>;
  onDm?: (outcome: DmOutcome, done: number, total: number) => void;
}

export interface CycleResult {
  scan: ScanResult;
  plan: DeliveryPlan;
  /** Absent in a dry run. */
  outcome?: DeliveryOutcome;
  tagErrors: Array<{ accountId: string; userName: string; code: string }>;
}

async function checkToken(slack: SlackApi): Promise<void> {
  try {
    await slack.authTest();
  } catch (err) {
    const code = slackErrorCode(err);
    const hint = slackErrorHint(code);
    throw new DeliveryError(`Slack rejected the bot token: ${code}${hint ? ` (${hint})` : ''}`);
  }
}

/** One cycle: scan, map people to Slack, build the digest and DMs, and (unless dry) send them. */
export async function runCycle(deps: CycleDeps, options: { dryRun: boolean }): Promise<CycleResult> {
  const { config, slack } = deps;
  if (!options.dryRun) {
    if (!slack) throw new DeliveryError('SLACK_BOT_TOKEN is not set: put it in the environment or .env, or use --dry-run to preview');
    if (!config.slack.digestChannel) throw new DeliveryError('slack.digestChannel is not set in the config file');
    await checkToken(slack);
  }

  const scan = await scanCurrentAccount(deps.aws, config, { ...deps.scan, now: deps.now });
  const targets = nudgeTargets(scan);
  const { tags, errors } = await fetchUserTags(deps.aws.iam, targets.map((t) => t.verdict.principal));
  const people: IamPerson[] = targets.map(({ account, verdict }) => ({ accountId: account.accountId, userName: verdict.principal, tags: tags.get(verdict.principal) ?? {} }));

  let directory: SlackDirectory | undefined;
  if (slack && people.length > 0) {
    directory = new SlackDirectory(slack);
    try {
      await directory.load();
    } catch (err) {
      const code = slackErrorCode(err);
      throw new DeliveryError(`cannot read the Slack member list: ${code}${slackErrorHint(code) ? ` (${slackErrorHint(code)})` : ''}`);
    }
  }
  const resolution = await resolveIdentities(people, config.identity, directory);
  const plan = planDelivery(scan, resolution, config, deps.now());
  const tagErrors = [...errors].map(([userName, code]) => ({ accountId: scan.accounts[0]?.accountId ?? 'unknown', userName, code }));
  if (options.dryRun || !slack) return { scan, plan, tagErrors };

  const outcome = await deliver(plan, slack, { onDm: deps.onDm });
  return { scan, plan, outcome, tagErrors };
}
