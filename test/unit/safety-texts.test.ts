/**
 * What the verifier must find in a PDF, decided before printing (resolve-handout.ts,
 * safetyTexts): the warning, the pain warning as printed (the locale's default with the
 * region's signs, or the handout's own), the disclaimer, and each stop rule with how often.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/content/load-yaml.js';
import { validateHandout } from '../../src/content/validate-handout.js';
import { CatalogStore } from '../../src/i18n/load-catalog.js';
import { IllustrationStore } from '../../src/resolve/load-image.js';
import { resolveHandout } from '../../src/resolve/resolve-handout.js';
import { CONTENT, TEMPLATES } from '../helpers/cli.js';

const catalogs = new CatalogStore(TEMPLATES);

async function safetyOf(yaml: string, locale = 'en') {
  const source = { absPath: `/x/${locale}/x.yaml`, file: `content/${locale}/x.yaml`, locale, slug: 'x' };
  const valid = validateHandout(source, parseYaml(yaml, source.file));
  if (!valid.ok) throw new Error(valid.errors.map(String).join('\n'));
  const resolved = await resolveHandout(valid.value, {
    catalog: await catalogs.get(locale),
    illustrations: new IllustrationStore(path.join(CONTENT, 'illustrations')),
    pageSize: 'A4',
    clinic: null,
    personal: null,
    largePrint: false,
  });
  return resolved.safety;
}

const HANDOUT = `title: Knees
warning: { title: Careful, text: Go slowly. }
exercises:
  - name: One
    steps: [Bend.]
  - name: Two
    steps: [Stretch.]
`;

describe('the safety texts a sheet promises', () => {
  it('are the warning, the neutral default pain warning and disclaimer, and "Stop if you feel pain." once per exercise', async () => {
    const safety = await safetyOf(HANDOUT);
    expect(safety.warning).toEqual(['Careful', 'Go slowly.']);
    expect(safety.painWarning).toMatch(/^Stop at once if you feel sharp pain/);
    expect(safety.painWarning).not.toMatch(/groin|bladder/);
    expect(safety.disclaimer).toMatch(/^This sheet gives general advice/);
    expect(safety.stopRules).toEqual([{ text: 'Stop if you feel pain.', count: 2 }]);
  });

  it("add the region's warning signs to the default pain warning, and nothing to the handout's own", async () => {
    expect((await safetyOf(`region: back\n${HANDOUT}`)).painWarning).toMatch(/next day\. Get help right away .*groin.*bowels\.$/);
    expect((await safetyOf(`region: back\npain_warning: Stop if it hurts.\n${HANDOUT}`)).painWarning).toBe('Stop if it hurts.');
    // Chinese sentences follow one another without a space.
    expect((await safetyOf(`region: knee\n${HANDOUT}`, 'zh')).painWarning).toMatch(/。[^\s]/u);
  });

  it("count each stop rule as often as it is printed: the handout's, an exercise's own, and where the text repeats it", async () => {
    const yaml = `stop_rule: Mild aching is fine.\nsummary: Mild aching is fine.\n${HANDOUT}    stop_rule: Stop if your hip hurts.\n`;
    expect((await safetyOf(yaml)).stopRules).toEqual([
      { text: 'Mild aching is fine.', count: 2 },
      { text: 'Stop if your hip hurts.', count: 1 },
    ]);
  });
});
