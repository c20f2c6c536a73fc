import type { KnownBlock } from '@slack/types';
import { unescapeMrkdwn } from '../mrkdwn.js';

const RULE = '-'.repeat(40);

/**
 * mrkdwn as a terminal shows it: `<url|label>` as `label (url)`, `<url>` as the URL, `<@U123>` as
 * `@U123`, `<#C123|name>` as `#name`, `<!here>` as `@here`; then `&amp;`, `&lt;`, `&gt;` unescaped.
 * Emphasis markers (`*bold*`, `_italic_`, backticks) are left as they are: they read fine as text.
 */
export function mrkdwnToText(text: string): string {
  const resolved = text.replace(/<([^<>]*)>/g, (_, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? '' : inner.slice(bar + 1);
    if (target.startsWith('@')) return label ? `@${label}` : target;
    if (target.startsWith('#')) return `#${label || target.slice(1)}`;
    if (target.startsWith('!')) {
      const name = target.slice(1).split('^')[0] ?? '';
      return label || (name.startsWith('subteam') ? '@group' : `@${name}`);
    }
    // Our links often show their own address as the label; print it once.
    if (!label || label === target || label === target.replace(/^https?:\/\//, '')) return target;
    return `${label} (${target})`;
  });
  return unescapeMrkdwn(resolved);
}

type TextLike = { type: string; text?: unknown; alt_text?: unknown };

function textOf(t: TextLike | undefined): string {
  if (!t) return '';
  if (t.type === 'mrkdwn' && typeof t.text === 'string') return mrkdwnToText(t.text);
  if (t.type === 'plain_text' && typeof t.text === 'string') return t.text;
  if (t.type === 'image' && typeof t.alt_text === 'string') return `[image: ${t.alt_text}]`;
  return '';
}

function elementText(el: unknown): string {
  const e = el as { type?: string; text?: TextLike; url?: string };
  if (e.type === 'button') return `[ ${textOf(e.text)} ]${e.url ? ` (${e.url})` : ''}`;
  return `[${e.type ?? 'element'}]`;
}

function blockToText(block: KnownBlock): string {
  switch (block.type) {
    case 'header': {
      const title = block.text.text;
      return `${title}\n${'='.repeat(Math.min(Math.max(title.length, 3), 72))}`;
    }
    case 'section': {
      const parts: string[] = [];
      if (block.text) parts.push(textOf(block.text));
      if (block.fields) parts.push(block.fields.map((f) => textOf(f)).join('\n'));
      if (block.accessory) parts.push(elementText(block.accessory));
      return parts.join('\n');
    }
    case 'context':
      return block.elements.map((e) => textOf(e as TextLike)).join('  |  ');
    case 'divider':
      return RULE;
    case 'actions':
      return block.elements.map(elementText).join('  ');
    case 'markdown':
      return block.text;
    default:
      return `[${block.type} block]`;
  }
}

/**
 * A readable plain-text rendering of the blocks our builders make, for `--dry-run` previews: headers
 * underlined, sections and fields as text, context lines, dividers as a rule, buttons as `[ label ]`,
 * links as `label (url)` and entities unescaped.
 */
export function blocksToText(blocks: readonly KnownBlock[]): string {
  return `${blocks.map(blockToText).join('\n\n')}\n`;
}
