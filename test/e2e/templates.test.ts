/**
 * Templates: handout text is always escaped, a typo is an error with its position, and
 * a broken template stops the build before any browser starts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRenderer } from '../../src/render/create-renderer.js';
import { copyInto, FIXTURES, removeDir, runCli, TEMPLATES } from '../helpers/cli.js';

function templateFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.hbs'))
    .map((f) => path.join(dir, f));
}

describe('templates', () => {
  it('never use triple-stash or & (unescaped output) anywhere', () => {
    const files = templateFiles(TEMPLATES);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      expect(source, file).not.toMatch(/\{\{\{|\{\{~?\s*&/);
    }
  });

  it('never turn off escaping in the compiler options', () => {
    for (const module of ['render/create-renderer.ts', 'site/write-site-index.ts']) {
      const source = readFileSync(path.resolve(TEMPLATES, '../src', module), 'utf8');
      expect(source, module).toMatch(/noEscape: false/);
      expect(source, module).not.toMatch(/allowProto|allowCallsToHelperMissing/);
    }
  });

  async function withTemplates(edit: (dir: string) => Promise<void>) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'handout-templates-'));
    await copyInto(TEMPLATES, dir);
    await edit(dir);
    return dir;
  }

  it('report a misspelt field (strict mode) with template file, line and column', async () => {
    const dir = await withTemplates(async (d) => {
      const file = path.join(d, 'partials/warning-box.hbs');
      await writeFile(file, (await readFile(file, 'utf8')).replace('{{title}}', '{{titel}}'));
    });
    try {
      const run = await runCli(['check', '--content', path.join(FIXTURES, 'other-clinic'), '--templates', dir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/✗ .*partials\/warning-box\.hbs:4:30: "titel" not defined \[TEMPLATE\]/);
    } finally {
      await removeDir(dir);
    }
  });

  it('name the layout template actually used when it lost its <head>, not the built-in one', async () => {
    const dir = await withTemplates(async (d) => {
      const file = path.join(d, 'handout.hbs');
      await writeFile(file, (await readFile(file, 'utf8')).replace(/^<head>\n[^]*?^<\/head>\n/m, ''));
    });
    try {
      const run = await runCli(['check', '--no-print', '--content', path.join(FIXTURES, 'other-clinic'), '--templates', dir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${path.join(dir, 'handout.hbs')}: the layout template has no <head> element [TEMPLATE]`);
      expect(run.stderr).toContain('hint: Keep the <head> element of the layout template');
    } finally {
      await removeDir(dir);
    }
  });

  it('report a partial that does not exist at the line and column that calls it', async () => {
    const dir = await withTemplates(async (d) => {
      const file = path.join(d, 'partials/exercise.hbs');
      await writeFile(file, `${await readFile(file, 'utf8')}\n  {{> exercise-extra}}\n`);
    });
    try {
      const lines = (await readFile(path.join(dir, 'partials/exercise.hbs'), 'utf8')).split('\n');
      const line = lines.findIndex((l) => l.includes('{{> exercise-extra}}')) + 1;
      const run = await runCli(['check', '--content', path.join(FIXTURES, 'other-clinic'), '--templates', dir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`partials/exercise.hbs:${line}:3: The partial exercise-extra could not be found [TEMPLATE]`);
    } finally {
      await removeDir(dir);
    }
  });

  it('report a syntax error at startup, before any browser is started', async () => {
    const dir = await withTemplates(async (d) => {
      const file = path.join(d, 'handout.hbs');
      await writeFile(file, (await readFile(file, 'utf8')).replace('{{/if}}', ''));
    });
    try {
      await expect(createRenderer(dir)).rejects.toThrow(/Parse error/);
      // --chrome points nowhere: a build that got as far as the browser would say so instead.
      const out = path.join(dir, 'out');
      const run = await runCli(['build', '--content', path.join(FIXTURES, 'other-clinic'), '--out', out, '--templates', dir, '--chrome', '/nonexistent']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/✗ .*handout\.hbs:\d+: Parse error on line \d+:.* \[TEMPLATE\]/);
      expect(run.stderr).not.toContain('BROWSER_NOT_FOUND');
    } finally {
      await removeDir(dir);
    }
  });
});
