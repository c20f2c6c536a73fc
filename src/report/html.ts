/**
 * HTML built the way template engines that escape by default do it (Jinja's autoescape, lit-html): every value
 * put into an `html` template is escaped, unless it is already Html, made by another `html` template or, for
 * markup mfa-bot produced itself (the chart's SVG), by `trustedHtml`. So forgetting to escape is not possible
 * by omission; IAM user names, tags and aliases are attacker-controlled.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

/** The five characters that matter in text and in quoted attribute values (OWASP's rule #1). */
export function escapeHtml(text: string): string {
  // Most text has none of them: a test is much cheaper than a replace with a callback (the report escapes ~10^5).
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ENTITIES[c]!) : text;
}

export type HtmlValue = Html | string | number | undefined | null | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup mfa-bot made itself and vouches for (never text from AWS or Slack). */
export function trustedHtml(markup: string): Html {
  return new Html(markup);
}
