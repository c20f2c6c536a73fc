import { withStoreExemptions } from './granted-exemptions.js';
import type { AwsClients } from '../aws/clients.js';
import type { Config } from '../config/schema.js';
import { reconcileCases } from '../domain/nudge-cases.js';
import type { ScanResult } from '../domain/types.js';
import type { SlackApi } from '../slack/api.js';
import type { StateStore } from '../store/store.js';
import { mapPeople } from './map-people.js';
import { scanCurrentAccount } from './scan.js';

export interface RecordScanDeps {
  aws: AwsClients;
  /** For e-mail identity rules; without it only Slack IDs from tags and the config map are used. */
  slack?: SlackApi;
  config: Config;
  store: StateStore;
  now: () => Date;
  /** Stops a scan that waits on AWS. */
  signal?: AbortSignal;
}

/**
 * Scans the account of the current credentials and keeps what a cycle keeps (the scan, its Slack mapping,
 * the cases it opens or resolves) but posts nothing: what `serve` without a state file answers from.
 */
export async function recordCurrentAccountScan(deps: RecordScanDeps): Promise<ScanResult> {
  const { aws, store, now } = deps;
  // Exemptions approvers granted in Slack apply like the config's.
  const config = await withStoreExemptions(deps.config, store);
  const scan = await scanCurrentAccount(aws, config, {
    now,
    ...(deps.signal ? { polling: { signal: deps.signal } } : {}),
  });
  const accountId = scan.accounts[0]?.accountId;
  const { identities } = await mapPeople((id) => (id === accountId ? aws.iam : undefined), deps.slack, config, scan, {
    store,
    now: now(),
    write: true,
  });
  await store.saveScan(scan, identities);
  await store.applyCaseChanges(reconcileCases(scan, await store.cases({ latestOnly: true }), now()));
  return scan;
}
