import { describe, expect, it } from 'vitest';
import { escapeHtml, html, trustedHtml } from '../../src/report/html.js';

describe('html templates', () => {
  it('escape every value put into them: text and quoted attributes alike', () => {
    const name = `<img src=x onerror=alert(1)> "q" 'a' & b`;
    expect(html`<td title="${name}">${name}</td>`.text).toBe(
      '<td title="&lt;img src=x onerror=alert(1)&gt; &quot;q&quot; &#39;a&#39; &amp; b">' +
        '&lt;img src=x onerror=alert(1)&gt; &quot;q&quot; &#39;a&#39; &amp; b</td>',
    );
  });

  it('nest without escaping twice; lists join; nothing for undefined, null and false', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${inner}${[html`<br>`, 'a<b']}${undefined}${null}${false}${0}</p>`.text).toBe(
      '<p><b>&lt;i&gt;</b><br>a&lt;b0</p>',
    );
  });

  it('keep trusted markup (the chart) as it is', () => {
    expect(html`<figure>${trustedHtml('<svg><text>x</text></svg>')}</figure>`.text).toBe(
      '<figure><svg><text>x</text></svg></figure>',
    );
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});
