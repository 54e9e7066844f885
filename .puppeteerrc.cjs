// handout prints with a browser that is already on the machine whenever it can find one
// (see src/print/find-browser.ts). Puppeteer's own Chrome download is skipped in that
// case, because it fails on machines without internet (CI runners, clinic networks).
const fs = require('node:fs');
const candidates = [
  process.env.HANDOUT_CHROME,
  process.env.PUPPETEER_EXECUTABLE_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
].filter(Boolean);
const systemBrowser = candidates.some((p) => fs.existsSync(p));
module.exports = {
  skipDownload: systemBrowser || process.env.PUPPETEER_SKIP_DOWNLOAD === '1',
};
