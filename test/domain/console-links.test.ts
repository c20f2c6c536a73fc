import { describe, expect, it } from 'vitest';
import type { Partition } from '../../src/domain/types.js';
import {
  accountSignInUrl,
  isValidAccountAlias,
  securityCredentialsUrl,
  signInUrl,
} from '../../src/domain/console-links.js';

describe('signInUrl', () => {
  it.each<[Partition, string]>([
    ['aws', 'https://111122223333.signin.aws.amazon.com/console'],
    ['aws-us-gov', 'https://111122223333.signin.amazonaws-us-gov.com/console'],
    ['aws-cn', 'https://111122223333.signin.amazonaws.cn/console'],
  ])('%s by account ID', (partition, url) => {
    expect(signInUrl(partition, '111122223333')).toBe(url);
  });

  it('takes an alias', () => {
    expect(signInUrl('aws', 'my-prod')).toBe('https://my-prod.signin.aws.amazon.com/console');
  });

  it.each(['evil.com/x?', '<!here>', '11', 'My-Prod', '', 'x.y.z'])('refuses %j', (bad) => {
    expect(() => signInUrl('aws', bad)).toThrow();
  });
});

describe('securityCredentialsUrl', () => {
  it.each<[Partition, string]>([
    ['aws', 'https://console.aws.amazon.com/iam/home#/security_credentials'],
    ['aws-us-gov', 'https://console.amazonaws-us-gov.com/iam/home#/security_credentials'],
    ['aws-cn', 'https://console.amazonaws.cn/iam/home#/security_credentials'],
  ])('%s', (partition, url) => {
    expect(securityCredentialsUrl(partition)).toBe(url);
  });
});

describe('aliases', () => {
  it.each([
    ['abc', true],
    ['my-prod-1', true],
    ['a'.repeat(63), true],
    ['ab', false],
    ['a'.repeat(64), false],
    ['-prod', false],
    ['prod-', false],
    ['Prod', false],
    ['my_prod', false],
    ['prod.example', false],
  ])('%s valid: %s', (alias, valid) => {
    expect(isValidAccountAlias(alias)).toBe(valid);
  });

  it('prefers a valid alias, else the ID, else the console front door', () => {
    expect(accountSignInUrl({ accountId: '111122223333', alias: 'prod', partition: 'aws' })).toBe(
      'https://prod.signin.aws.amazon.com/console',
    );
    expect(accountSignInUrl({ accountId: '111122223333', alias: 'Prod Account', partition: 'aws-cn' })).toBe(
      'https://111122223333.signin.amazonaws.cn/console',
    );
    expect(accountSignInUrl({ accountId: '111122223333', partition: 'aws-us-gov' })).toBe(
      'https://111122223333.signin.amazonaws-us-gov.com/console',
    );
    expect(accountSignInUrl({ accountId: 'offline', partition: 'aws' })).toBe('https://console.aws.amazon.com/');
  });
});
