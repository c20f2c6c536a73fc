import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AwsClients } from '../aws/clients.js';
import { createEventsClient, publishFindingChanges, type PublishResult } from '../aws/findings-events.js';
import type { Config } from '../config/schema.js';
import { findingChanges } from '../domain/finding-change.js';
import { diffScans } from '../domain/scan-diff.js';
import { scanFingerprint } from '../domain/scan-fingerprint.js';
import { summaryOf, trendsOf } from '../domain/trend.js';
import type { ScanResult } from '../domain/types.js';
import type { SlackApi } from '../slack/api.js';
import { deliver, type DeliveryOutcome, type MessageOutcome } from './deliver.js';
import { SlackHistoryProbe, type DeliveryProbe } from './delivery-probe.js';
import { slackErrorCode, slackErrorHint, unreachableReason } from '../slack/errors.js';
import type { DeliveryRecord, ScanRef, StateStore } from '../store/store.js';
import { DeliveryError } from './delivery-error.js';
import { planDigestChart, type ChartRendering } from './digest-chart.js';
import { exportToSecurityHub, type SecurityHubExport } from './export-findings.js';
import { mapPeople } from './map-people.js';
import { deliverOptions, enforceAfterDelivery, nudgeWork } from './nudge-pass.js';
import { withStoreExemptions } from './granted-exemptions.js';
import { enforcementStanding } from '../domain/enforcement/steps.js';
import type { PolicyOutcome } from './enforce.js';
import { callerAccount } from '../aws/account-snapshot.js';
import { digestRoutes, planDigest, planRoutedDigests, type DeliveryPlan } from './plan-delivery.js';
import type { RecoveredClaim } from './recover-claims.js';
import { scanConfigured, type ScanRun } from './scan-all.js';
import type { ScanOptions } from './scan.js';

export { DeliveryError } from './delivery-error.js';

/** How many scans the digest's trend looks back over. */
export const TREND_SCANS = 14;

export interface CycleDeps {
  aws: AwsClients;
  /** Absent only in a dry run without SLACK_BOT_TOKEN: then e-mail mappings cannot be checked. */
  slack?: SlackApi;
  config: Config;
  /**
   * The state. A dry run only reads it (openStateStore mode 'snapshot': a throwaway copy of a SQLite file, a read-only
   * table).
   */
  store: StateStore;
  now: () => Date;
  scan?: Omit<ScanOptions, 'now'>;
  /** Defaults to reading Slack history through `slack`. */
  probe?: DeliveryProbe;
  claimLeaseMs?: number;
  onMessage?: (outcome: MessageOutcome, done: number, total: number) => void;
  /** Aborted (serve's SIGTERM): no new send starts; what was not sent stays unclaimed. */
  signal?: AbortSignal;
  /** For `events.busName`; created from the AWS settings when absent. */
  events?: EventBridgeClient;
  /** For `securityHub`; created for its region when absent. */
  securityHub?: SecurityHubClient;
  /** Draws the digest's coverage chart (digest.chart); the Vega-Lite and resvg renderer when absent. */
  renderChart?: ChartRendering;
}

export interface CycleResult {
  scan: ScanResult;
  saved: ScanRef;
  plan: DeliveryPlan;
  /** Absent in a dry run. */
  outcome?: DeliveryOutcome;
  /** Finding changes published to `events.busName` (not in a dry run). */
  events?: PublishResult & { busName: string };
  /** The Security Hub import (not in a dry run; absent unless `securityHub.enabled`). */
  securityHub?: SecurityHubExport;
  recovered: RecoveredClaim[];
  /** The IAM steps of enforcement carried out (not in a dry run). */
  policy?: PolicyOutcome[];
  tagErrors: Array<{ accountId: string; userName: string; code: string }>;
}

/** The ARN mfa-bot's credentials run as (GetCallerIdentity needs no permission); none when STS cannot be asked. */
export async function selfArnsOf(aws: AwsClients): Promise<string[]> {
  const me = await callerAccount(aws.sts).catch(() => undefined);
  return me?.arn ? [me.arn] : [];
}

/** What enforcement needs from AWS: each account's IAM client, who mfa-bot is, and the events bus client. */
interface EnforcementAccess {
  iamFor: (accountId: string) => Promise<IAMClient | undefined>;
  selfArns: string[];
  events?: EventBridgeClient;
}

