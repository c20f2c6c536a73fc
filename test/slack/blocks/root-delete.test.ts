import { describe, expect, it } from 'vitest';
import {
  buildRootDeleteModal,
  decodeRootDeleteTarget,
  decodeRootDeleteValue,
  encodeRootDeleteTarget,
  encodeRootDeleteValue,
  rootDeleteActions,
} from '../../../src/slack/blocks/root-delete.js';
import { allText, expectHostileEscaped, expectWithinSlackLimits, HOSTILE } from './factories.js';

const ACCOUNT = { accountId: '210987654321', alias: 'payments-prod', name: HOSTILE.join(' ') };

describe('the "Delete root credentials" button and modal', () => {
  it('carry the account in the value, and the channel too in the modal; anything else is not ours', () => {
    expect(decodeRootDeleteValue(encodeRootDeleteValue(ACCOUNT))).toEqual(ACCOUNT);
    // A button posted before the modal existed carried the bare account ID.
    expect(decodeRootDeleteValue('210987654321')).toEqual({ accountId: '210987654321' });
    for (const raw of [undefined, '', '2109', '{"a":"x"}', 'not json', '["210987654321"]'])
      expect(decodeRootDeleteValue(raw), String(raw)).toBeUndefined();
    const target = { account: ACCOUNT, channel: 'C0SECURITY1' };
    expect(decodeRootDeleteTarget(encodeRootDeleteTarget(target))).toEqual(target);
    expect(decodeRootDeleteTarget(encodeRootDeleteTarget({ ...target, channel: '<!channel>' }))).toBeUndefined();
  });

  it('the modal names the account, escaped, within Slack limits; the button asks nothing itself', () => {
    const modal = buildRootDeleteModal({ account: ACCOUNT, channel: 'C0SECURITY1' });
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expectWithinSlackLimits(modal.blocks as never);
    const text = allText(modal.blocks as never);
    expect(text).toContain('`210987654321` (payments-prod');
    expectHostileEscaped(text);
    expect(rootDeleteActions(ACCOUNT).elements[0]).not.toHaveProperty('confirm');
  });
});
