import { describe, expect, it } from 'vitest';
import { nudgeLog } from '../../src/report/nudge-log.js';
import { DAY, MONDAY_10, openCase, sent } from '../domain/nudge-fixtures.js';

const at = (days: number) => new Date(MONDAY_10.getTime() + days * DAY);

describe('nudgeLog: enforcement steps', () => {
  it('lists the final notice, the request, the enforcement with who decided, the DM and the lift', () => {
    const c = openCase('ann', {
      messages: [
        sent('nudge-1', at(0)),
        sent('final-notice', at(14), { kind: 'final-notice' }),
        sent('enforcement-request', at(17), { kind: 'enforcement-request', recipient: 'C0SECURITY1' }),
        sent('enforced', at(18), { kind: 'enforced', recipient: 'iam:ann', by: 'UAPPROVER01', ts: undefined }),
        sent('enforced-notice', at(18), { kind: 'enforced-notice' }),
        sent('lifted', at(20), { kind: 'lifted', recipient: 'iam:ann', by: 'mfa-on', ts: undefined }),
      ],
    });
    const again = openCase('bob', {
      messages: [
        sent('enforced', at(18), { kind: 'enforced', recipient: 'iam:bob', by: 'auto', ts: undefined }),
        sent('lifted', at(19), { kind: 'lifted', recipient: 'iam:bob', by: 'UAPPROVER01', ts: undefined }),
      ],
    });
    expect(nudgeLog([again], [], []).map((e) => e.detail)).toContain(
      'require-MFA policy detached, lifted by <@UAPPROVER01>',
    );
    const log = nudgeLog([c], [], []).map((e) => `${e.event}: ${e.detail}`);
    expect(log).toEqual([
      'failing: first seen failing',
      expect.stringMatching(/^nudged: first nudge, DM to UANN0000001/),
      expect.stringMatching(/^final notice: DM to UANN0000001/),
      expect.stringMatching(/^enforcement requested: to channel C0SECURITY1/),
      'enforced: require-MFA policy attached, decided by <@UAPPROVER01>',
      expect.stringMatching(/^enforced: DM to UANN0000001/),
      'lifted: require-MFA policy detached, automatically: MFA is on, or the case ended',
    ]);
  });

  it('says when an IAM step was interrupted or refused', () => {
    const c = openCase('ann', {
      messages: [
        sent('enforced', at(1), { kind: 'enforced', state: 'claimed', by: 'auto' }),
        sent('lifted', at(2), { kind: 'lifted', state: 'failed', error: 'AccessDenied' }),
      ],
    });
    const details = nudgeLog([c], [], []).map((e) => e.detail);
    expect(details).toContain(
      'require-MFA policy attached, without approval (enforcement.approval: auto) (in progress, or interrupted)',
    );
    expect(details).toContain('require-MFA policy detached (AWS refused: AccessDenied; to be retried)');
  });
});