/** Fails fast, and says which: Slack cannot be reached at its URL, or Slack refused the token. */
async function checkToken(slack: SlackApi): Promise<void> {
  try {
    await slack.authTest();
  } catch (err) {
    const code = slackErrorCode(err);
    if ((err as { data?: { error?: string } }).data?.error === undefined) {
      throw new DeliveryError(
        `cannot reach Slack at ${slack.apiUrl}: ${unreachableReason(err)} (check the network, or SLACK_API_URL)`,
      );
    }
    const hint = slackErrorHint(code);
    throw new DeliveryError(`Slack rejected the bot token: ${code}${hint ? ` (${hint})` : ''}`);
  }
}

/**
 * One cycle: scan, map people to Slack, save the scan, then the digest (with what changed and the trend;
 * never twice for the same scan) and whatever the nudge ledger says is due; unless dry, send and record.
 */
export async function runCycle(deps: CycleDeps, options: { dryRun: boolean }): Promise<CycleResult> {
  const { slack, store } = deps;
  // Exemptions approvers granted in Slack apply like the config's.
  const config = await withStoreExemptions(deps.config, store);
  if (!options.dryRun) {
    if (!slack)
      throw new DeliveryError(
        'SLACK_BOT_TOKEN is not set: put it in the environment or .env, or use --dry-run to preview',
      );
    if (!config.slack.digestChannel) throw new DeliveryError('slack.digestChannel is not set in the config file');
    await checkToken(slack);
  }

  const run = await scanConfigured(deps.aws, config, { ...deps.scan, now: deps.now });
  const access: EnforcementAccess = {
    iamFor: async (accountId: string) => run.clientsFor(accountId)?.iam,
    // Only asked when enforcement may act: the user mfa-bot runs as is never enforced.
    selfArns: config.enforcement.enabled ? await selfArnsOf(deps.aws) : [],
    ...(config.events?.busName ? { events: deps.events ?? createEventsClient() } : {}),
  };
  const { previous, work, ...base } = await planScan({ ...deps, config }, run, options, access);
  if (options.dryRun || !slack) return base;
  const { scan, plan } = base;

  const outcome = await deliver(plan, { slack, store, now: deps.now }, deliverOptions(deps));
  const policy = await enforceAfterDelivery({ store, config, now: deps.now, slack, ...access }, work);
  const securityHub = config.securityHub?.enabled
    ? {
        securityHub: await exportToSecurityHub({
          aws: deps.aws,
          config,
          scan,
          now: deps.now(),
          store,
          ...(deps.securityHub ? { hub: deps.securityHub } : {}),
        }),
      }
    : {};
  const busName = config.events?.busName;
  if (!busName) return { ...base, outcome, policy, ...securityHub };
  const changes = findingChanges(
    previous?.scan.accounts.flatMap((a) => a.verdicts) ?? [],
    scan.accounts.flatMap((a) => a.verdicts),
  );
  const published = await publishFindingChanges(
    deps.events ?? createEventsClient(),
    busName,
    changes,
    scan.generatedAt,
  );
  return { ...base, outcome, policy, ...securityHub, events: { ...published, busName } };
}

type PlanDeps = Pick<CycleDeps, 'slack' | 'config' | 'store' | 'now' | 'probe' | 'claimLeaseMs' | 'renderChart'>;
type PlannedCycle = Pick<CycleResult, 'scan' | 'saved' | 'plan' | 'recovered' | 'tagErrors'> & {
  /** The scan before this one, for the finding changes. */
  previous?: { scan: ScanResult; scannedAt: Date };
  /** The nudge pass's work, for the enforcement steps after delivery. */
  work: Awaited<ReturnType<typeof nudgeWork>>;
};

/**
 * From a scan to what would be sent: map people to Slack, save the scan (unless dry), bring the nudge ledger up
 * to date and plan the nudges and the digests.
 */
