import { describe, expect, it } from 'vitest';
import { findingChanges } from '../../src/domain/finding-change.js';
import type { Status, Verdict } from '../../src/domain/types.js';

function v(principal: string, status: Status, accountId = '111122223333'): Verdict {
  return {
    check: 'user-console-mfa',
    accountId,
    principal,
    arn: `arn:aws:iam::${accountId}:user/${principal}`,
    status,
    severity: 'high',
    reason: 'r',
    controls: [],
    remediation: 'm',
  };
}

describe('findingChanges', () => {
  it('reports newly failing, fixed, exempted and expired exemptions, and nothing unchanged', () => {
    const previous = [
      v('a', 'pass'),
      v('b', 'fail'),
      v('c', 'fail'),
      v('d', 'exempt'),
      v('e', 'fail'),
      v('f', 'grace'),
      v('g', 'pass'),
    ];
    const current = [
      v('a', 'fail'),
      v('b', 'pass'),
      v('c', 'exempt'),
      v('d', 'fail'),
      v('e', 'fail'),
      v('f', 'fail'),
      v('g', 'not_applicable'),
      v('new', 'fail'),
    ];
    const byUser = Object.fromEntries(findingChanges(previous, current).map((c) => [c.verdict.principal, c]));
    expect(byUser.a).toMatchObject({ change: 'newly_failing', previousStatus: 'pass' });
    expect(byUser.b).toMatchObject({ change: 'fixed', previousStatus: 'fail' });
    expect(byUser.c).toMatchObject({ change: 'exempted' });
    expect(byUser.d).toMatchObject({ change: 'exemption_expired', previousStatus: 'exempt' });
    expect(byUser.f).toMatchObject({ change: 'newly_failing', previousStatus: 'grace' });
    expect(byUser.new).toMatchObject({ change: 'newly_failing' });
    expect(byUser.new!.previousStatus).toBeUndefined();
    expect(byUser.e).toBeUndefined();
    expect(byUser.g).toBeUndefined();
  });

  it(
    'counts a failing user who is gone as fixed, ' + 'but not when the account could not be read or was not scanned',
    () => {
      const previous = [v('gone', 'fail'), v('x', 'fail', '999999999999'), v('y', 'fail', '555555555555')];
      const current = [v('other', 'pass'), { ...v('*', 'error', '999999999999') }];
      const changes = findingChanges(previous, current);
      expect(changes).toEqual([
        expect.objectContaining({
          change: 'fixed',
          previousStatus: 'fail',
          verdict: expect.objectContaining({ principal: 'gone', status: 'not_applicable' }),
        }),
      ]);
    },
  );
});
