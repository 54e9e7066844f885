/**
 * The text a page prints, as the verifier compares it with the PDF's: character
 * references decode as a browser decodes them in text, so a template may write
 * Caf&eacute; (or any other HTML entity) without a correct sheet failing with TEXT_LOST.
 */
import { describe, expect, it } from 'vitest';
import { visibleText } from '../../src/render/visible-text.js';

describe('visibleText', () => {
  it('decodes named, hexadecimal and double-escaped references as a browser does', () => {
    expect(visibleText('<p>Caf&eacute; &hellip; &#x2014; &nbsp; &amp;lt;</p>')).toBe(' Café … — \u00a0 &lt; ');
  });

  // Each expectation is what Chromium's textContent gives for <p>input</p>.
  it.each([
    ['&Eacute;tirement', 'Étirement'],
    ['na&iuml;ve cr&egrave;me br&ucirc;l&eacute;e', 'naïve crème brûlée'],
    ['&copy 2026', '© 2026'], // legacy names may omit the semicolon in text
    ['&notit;', '¬it;'], // …and so end at the longest legacy name
    ['&#128;', '€'], // C1 controls are read as Windows-1252
    ['&#0; &#xD800; &#x110000;', '\ufffd \ufffd \ufffd'],
    ['&AMP; &Amp; &foo; a&b', '& &Amp; &foo; a&b'], // names are case-sensitive; unknown ones stay
    ['&lt;p&gt;', '<p>'], // decoded once, after the tags are gone
  ])('%s → %s', (input, shown) => {
    expect(visibleText(`<p>${input}</p>`)).toBe(` ${shown} `);
  });

  it('leaves out what is never printed: tags, head, styles, scripts, comments and the screen-only navigation', () => {
    const html =
      '<html><head><title>T&eacute;</title><style>p{}</style></head><body>' +
      '<nav data-screen-only><a href="/">Index</a></nav><!-- note --><script>x&lt;1</script>' +
      '<p class="a&amp;b">Caf&eacute;</p></body></html>';
    expect(visibleText(html).replace(/\s+/g, ' ').trim()).toBe('Café');
  });
});
