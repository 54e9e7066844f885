/**
 * Nothing in the page may load anything but what is embedded in it. Set by the renderer,
 * not the template, so no template can loosen it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  'img-src data:',
  'font-src data:',
  "style-src 'unsafe-inline'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
