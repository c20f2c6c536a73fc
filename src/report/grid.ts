/**
 * A boxed text table (the look of cli-table3) in time linear in its rows: cli-table3 took 66 s for
 * 100,000 rows. Cells are word-wrapped to fixed column widths; a word longer than its column is broken.
 * Widths count code points: IAM names and mfa-bot's reasons are ASCII.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text from AWS can carry terminal escape sequences or bidi overrides; a table shows them as "?". */
export function printable(text: string): string {
  return text.replace(CONTROL, '?');
}

export function wrapText(text: string, width: number): string[] {
  CONTROL.lastIndex = 0;
  if (text.length <= width && !CONTROL.test(text)) return [text];
  const lines: string[] = [];
  let line = '';
  for (let word of printable(text).split(/\s+/)) {
    if (!word) continue;
    if (line && line.length + 1 + word.length <= width) {
      line += ` ${word}`;
      continue;
    }
    if (line) lines.push(line);
    while (word.length > width) {
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    line = word;
  }
  lines.push(line);
  return lines;
}

/** `widths` are whole column widths including one space of padding each side, as cli-table3's colWidths. */
export function renderGrid(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  widths: readonly number[],
): string {
  const inner = widths.map((w) => Math.max(1, w - 2));
  const rule = (left: string, middle: string, right: string) =>
    left + widths.map((w) => '─'.repeat(w)).join(middle) + right;
  const between = rule('├', '┼', '┤');
  const out: string[] = [rule('┌', '┬', '┐')];
  const addRow = (row: readonly string[]) => {
    const cells = inner.map((w, i) => wrapText(row[i] ?? '', w));
    const height = Math.max(...cells.map((c) => c.length));
    for (let k = 0; k < height; k++)
      out.push(`│${cells.map((c, i) => ` ${(c[k] ?? '').padEnd(inner[i]!)} `).join('│')}│`);
  };
  addRow(head);
  for (const row of rows) {
    out.push(between);
    addRow(row);
  }
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}
