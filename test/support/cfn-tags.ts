import type { Tags } from 'yaml';

/**
 * CloudFormation's short-form tags (!Ref, !GetAtt...), read as their plain argument, for tests that inspect templates.
 */
export const CFN_TAGS: Tags = ['!Ref', '!GetAtt', '!Not', '!Equals', '!If', '!Sub'].flatMap((tag) => [
  { tag, resolve: (v: unknown) => v },
  { tag, collection: 'seq' as const, resolve: (v: unknown) => v },
]);
