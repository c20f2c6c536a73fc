/**
 * Slack mrkdwn helpers. `&`, `<` and `>` are Slack's control characters: `<!channel>`, `<!here>`,
 * `<@U…>` and `<url|label>` are live syntax, so every string that did not come from our own source
 * code (IAM user names, tag values, account aliases, reasons built from them, config text) goes
 * through escapeMrkdwn() or one of the helpers below before it reaches a text object.
 */

const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;
const SAFE_URL = /^https:\/\/[^\s|<>]+$/;
const ENTITY = /^&(?:amp|lt|gt);/;

export const ELLIPSIS = '…';

/** `&` first, so the entities produced for `<` and `>` are not escaped a second time. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The reverse of escapeMrkdwn(), in one pass so `&amp;lt;` becomes `&lt;` and not `<`. */
export function unescapeMrkdwn(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

export function isSlackUserId(value: string): boolean {
  return SLACK_USER_ID.test(value);
}

/** `<@U…>`; throws unless the ID looks like a Slack user ID, so nothing else can ride in on it. */
export function mention(userId: string): string {
  if (!isSlackUserId(userId)) throw new Error(`not a Slack user ID: ${JSON.stringify(userId)}`);
  return `<@${userId}>`;
}

/** `<#C…>`; throws unless the ID looks like a Slack channel ID. */
export function channelMention(channelId: string): string {
  if (!/^[CGD][A-Z0-9]{2,}$/.test(channelId)) throw new Error(`not a Slack channel ID: ${JSON.stringify(channelId)}`);
  return `<#${channelId}>`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

/**
 * `<url|label>` with the label escaped. A URL that is not https or that contains `|`, `<`, `>` or
 * whitespace would break out of the link syntax, so then only the escaped label is returned.
 */
export function link(url: string, label: string): string {
  const text = escapeMrkdwn(oneLine(label));
  if (!SAFE_URL.test(url)) return text;
  return text === '' ? `<${url}>` : `<${url}|${text}>`;
}

/** Inline code. Backticks would end the span early, so they are removed; the rest is escaped. */
export function code(text: string): string {
  const clean = oneLine(text).replace(/`/g, '');
  return `\`${escapeMrkdwn(clean === '' ? ' ' : clean)}\``;
}

/**
 * Shortens text to at most `max` characters, ending in an ellipsis. Works on already-escaped mrkdwn:
 * it never cuts an entity (`&amp;`, `&lt;`, `&gt;`), a `<…>` mention or link, or a surrogate pair in half.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return ELLIPSIS;
  let cut = max - 1;
  const high = text.charCodeAt(cut - 1);
  if (high >= 0xd800 && high <= 0xdbff) cut -= 1;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp !== -1) {
    const entity = ENTITY.exec(text.slice(amp));
    if (entity && amp + entity[0].length > cut) cut = amp;
  }
  const open = text.lastIndexOf('<', cut - 1);
  if (open !== -1) {
    const close = text.indexOf('>', open);
    if (close === -1 || close >= cut) cut = open;
  }
  return text.slice(0, cut).trimEnd() + ELLIPSIS;
}
