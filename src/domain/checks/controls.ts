/**
 * A CIS AWS Foundations Benchmark recommendation under each benchmark version that has it: the numbering moved
 * in v5.0.0 and again in v6.0.0, and people audit against different versions.
 */
export function cis(byVersion: Record<string, string>): string[] {
  return Object.entries(byVersion).map(([version, rec]) => `CIS AWS Foundations v${version} ${rec}`);
}
