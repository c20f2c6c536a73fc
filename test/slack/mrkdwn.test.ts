import { describe, expect, it } from 'vitest';
import { channelMention, code, escapeMrkdwn, link, mention, truncate, unescapeMrkdwn } from '../../src/slack/mrkdwn.js';

describe('escapeMrkdwn', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here>', '&lt;!here&gt;'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['<https://evil|click>', '&lt;https://evil|click&gt;'],
    ['a&b', 'a&amp;b'],
    // Already-escaped looking input is escaped again: it is data, not markup.
    ['&lt;', '&amp;lt;'],
    ['plain', 'plain'],
  ])('%s -> %s', (input, output) => {
    expect(escapeMrkdwn(input)).toBe(output);
    expect(unescapeMrkdwn(output)).toBe(input);
  });
});

describe('mention', () => {
  it('accepts user and enterprise user IDs', () => {
    expect(mention('U0123ABCD')).toBe('<@U0123ABCD>');
    expect(mention('W0123ABCD')).toBe('<@W0123ABCD>');
  });

  it.each(['<!channel>', 'U123>', 'C0123ABCD', 'u0123abcd', '', 'U', 'U12 3', 'U123|x'])('refuses %j', (id) => {
    expect(() => mention(id)).toThrow(/Slack user ID/);
  });
});

describe('channelMention', () => {
  it('accepts the channel IDs the config accepts', () => {
    for (const id of ['C0123ABCD', 'G0123ABCD', 'D0123ABCD']) expect(channelMention(id)).toBe(`<#${id}>`);
  });

  it.each(['<!here>', 'C0123>', 'U0123ABCD', 'c0123abcd', '', 'C', 'C12 3', 'C123|x'])('refuses %j', (id) => {
    expect(() => channelMention(id)).toThrow(/Slack channel ID/);
  });
});

describe('link', () => {
  it('makes a link with an escaped label', () => {
    expect(link('https://example.com/a?b=c', 'x <!channel> & y')).toBe(
      '<https://example.com/a?b=c|x &lt;!channel&gt; &amp; y>',
    );
  });

  it.each([
    'http://example.com',
    'javascript:alert(1)',
    'https://evil.com|<!channel>',
    'https://a.com/<x>',
    'https://a.com/ b',
    'https://',
  ])('falls back to plain escaped text for %j', (url) => {
    const out = link(url, 'label <b>');
    expect(out).toBe('label &lt;b&gt;');
  });
});

describe('code', () => {
  it('wraps in backticks, strips backticks inside, escapes, stays on one line', () => {
    expect(code('a`b`c')).toBe('`abc`');
    expect(code('<!here>')).toBe('`&lt;!here&gt;`');
    expect(code('a\nb')).toBe('`a b`');
  });
});

describe('truncate', () => {
  it('returns short text unchanged', () => {
    expect(truncate('hello', 5)).toBe('hello');
  });

  it('cuts with an ellipsis within the limit', () => {
    const out = truncate('hello world', 8);
    expect(out).toBe('hello w…');
    expect(out.length).toBeLessThanOrEqual(8);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('never cuts an entity in half (max %i)', (max) => {
    const text = escapeMrkdwn('a&<>&&b');
    const out = truncate(text, max);
    expect(out.length).toBeLessThanOrEqual(max);
    const body = out.endsWith('…') ? out.slice(0, -1) : out;
    expect(body).not.toMatch(/&(?!amp;|lt;|gt;)/);
    expect(text.startsWith(body)).toBe(true);
  });

  it('never cuts a mention or link in half', () => {
    const out = truncate('hi <@U0123ABCD> there', 10);
    expect(out).toBe('hi…');
    const l = truncate('see <https://example.com|here>', 20);
    expect(l).toBe('see…');
  });

  it('does not split a surrogate pair', () => {
    const out = truncate('ab😀cd', 4);
    expect(out).toBe('ab…');
  });

  it('handles tiny limits', () => {
    expect(truncate('hello', 1)).toBe('…');
    expect(truncate('hello', 0)).toBe('');
  });
});
