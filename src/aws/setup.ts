import { AwsSetupError } from './setup-error.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { partition } from '@aws-sdk/core/client';
import { parseKnownFiles } from '@smithy/core/config';

export { AwsSetupError } from './setup-error.js';

/** Whether the SDK's own partition data names this region (an unknown name only matches a partition's pattern). */
export function isKnownRegion(region: string): boolean {
  return (partition(region) as { description?: string }).description !== undefined;
}

const REGION_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789-';

/** Known regions one edit (a typo: a letter changed, added, dropped or two swapped) away from `region`. */
export function nearbyRegions(region: string): string[] {
  const r = region.toLowerCase();
  const candidates = new Set<string>([r]);
  for (let i = 0; i <= r.length; i++) {
    if (i < r.length) candidates.add(r.slice(0, i) + r.slice(i + 1));
    if (i < r.length - 1) candidates.add(r.slice(0, i) + r[i + 1] + r[i] + r.slice(i + 2));
    for (const c of REGION_CHARS) {
      candidates.add(r.slice(0, i) + c + r.slice(i));
      if (i < r.length) candidates.add(r.slice(0, i) + c + r.slice(i + 1));
    }
  }
  return [...candidates].filter((c) => c !== region && isKnownRegion(c)).sort();
}

/** Refuses a region the SDK does not know, before any call would fail on DNS. `source` says where it came from. */
export function checkRegion(region: string, source: string): void {
  if (isKnownRegion(region)) return;
  const near = nearbyRegions(region);
  const suggestion =
    near.length > 0 ? `did you mean ${near.join(' or ')}?` : 'regions look like us-east-1 or eu-west-1';
  throw new AwsSetupError(
    `"${region}" (${source}) is not an AWS region: ${suggestion} (if ` +
      `it is a region newer than this mfa-bot's AWS SDK, update mfa-bot)`,
  );
}

/** The shared config files the SDK reads, as it finds them. */
function configFiles(): string[] {
  return [
    process.env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config'),
    process.env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials'),
  ];
}

/** Refuses a named profile that neither shared config file defines (the SDK would only say it found no credentials). */
export async function checkProfile(profile: string, source: string): Promise<void> {
  const profiles = await parseKnownFiles({ ignoreCache: true }).catch(() => ({}));
  if (Object.hasOwn(profiles, profile)) return;
  const known = Object.keys(profiles);
  throw new AwsSetupError(
    `the AWS profile "${profile}" (${source}) is not in the AWS config files (${configFiles().join(', ')}): ` +
      (known.length > 0 ? `they define ${known.map((p) => `"${p}"`).join(', ')}` : 'they define no profiles') +
      '; check the name with `aws configure list-profiles`',
  );
}

/** What the SDK logs through a client's logger, cut down to what a mfa-bot user needs. */
export function sdkLogger(warn: (line: string) => void, profile: string | undefined) {
  const noop = () => {};
  return {
    debug: noop,
    info: noop,
    error: noop,
    warn(message: unknown) {
      const text = String(message);
      // The SDK's 9-line notice when a profile and environment keys are both set; it uses the profile.
      if (text.includes('Multiple credential sources detected')) {
        warn(
          `mfa-bot: both the profile "${profile ?? process.env.AWS_PROFILE}" and ` +
            'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are set; using the profile (unset one to silence this)',
        );
      } else {
        warn(text);
      }
    },
  };
}
