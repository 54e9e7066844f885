/**
 * Black-and-white printing: every colour used for text keeps 4.5:1 contrast on white
 * paper, the warning box is marked by a thick border and an icon (not by colour alone),
 * and a clinic cannot choose an accent too pale to read in grey.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clinicSchema } from '../../src/config/clinic-schema.js';
import { contrastWithWhite } from '../../src/config/contrast.js';
import { parseYaml } from '../../src/content/load-yaml.js';
import { schemaErrors } from '../../src/content/validate-handout.js';
import { TEMPLATES } from '../helpers/cli.js';

const css = readFileSync(path.join(TEMPLATES, 'styles/handout.css'), 'utf8');
const colour = (name: string) => new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(css)?.[1];

describe('colours for black-and-white printing', () => {
  it('text colours keep at least 4.5:1 contrast with white paper', () => {
    for (const name of ['ink', 'muted', 'accent', 'danger']) {
      const hex = colour(name);
      expect(hex, name).toBeDefined();
      expect(contrastWithWhite(hex!), name).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('the warning box is marked by a thick border and an icon, not by colour alone', () => {
    const border = /\.warning \{[^}]*border: ([\d.]+)pt solid/.exec(css);
    expect(Number(border?.[1])).toBeGreaterThanOrEqual(2);
    expect(readFileSync(path.join(TEMPLATES, 'partials/warning-box.hbs'), 'utf8')).toMatch(/<svg class="warning-icon"/);
  });

  it('refuses a clinic accent too pale to read in grey, at its position', () => {
    const yaml = parseYaml('name: Test\naccent: "#ffcc00"\n', 'content/clinic.yaml');
    const result = clinicSchema.safeParse(yaml.data, { reportInput: true });
    expect(result.success).toBe(false);
    const [error] = schemaErrors(result.error!, yaml);
    expect(String(error)).toMatch(
      /^content\/clinic\.yaml:2:9: accent: the colour #ffcc00 is too light to read on paper, above all when printed in black and white \(contrast 1\.\d:1 with white; at least 4\.5:1 needed\): choose a darker shade \[SCHEMA\]$/,
    );
    expect(clinicSchema.safeParse({ name: 'Test', accent: '#0b5f66' }).success).toBe(true);
  });
});
