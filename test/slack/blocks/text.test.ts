import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { blocksToText, mrkdwnToText } from '../../../src/slack/blocks/text.js';
import { buildDigest } from '../../../src/slack/blocks/digest.js';
import { buildNudge } from '../../../src/slack/blocks/nudge.js';
import { account, failingUser, identities, NOW, scan, ACCOUNT } from './factories.js';

describe('mrkdwnToText', () => {
  it('shows links as label (url), mentions as @id, and unescapes entities once', () => {
    expect(mrkdwnToText('see <https://a.example/x|the page> now')).toBe('see the page (https://a.example/x) now');
    expect(mrkdwnToText('<https://a.example/x|a.example/x>')).toBe('https://a.example/x');
    expect(mrkdwnToText('<https://a.example/x>')).toBe('https://a.example/x');
    expect(mrkdwnToText('hi <@U0123ABCD>')).toBe('hi @U0123ABCD');
    expect(mrkdwnToText('in <#C0123|security>')).toBe('in #security');
    expect(mrkdwnToText('&lt;!channel&gt; a&amp;b &amp;lt;')).toBe('<!channel> a&b &lt;');
  });
});

describe('blocksToText', () => {
  it('renders each kind of block readably', () => {
    const blocks: KnownBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: 'Title' } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Hello &lt;world&gt;' } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*A*\n1' },
          { type: 'mrkdwn', text: '*B*\n2' },
        ],
      },
      { type: 'divider' },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: 'one' },
          { type: 'plain_text', text: 'two' },
        ],
      },
      {
        type: 'actions',
        elements: [
          { type: 'button', text: { type: 'plain_text', text: 'Go' }, action_id: 'go' },
          { type: 'button', text: { type: 'plain_text', text: 'Stop' }, action_id: 'stop' },
        ],
      },
    ];
    const paragraphs = [
      'Title\n=====',
      'Hello <world>',
      '*A*\n1\n*B*\n2',
      '-'.repeat(40),
      'one  |  two',
      '[ Go ]  [ Stop ]',
    ];
    expect(blocksToText(blocks)).toBe(`${paragraphs.join('\n\n')}\n`);
  });

  it('prints a nudge with its buttons and links', () => {
    const out = blocksToText(
      buildNudge({
        verdict: failingUser('a&b'),
        account: { accountId: ACCOUNT, alias: 'prod', partition: 'aws' },
        slackUserId: 'U0ALICE01',
        kind: 'first',
        now: NOW,
      }).blocks,
    );
    expect(out).toContain("[ I've turned on MFA, check again ]  [ Snooze 1 day ]  [ I need help ]");
    expect(out).toContain('this link (https://console.aws.amazon.com/iam/home#/security_credentials)');
    expect(out).toContain('`a&b`');
    expect(out).not.toContain('&amp;');
  });

  it('prints a digest with an underlined header and hostile names readable', () => {
    const d = buildDigest({
      scan: scan([account({ verdicts: [failingUser('<!channel>'), failingUser('mapped')] })]),
      identities: identities([[ACCOUNT, 'mapped', 'U0MAPPED1']]),
      now: NOW,
    });
    const out = blocksToText(d.blocks);
    expect(out).toMatch(/^AWS console MFA digest\n=+\n/);
    expect(out).toContain('• `<!channel>` _unmapped_');
    expect(out).toContain('• @U0MAPPED1 `mapped`');
    expect(out).not.toMatch(/&(amp|lt|gt);/);
  });
});
