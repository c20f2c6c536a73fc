import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  ACTION_IDS,
  BLOCK_IDS,
  CHECK_ACTION_IDS,
  CHECK_BLOCK_IDS,
  decodeButtonValue,
  encodeButtonValue,
} from '../../../src/slack/blocks/ids.js';
import {
  context,
  fieldsSection,
  fitsMessage,
  header,
  limitViolations,
  packLines,
  section,
  SLACK_LIMITS,
} from '../../../src/slack/blocks/limits.js';

describe('block helpers', () => {
  it('cut text to the per-block limits', () => {
    expect(header('x'.repeat(500)).text.text.length).toBe(150);
    expect(section('y'.repeat(5000)).text?.text.length).toBe(3000);
    const f = fieldsSection(Array.from({ length: 12 }, () => 'z'.repeat(2500)));
    expect(f.fields).toHaveLength(10);
    expect(f.fields!.every((x) => x.text.length === 2000)).toBe(true);
    expect(context(Array.from({ length: 12 }, () => 'c')).elements).toHaveLength(10);
    expect(section('').text?.text).toBe(' ');
  });

  it('packLines keeps lines whole and texts under the limit', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${'w'.repeat(40)}`);
    const texts = packLines(lines, 500);
    expect(texts.every((t) => t.length <= 500)).toBe(true);
    expect(texts.join('\n').split('\n')).toEqual(lines);
    expect(packLines(['q'.repeat(900)], 500)[0]!.length).toBe(500);
  });

  it('limitViolations finds what Slack would refuse', () => {
    const bad: KnownBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
      { type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) } },
      { type: 'section', block_id: 'dup' },
      { type: 'divider', block_id: 'dup' },
    ];
    const problems = limitViolations(bad);
    expect(problems.some((p) => p.includes('header text'))).toBe(true);
    expect(problems.some((p) => p.includes('section text'))).toBe(true);
    expect(problems.some((p) => p.includes('neither text nor fields'))).toBe(true);
    expect(problems.some((p) => p.includes('duplicate block_id'))).toBe(true);
    const many: KnownBlock[] = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(limitViolations(many)[0]).toMatch(/51 blocks/);
    expect(fitsMessage(many)).toBe(false);
    expect(limitViolations([section('ok')])).toEqual([]);
  });

  it('fitsMessage measures UTF-8 bytes, not characters', () => {
    const blocks = Array.from({ length: 3 }, () => section('é'.repeat(2500)));
    expect(JSON.stringify(blocks).length).toBeLessThan(12_000);
    expect(fitsMessage(blocks)).toBe(false);
  });
});

describe('button values', () => {
  it('round-trip and stay small', () => {
    const v = encodeButtonValue({ accountId: '111122223333', userName: 'a"b<c>' });
    expect(v).toBe('{"a":"111122223333","u":"a\\"b<c>"}');
    expect(decodeButtonValue(v)).toEqual({ accountId: '111122223333', userName: 'a"b<c>' });
  });

  it('refuse what we did not write', () => {
    expect(decodeButtonValue(undefined)).toBeUndefined();
    expect(decodeButtonValue('nope')).toBeUndefined();
    expect(decodeButtonValue('{"a":1,"u":"x"}')).toBeUndefined();
    expect(decodeButtonValue('null')).toBeUndefined();
    expect(() => encodeButtonValue({ accountId: '1', userName: 'x'.repeat(2000) })).toThrow(/2000/);
  });
});

describe('action and block ids', () => {
  it("live in ids.ts, none used twice, each within Slack's length limit", () => {
    const actions = [...Object.values(ACTION_IDS), ...Object.values(CHECK_ACTION_IDS)];
    const blocks = [...Object.values(BLOCK_IDS), ...Object.values(CHECK_BLOCK_IDS)];
    expect(new Set(actions).size).toBe(actions.length);
    expect(new Set(blocks).size).toBe(blocks.length);
    for (const id of actions) expect(id.length).toBeLessThanOrEqual(SLACK_LIMITS.actionId);
    for (const id of blocks) expect(id.length).toBeLessThanOrEqual(SLACK_LIMITS.blockId);
  });
});
