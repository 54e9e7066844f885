/**
 * A file that is not UTF-8 is reported at the line and column of its first bad byte,
 * quickly however large the file: finding the byte used to decode ever longer prefixes,
 * 40 s for one bad byte at the end of a file at the size limit.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadYaml, MAX_YAML_BYTES } from '../../src/content/load-yaml.js';
import { removeDir, tempDir } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => removeDir(dir));

async function errorFor(bytes: Buffer): Promise<string> {
  const file = path.join(dir, 'x.yaml');
  await writeFile(file, bytes);
  return loadYaml(file, 'content/en/x.yaml').then(
    () => 'loaded',
    (err: unknown) => String(err),
  );
}

describe('a file that is not UTF-8', () => {
  it('is reported at the line and column of the first bad byte, naming the byte', async () => {
    // Latin-1 "été" on line 2, after a BOM and a U+FFFD that the file spells correctly.
    const bytes = Buffer.concat([Buffer.from('\uFEFFtitle: caf\u00e9 \uFFFD ok\nwarning: '), Buffer.from([0xe9, 0x74, 0xe9]), Buffer.from('\n')]);
    expect(await errorFor(bytes)).toBe(
      `content/en/x.yaml:2:10: the file is not valid UTF-8 (byte 0xe9 at offset ${bytes.indexOf(0xe9)} is not part of any character) [FILE_ENCODING]`,
    );
  });

  it('points at the start of a character cut short at the end of the file', async () => {
    expect(await errorFor(Buffer.from([...Buffer.from('title: x\n'), 0xf0, 0x9f, 0xa9]))).toMatch(/^content\/en\/x\.yaml:2:1: .*byte 0xf0 at offset 9 /);
  });

  it('is found in linear time: a bad byte at the end of a file at the size limit takes well under a second', async () => {
    const text = Buffer.from(`title: x\n# ${'a'.repeat(MAX_YAML_BYTES - 20)}\n`);
    const t0 = performance.now();
    expect(await errorFor(Buffer.concat([text, Buffer.from([0xff, 0x0a])]))).toMatch(/^content\/en\/x\.yaml:3:1: the file is not valid UTF-8 \(byte 0xff at offset \d+ /);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
