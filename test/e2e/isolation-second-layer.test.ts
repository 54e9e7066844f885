/**
 * The second isolation layer. With page JavaScript switched on and no
 * Content-Security-Policy (neither is ever the case in a build), a page that tries every
 * script-borne way out — fetch, XHR, WebSocket, EventSource, sendBeacon, a worker,
 * navigation — still reaches nothing: interception refuses what it sees, and what it
 * cannot see (WebSockets, worker traffic) meets the dead proxy and the resolver that
 * resolves nothing. This fails if someone removes those Chromium flags.
 */
import { startCanary, type Canary } from '../helpers/canary.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/print/find-browser.js';
import { launchPrinter } from '../../src/print/launch-printer.js';
import { barePage } from '../helpers/bare-page.js';

describe('isolation with page JavaScript on and no CSP', () => {
  let canary: Canary;
  let base: string;

  beforeAll(async () => {
    canary = await startCanary();
    base = canary.address;
  });
  afterAll(() => canary.close());

  it('reaches nothing, and names what it tried', async () => {
    const { hits } = canary;
    const script = `
      fetch('http://${base}/fetch').catch(() => {});
      const x = new XMLHttpRequest(); x.open('GET', 'http://${base}/xhr'); x.send();
      try { new WebSocket('ws://${base}/ws'); } catch {}
      try { new EventSource('http://${base}/sse'); } catch {}
      try { navigator.sendBeacon('http://${base}/beacon', 'x'); } catch {}
      try { new Worker(URL.createObjectURL(new Blob(["fetch('http://${base}/worker'); new WebSocket('ws://${base}/worker-ws');"]))); } catch {}
      setTimeout(() => { location.href = 'http://${base}/navigate'; }, 50);`;
    const page = barePage('js', `<!DOCTYPE html><html><head><title>js</title></head><body><p>hello</p><script>${script}</script></body></html>`, 'hello');
    const printer = await launchPrinter({ executablePath: findBrowser(undefined).path, javaScript: true, timeoutMs: 10_000 });
    let error: unknown = null;
    try {
      await printer.print(page);
      // Let anything that escaped try to arrive.
      await new Promise((r) => setTimeout(r, 1500));
    } catch (err) {
      error = err;
    } finally {
      await printer.close();
    }
    expect(hits).toEqual([]);
    expect(String(error)).toMatch(/BLOCKED_REQUEST/);
    expect(String(error)).toContain(`http://${base}/fetch`);
  });
});
