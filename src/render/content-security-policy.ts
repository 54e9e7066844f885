/**
 * Nothing in the page may load anything but what is embedded in it. Set by the renderer,
 * not the template, so no template can loosen it.
 *
 * Built from its directives, never edited as text: the printed page (fonts linked from the
 * printer's asset origin, page-assets.ts) and the dev server (a nonce for its one script)
 * ask for their few additions here, so a change to the policy reaches every one of them.
 */
export interface PolicyOptions {
  /** More origins fonts may load from (the printed page: the printer's asset origin). */
  fontOrigins?: readonly string[];
  /** Allows the scripts that carry this nonce, and requests to the page's own origin (the dev server's live reload). */
  scriptNonce?: string;
  /** Forbids framing the page (a header only: a <meta> policy cannot say it). */
  noFraming?: boolean;
}

export function contentSecurityPolicy(options: PolicyOptions = {}): string {
  return [
    "default-src 'none'",
    'img-src data:',
    ['font-src data:', ...(options.fontOrigins ?? [])].join(' '),
    "style-src 'unsafe-inline'",
    ...(options.scriptNonce === undefined ? [] : [`script-src 'nonce-${options.scriptNonce}'`, "connect-src 'self'"]),
    "base-uri 'none'",
    "form-action 'none'",
    ...(options.noFraming ? ["frame-ancestors 'none'"] : []),
  ].join('; ');
}

/** The policy of the saved page: everything it shows is inlined. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();