async function planScan(
  deps: PlanDeps,
  run: ScanRun,
  options: { dryRun: boolean },
  access?: EnforcementAccess,
): Promise<PlannedCycle> {
  const { config, slack, store } = deps;
  const { scan, clientsFor, taggedOwners, ouAccounts } = run;
  const { identities, unmapped, conflicts, tagErrors } = await mapPeople(
    (id) => clientsFor(id)?.iam,
    slack,
    config,
    scan,
    { store, now: deps.now(), write: !options.dryRun },
  );

  // A dry run writes nothing: the scan is not saved, and what saving it would change is worked out in memory.
  const latestBefore = options.dryRun ? await store.latestScan() : undefined;
  const saved = options.dryRun
    ? { id: (latestBefore?.id ?? 0) + 1, scannedAt: scan.generatedAt, fingerprint: scanFingerprint(scan) }
    : await store.saveScan(scan, identities);
  if (!options.dryRun) await store.pruneScans(config.state.keepScans);
  // Nudges first: their recovery step may settle an interrupted digest post of this very scan.
  const probe = deps.probe ?? (slack ? new SlackHistoryProbe(slack) : undefined);
  const work = await nudgeWork(
    {
      store,
      config,
      now: deps.now,
      ...(probe ? { probe } : {}),
      ...(deps.claimLeaseMs !== undefined ? { claimLeaseMs: deps.claimLeaseMs } : {}),
      ...access,
    },
    { scan, identities, dryRun: options.dryRun },
  );

  const previous = options.dryRun ? latestBefore : await store.scanBefore(saved.id);
  const memory = {
    diff: diffScans(previous?.scan, scan),
    trends: trendsOf(
      options.dryRun
        ? [
            ...(await store.scanSummaries({ lastScans: TREND_SCANS - 1 })),
            ...scan.accounts.map((a) => summaryOf(a, saved)),
          ]
        : await store.scanSummaries({ lastScans: TREND_SCANS }),
      TREND_SCANS,
    ),
    identities: options.dryRun
      ? new Map([...(await store.knownIdentities()), ...identities])
      : await store.knownIdentities(),
  };
  const channel = config.slack.digestChannel;
  const posted = channel
    ? await store.delivery({ type: 'digest', channel, fingerprint: saved.fingerprint })
    : undefined;
  const alreadyPosted = posted && posted.state !== 'failed' ? posted : undefined;
  const chart =
    channel && !alreadyPosted
      ? await planDigestChart(config, store, {
          channel,
          fingerprint: saved.fingerprint,
          now: deps.now(),
          ...(deps.renderChart ? { render: deps.renderChart } : {}),
        })
      : undefined;
  const digest = {
    ...planDigest(scan, identities, config, deps.now(), {
      fingerprint: saved.fingerprint,
      memory,
      conflicts,
      enforcement: enforcementStanding(await store.cases({ latestOnly: true }), previous?.scannedAt),
      ...(alreadyPosted ? { alreadyPosted } : {}),
    }),
    ...(chart ? { chart } : {}),
  };
  const routes = digestRoutes(config, taggedOwners, ouAccounts);
  const routedPosted = new Map<string, DeliveryRecord>();
  for (const route of routes) {
    const record = await store.delivery({ type: 'digest', channel: route.channel, fingerprint: saved.fingerprint });
    if (record && record.state !== 'failed') routedPosted.set(route.channel, record);
  }
  const routedDigests = planRoutedDigests(scan, identities, routes, deps.now(), {
    fingerprint: saved.fingerprint,
    posted: (c) => routedPosted.get(c),
  });
  const plan: DeliveryPlan = {
    digest,
    ...(routedDigests.length ? { routedDigests } : {}),
    messages: work.messages,
    waiting: work.waiting,
    unmapped,
    nudgesEnabled: config.nudges.enabled,
    enforcement: work.enforcement,
  };
  return { scan, saved, plan, recovered: work.recovered, tagErrors, work, ...(previous ? { previous } : {}) };
}

/**
 * `run --credential-report FILE --dry-run`: what a cycle would post for a scan made elsewhere (a downloaded
 * report), with no AWS client at all: no IAM tags are read, and the caller gives the state (an empty one).
 */
export async function previewScan(deps: PlanDeps, scan: ScanResult): Promise<CycleResult> {
  const {
    previous: _,
    work: __,
    ...planned
  } = await planScan(
    deps,
    { scan, clientsFor: () => undefined, taggedOwners: new Map(), ouAccounts: new Map() },
    { dryRun: true },
  );
  return planned;
}
