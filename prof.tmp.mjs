import { prepareHandouts } from './dist/build/prepare-handouts.js';
import { launchPrinter } from './dist/print/launch-printer.js';
import { verifyPdf } from './dist/verify/verify-pdf.js';
import { readPdf } from './dist/verify/read-pdf.js';
let t = performance.now();
const lap = (l) => { const n = performance.now(); console.log(l, (n - t).toFixed(0), 'ms'); t = n; };
const p0 = await prepareHandouts({ contentDir: 'content', templatesDir: 'templates' });
lap(`prepare ${p0.pages.length}`);
const printer = await launchPrinter({ executablePath: '/usr/bin/chromium' });
lap('launch');
for (const page of p0.pages.slice(0, 15)) {
  const pdf = await printer.print(page); const tp = performance.now() - t; t = performance.now();
  const r = await readPdf(pdf.bytes); const tr = performance.now() - t; t = performance.now();
  await verifyPdf(pdf); const tv = performance.now() - t; t = performance.now();
  console.log(page.outputName, 'print', tp.toFixed(0), 'fit', pdf.fit, 'read', tr.toFixed(0), 'verify', tv.toFixed(0), 'html KB', (page.html.length/1024).toFixed(0));
}
await printer.close();
