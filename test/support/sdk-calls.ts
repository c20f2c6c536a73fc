import { readFileSync } from 'node:fs';

/** The IAM action prefix of each AWS SDK client package. */
const SERVICE_OF_CLIENT: Record<string, string> = {
  iam: 'iam',
  sts: 'sts',
  organizations: 'organizations',
  securityhub: 'securityhub',
  eventbridge: 'events',
};

/**
 * `service:Action` for every command class and paginator a source file imports (as a value, not a type) from an AWS
 * SDK client package: the calls that file can make, read from its text.
 */
export function sdkCallsIn(path: string): Set<string> {
  const source = readFileSync(path, 'utf8');
  const calls = new Set<string>();
  for (const m of source.matchAll(/^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'@aws-sdk\/client-([\w-]+)'/gm)) {
    const service = SERVICE_OF_CLIENT[m[3]!];
    if (m[1] || !service) continue;
    for (const raw of m[2]!.split(',')) {
      const name = raw.trim();
      if (name.startsWith('type ')) continue;
      const action = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
      if (action) calls.add(`${service}:${action}`);
    }
  }
  return calls;
}
