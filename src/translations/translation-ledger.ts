/**
 * content/translations.yaml: for each translation (a handout, a library exercise or a saved
 * program in a locale other than the source's), the fields of its source as they were when it
 * was translated, and whether a person has reviewed it. Written by
 * `handout translations --mark`, never by hand: a record typed by hand would say "up to date"
 * about a translation nobody compared with its source.
 *
 * It is read whole (it is small: one line of field hashes per translation) and written whole,
 * keys sorted, so that two marks give the same file and a diff shows what was marked.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Document, isMap, isScalar, parse, visit } from 'yaml';
import { z } from 'zod';
import { LOCALE_PATTERN, SLUG_PATTERN } from '../content/discover-handouts.js';
import { parseYaml } from '../content/load-yaml.js';
import { displayPath } from '../content/safe-file.js';
import { schemaErrors } from '../content/validate-handout.js';
import { HandoutError } from '../errors.js';

export const LEDGER_FILE = 'translations.yaml';

/** What is translated: a handout, a library exercise or a saved program, by its folder's name. */
export const TRANSLATION_KINDS = ['handouts', 'exercises', 'programs'] as const;
export type TranslationKind = (typeof TRANSLATION_KINDS)[number];

const entrySchema = z.strictObject({
  /** The source's fields when it was translated (source-fields.ts). */
  fields: z.record(z.string(), z.string().regex(/^[0-9a-f]{8}$/)),
  status: z.enum(['draft', 'reviewed']),
  reviewed_by: z.string().min(1).max(100).optional(),
  reviewed_on: z.iso.date().optional(),
});
export type LedgerEntry = z.infer<typeof entrySchema>;

const byLocale = z.record(z.string().regex(LOCALE_PATTERN), entrySchema);
const byId = z.record(z.string().regex(SLUG_PATTERN), byLocale);
const ledgerSchema = z.strictObject({
  source: z.string().regex(LOCALE_PATTERN).optional(),
  handouts: byId.optional(),
  exercises: byId.optional(),
  programs: byId.optional(),
});
export type LedgerData = z.infer<typeof ledgerSchema>;

export class Ledger {
  constructor(
    readonly data: LedgerData,
    /** Display path of the file. */
    readonly file: string,
  ) {}

  entry(kind: TranslationKind, id: string, locale: string): LedgerEntry | null {
    return this.data[kind]?.[id]?.[locale] ?? null;
  }

  /** A copy with this entry set. */
  with(kind: TranslationKind, id: string, locale: string, entry: LedgerEntry): Ledger {
    const data = structuredClone(this.data);
    ((data[kind] ??= {})[id] ??= {})[locale] = entry;
    return new Ledger(data, this.file);
  }

  /** The file's text: a header, then every record, keys sorted, each record's fields on one line. */
  toText(): string {
    const sorted = (record: Record<string, unknown> | undefined) => record && Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
    const out: Record<string, unknown> = {};
    if (this.data.source) out.source = this.data.source;
    for (const kind of TRANSLATION_KINDS) {
      const ids = this.data[kind];
      if (!ids || !Object.keys(ids).length) continue;
      out[kind] = Object.fromEntries(Object.entries(ids).sort(([a], [b]) => a.localeCompare(b)).map(([id, locales]) => [id, sorted(locales)]));
    }
    // Each record's field hashes on one line: the file stays a line or two per translation.
    const doc = new Document(out);
    visit(doc, {
      Pair(_key, pair) {
        if (isScalar(pair.key) && pair.key.value === 'fields' && isMap(pair.value)) pair.value.flow = true;
      },
    });
    const body = doc.toString({ lineWidth: 0 });
    return (
      '# Which version of its source each translation was made from, and who reviewed it.\n' +
      '# Written by `handout translations --mark <locale> [<slug> | exercises/<id> | programs/<name>] [--reviewed-by "…"]`:\n' +
      '# do not edit it by hand. `handout check` compares each translation\'s source with the fields recorded here.\n' +
      body
    );
  }
}

/** The last ledger read, by file and modification: a preview server reads it on every request. */
let last: { key: string; ledger: Ledger } | null = null;

/** Reads content/translations.yaml (an empty ledger when there is none), each error at its line. */
export async function readLedger(contentDir: string): Promise<Ledger> {
  const absPath = path.join(path.resolve(contentDir), LEDGER_FILE);
  const file = displayPath(absPath);
  let text: string;
  let key: string;
  try {
    const info = await stat(absPath);
    key = `${absPath}\0${info.mtimeMs}\0${info.size}`;
    if (last?.key === key) return last.ledger;
    text = await readFile(absPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Ledger({}, file);
    throw new HandoutError('FILE_UNREADABLE', 'ledger', { file, detail: (err as Error).message }, { where: { file } });
  }
  // Parsed plainly (a machine-written file is nearly always right); positions are worked out
  // only to report an error.
  let data: unknown;
  try {
    data = parse(text);
  } catch {
    data = undefined;
  }
  const result = ledgerSchema.safeParse(data ?? {});
  if (!result.success) {
    const yaml = parseYaml(text, file);
    const first = schemaErrors(ledgerSchema.safeParse(yaml.data ?? {}, { reportInput: true }).error!, yaml, Object.keys(ledgerSchema.shape))[0]!;
    throw new HandoutError('SCHEMA', 'ledger', { file: LEDGER_FILE, detail: first.message }, first.where ? { where: first.where } : {});
  }
  const ledger = new Ledger(result.data, file);
  last = { key, ledger };
  return ledger;
}
