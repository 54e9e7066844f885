import { expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/render/content-security-policy.js';
import { ASSET_ORIGIN, fontAsset, linkAssets } from '../../src/render/page-assets.js';

const a = fontAsset(new Uint8Array([1, 2, 3]));
const b = fontAsset(new Uint8Array([4, 5, 6, 7]));
const policy = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`;
const page = (x: string, y: string) => `<html><head>${policy}<style>@font-face { src: url(${x}) } @font-face { src: url(${y}) }</style></head><body>data:font/woff2</body></html>`;

it('names a font by its content, and inlines it as the saved page does', () => {
  expect(a.url).toMatch(new RegExp(`^${ASSET_ORIGIN}/fonts/[0-9a-f]{24}\\.woff2$`));
  expect(fontAsset(new Uint8Array([1, 2, 3])).url).toBe(a.url);
  expect(b.url).not.toBe(a.url);
  expect(a.inline).toBe(`data:font/woff2;base64,${Buffer.from([1, 2, 3]).toString('base64')}`);
});

it('links every asset of the page and opens the policy to the asset origin for fonts only', () => {
  const linked = linkAssets(page(a.inline, b.inline), [a, b]);
  expect(linked).toBe(
    page(a.url, b.url).replace(policy, policy.replace('font-src data:', `font-src data: ${ASSET_ORIGIN}`)),
  );
  expect(linked).toContain("img-src data:;");
});

it('leaves fonts it does not hold inline, and opens the policy of every page alike', () => {
  const html = page(a.inline, b.inline);
  const opened = html.replace(policy, policy.replace('font-src data:', `font-src data: ${ASSET_ORIGIN}`));
  // The same policy for every document on a page: document.write keeps the earlier ones.
  expect(linkAssets(html, [])).toBe(opened);
  expect(linkAssets(html, [fontAsset(new Uint8Array([9]))])).toBe(opened);
  expect(linkAssets('<p>no policy</p>', [a])).toBe('<p>no policy</p>');
});
