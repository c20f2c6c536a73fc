import { describe, expect, it } from 'vitest';
import type { DeferredEnforcementDecision } from '../../src/bot/deferred-tasks.js';
import { isEnforcementTask } from '../../src/bot/enforcement-task.js';

const task: DeferredEnforcementDecision = {
  kind: 'enforcement',
  decision: 'enforce',
  ref: { accountId: '111122223333', userName: 'ann.smith' },
  approverId: 'UADMIN00001',
};

describe('a deferred enforcement decision from another process', () => {
  it('is taken only in the shape the slack function writes it', () => {
    expect(isEnforcementTask(task)).toBe(true);
    for (const decision of ['postpone', 'lift'] as const) expect(isEnforcementTask({ ...task, decision })).toBe(true);
  });

  it.each([
    ['a decision that is not a button', { decision: 'exempt' }],
    ['an account that is not 12 digits', { ref: { accountId: '1111', userName: 'ann.smith' } }],
    ['no user name', { ref: { accountId: '111122223333', userName: '' } }],
    ['no ref at all', { ref: undefined }],
    ['an approver that is not a Slack user ID', { approverId: '<!channel>' }],
  ])('refuses %s', (_name, change) => {
    expect(isEnforcementTask({ ...task, ...change } as unknown as DeferredEnforcementDecision)).toBe(false);
  });
});
