/**
 * Where every translation stands: for each handout, library exercise and saved program of the
 * source locale, and each locale of the content folder, whether the translation is up to date
 * and reviewed, a draft, stale (its source changed since it was recorded: which fields), not
 * recorded at all, or missing (and whether the clinic means it to be missing).
 *
 * `handout translations` prints it; `check` and `build` turn its problems into warnings
 * (errors with --strict); the build stamps each sheet with what it says (a draft line, or the
 * reviewer).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { discoverHandouts, LOCALE_PATTERN, SLUG_PATTERN } from '../content/discover-handouts.js';
import { loadYaml } from '../content/load-yaml.js';
import { displayPath } from '../content/safe-file.js';
import { HandoutError } from '../errors.js';
import { changedFields, sourceFields } from './source-fields.js';
import { readLedger, TRANSLATION_KINDS, type Ledger, type LedgerEntry, type TranslationKind } from './translation-ledger.js';

export type TranslationState =
  | { state: 'source' }
  /** `intended`: the clinic does not offer this one in this locale (clinic.yaml). */
  | { state: 'missing'; intended: boolean }
  | { state: 'untracked' }
  | { state: 'stale'; changed: string[] }
  | { state: 'draft' }
  | { state: 'reviewed'; by: string; on: string | null }
  /** A file in a locale whose source locale has none: written in that language first. */
  | { state: 'original' };

export interface TranslationCell {
  locale: string;
  /** Display path of the translation, when there is one. */
  file: string | null;
  status: TranslationState;
}

export interface TranslationRow {
  kind: TranslationKind;
  id: string;
  /** How `--mark` names it: the slug of a handout, exercises/<id>, programs/<name>. */
  ref: string;
  /** Display path of the source, or null when the source locale has none. */
  source: string | null;
  /** Its absolute path. */
  sourcePath: string | null;
  cells: TranslationCell[];
}

export interface TranslationMatrix {
  source: string;
  /** Every locale of the content folder, the source's first. */
  locales: string[];
  rows: TranslationRow[];
  ledger: Ledger;
}

/** What the clinic offers (clinic.yaml): every handout in `locales`, or one in `handout_locales[slug]`. */
export interface Offer {
  locales?: readonly string[] | undefined;
  handout_locales?: Readonly<Record<string, readonly string[]>> | undefined;
}

/** The source locale of a content folder: the ledger's, else English. */
export const DEFAULT_SOURCE = 'en';

/** `exercises/knee-to-chest` → exercises; `knee-to-chest` → handouts. */
export function parseRef(ref: string): { kind: TranslationKind; id: string } | null {
  const [first, second, ...rest] = ref.split('/');
  if (second === undefined && first && SLUG_PATTERN.test(first)) return { kind: 'handouts', id: first };
  if (rest.length === 0 && (first === 'exercises' || first === 'programs') && second && SLUG_PATTERN.test(second)) return { kind: first, id: second };
  return null;
}

export function refOf(kind: TranslationKind, id: string): string {
  return kind === 'handouts' ? id : `${kind}/${id}`;
}

/** Every file of a kind: id → locale → absolute path. */
async function filesOf(contentDir: string, kind: TranslationKind): Promise<Map<string, Map<string, string>>> {
  const byId = new Map<string, Map<string, string>>();
  const add = (id: string, locale: string, absPath: string) => {
    if (!byId.has(id)) byId.set(id, new Map());
    byId.get(id)!.set(locale, absPath);
  };
  if (kind === 'handouts') {
    for (const s of (await discoverHandouts(contentDir).catch(() => ({ sources: [] }))).sources) add(s.slug, s.locale, s.absPath);
    return byId;
  }
  const root = path.join(contentDir, kind);
  const locales = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const l of locales) {
    if (!l.isDirectory() || !LOCALE_PATTERN.test(l.name)) continue;
    for (const name of await readdir(path.join(root, l.name)).catch(() => [] as string[])) {
      const id = name.replace(/\.yaml$/, '');
      if (name.endsWith('.yaml') && SLUG_PATTERN.test(id)) add(id, l.name, path.join(root, l.name, name));
    }
  }
  return byId;
}

/** The fields of a source file, or null when it cannot be read (that is reported where it is used). */
async function fieldsOf(absPath: string, contentDir: string) {
  try {
    return sourceFields((await loadYaml(absPath, displayPath(absPath), contentDir)).data);
  } catch {
    return null;
  }
}

function stateOf(entry: LedgerEntry | null, current: Record<string, string> | null): TranslationState {
  if (!entry) return { state: 'untracked' };
  const changed = current ? changedFields(entry.fields, current) : [];
  if (changed.length) return { state: 'stale', changed };
  return entry.status === 'reviewed' ? { state: 'reviewed', by: entry.reviewed_by ?? '?', on: entry.reviewed_on ?? null } : { state: 'draft' };
}

/**
 * The content folder's translations, read as far as asked: the files are listed and the
 * ledger read at once (a few directory listings), a source is parsed only when a row that
 * needs it is asked for. A personal program asks for the rows of its own parts only, so the
 * composer's preview does not parse every source of the folder on each keystroke.
 */
export class TranslationIndex {
  readonly #rows = new Map<string, Promise<TranslationRow | null>>();

  private constructor(
    readonly root: string,
    readonly source: string,
    /** Every locale of the content folder, the source's first. */
    readonly locales: string[],
    readonly ledger: Ledger,
    private readonly files: ReadonlyMap<TranslationKind, Map<string, Map<string, string>>>,
    private readonly offer: Offer,
  ) {}

  static async open(contentDir: string, offer: Offer = {}): Promise<TranslationIndex> {
    const root = path.resolve(contentDir);
    const ledger = await readLedger(root);
    const source = ledger.data.source ?? DEFAULT_SOURCE;
    const files = new Map(await Promise.all(TRANSLATION_KINDS.map(async (kind) => [kind, await filesOf(root, kind)] as const)));
    const all = new Set<string>([source]);
    for (const byId of files.values()) for (const locales of byId.values()) for (const l of locales.keys()) all.add(l);
    const locales = [source, ...[...all].filter((l) => l !== source).sort()];
    return new TranslationIndex(root, source, locales, ledger, files, offer);
  }

  /** One handout's, exercise's or program's row; null when no locale has it. */
  row(kind: TranslationKind, id: string): Promise<TranslationRow | null> {
    const key = `${kind}/${id}`;
    let row = this.#rows.get(key);
    if (!row) {
      row = this.#read(kind, id);
      this.#rows.set(key, row);
    }
    return row;
  }

  /** Every row: handouts, then library exercises, then programs, each by id. */
  async rows(): Promise<TranslationRow[]> {
    const keys = TRANSLATION_KINDS.flatMap((kind) => [...this.files.get(kind)!.keys()].sort().map((id) => [kind, id] as const));
    return (await Promise.all(keys.map(([kind, id]) => this.row(kind, id)))).filter((r): r is TranslationRow => r !== null);
  }

  async #read(kind: TranslationKind, id: string): Promise<TranslationRow | null> {
    const present = this.files.get(kind)!.get(id);
    if (!present) return null;
    const { source, locales, ledger } = this;
    const sourcePath = present.get(source) ?? null;
    // The source is read only when a recorded translation is to be compared with it.
    const recorded = locales.some((l) => l !== source && present.has(l) && ledger.entry(kind, id, l));
    const current = sourcePath && recorded ? await fieldsOf(sourcePath, this.root) : null;
    const offered = kind === 'handouts' ? (this.offer.handout_locales?.[id] ?? this.offer.locales ?? null) : null;
    const cells = locales.map((locale): TranslationCell => {
      const file = present.get(locale);
      if (locale === source) return { locale, file: file ? displayPath(file) : null, status: file ? { state: 'source' } : { state: 'missing', intended: false } };
      if (!file) return { locale, file: null, status: { state: 'missing', intended: offered !== null && !offered.includes(locale) } };
      if (!sourcePath) return { locale, file: displayPath(file), status: { state: 'original' } };
      return { locale, file: displayPath(file), status: stateOf(ledger.entry(kind, id, locale), current) };
    });
    return { kind, id, ref: refOf(kind, id), source: sourcePath ? displayPath(sourcePath) : null, sourcePath, cells };
  }
}

/** Every translation of the content folder, read whole: for `handout translations` and the warnings of a build. */
export async function translationMatrix(contentDir: string, offer: Offer = {}): Promise<TranslationMatrix> {
  const index = await TranslationIndex.open(contentDir, offer);
  return { source: index.source, locales: index.locales, rows: await index.rows(), ledger: index.ledger };
}

/**
 * What `check` and `build` warn about (errors with --strict): each stale or unrecorded
 * translation at its file, and per locale the handouts it lacks that the clinic offers in it.
 */
export function translationWarnings(matrix: TranslationMatrix, contentDir: string, scope: { locales?: readonly string[] | undefined; only?: readonly string[] | undefined } = {}): HandoutError[] {
  const warnings: HandoutError[] = [];
  // A build of some locales, or of some handouts (--locale, --only), is told about those only.
  const inScope = (locale: string) => !scope.locales?.length || scope.locales.includes(locale);
  // --only narrows the handouts; library exercises and programs are told about whatever the selection.
  const rows = scope.only?.length ? matrix.rows.filter((r) => r.kind !== 'handouts' || scope.only!.includes(r.id)) : matrix.rows;
  for (const row of rows) {
    for (const cell of row.cells.filter((c) => inScope(c.locale))) {
      const mark = `handout translations --mark ${cell.locale} ${row.ref}`;
      if (cell.status.state === 'stale') {
        warnings.push(
          new HandoutError('TRANSLATION_STALE', 'stale', { source: row.source!, fields: cell.status.changed.join(', '), mark }, { where: { file: cell.file! } }),
        );
      } else if (cell.status.state === 'untracked') {
        warnings.push(
          new HandoutError('TRANSLATION_UNTRACKED', 'untracked', { source: row.source!, mark }, { where: { file: cell.file! } }),
        );
      }
    }
  }
  // Handouts a locale lacks, when the clinic offers them in it: one warning per locale.
  for (const locale of matrix.locales.filter(inScope)) {
    const lacking = rows.filter((r) => r.kind === 'handouts' && r.cells.some((c) => c.locale === locale && c.status.state === 'missing' && !c.status.intended));
    const inLocale = matrix.rows.some((r) => r.kind === 'handouts' && r.cells.some((c) => c.locale === locale && c.file));
    if (!lacking.length || !inLocale) continue;
    const where = (r: TranslationRow) =>
      r.cells
        .filter((c) => c.file)
        .map((c) => c.locale)
        .join(', ');
    warnings.push(
      new HandoutError(
        'TRANSLATION_MISSING',
        'lacking',
        {
          locale,
          count: lacking.length,
          handouts: lacking.length > 1 ? 'handouts' : 'handout',
          list: `${lacking
            .slice(0, 8)
            .map((r) => `${r.id} (in ${where(r)})`)
            .join('; ')}${lacking.length > 8 ? `; and ${lacking.length - 8} more` : ''}`,
        },
        { where: { file: displayPath(path.join(path.resolve(contentDir), locale)) } },
      ),
    );
  }
  return warnings;
}

/** What a sheet says about its translation: nothing (the source), a draft line, or its reviewer. */
export type TranslationStamp = null | { state: 'draft' } | { state: 'reviewed'; by: string; on: string | null };

/**
 * A sheet in `locale` is reviewed only if its own text and every library exercise it prints
 * are (each a translation, where not the source's own); else it is a draft. Stale and
 * unrecorded translations are drafts too: nobody vouched for what they say now.
 */
export async function sheetStamp(index: TranslationIndex, locale: string, parts: ReadonlyArray<{ kind: TranslationKind; id: string }>): Promise<TranslationStamp> {
  let reviewed: { by: string; on: string | null } | null = null;
  let translated = false;
  for (const part of parts) {
    const cell = (await index.row(part.kind, part.id))?.cells.find((c) => c.locale === locale);
    if (!cell || cell.status.state === 'source' || cell.status.state === 'original' || cell.status.state === 'missing') continue;
    translated = true;
    if (cell.status.state !== 'reviewed') return { state: 'draft' };
    reviewed ??= { by: cell.status.by, on: cell.status.on };
  }
  return translated && reviewed ? { state: 'reviewed', ...reviewed } : null;
}

/**
 * Records translations as made from their sources as they are now: each given ref (or every
 * translation of the locale) gets the source's current fields, and is a draft, or reviewed
 * by `reviewer` on `date`. Returns the new ledger, for the caller to write.
 */
export function markTranslations(
  matrix: TranslationMatrix,
  locale: string,
  refs: readonly string[],
  review: { by: string; on: string } | null,
  currentFields: (row: TranslationRow) => Promise<Record<string, string> | null>,
): Promise<{ ledger: Ledger; marked: string[] }> {
  return (async () => {
    if (locale === matrix.source) throw new HandoutError('USAGE', 'sourceLocale', { locale });
    const wanted = refs.length
      ? refs.map((ref) => {
          const parsed = parseRef(ref);
          const row = parsed && matrix.rows.find((r) => r.kind === parsed.kind && r.id === parsed.id);
          if (!row) {
            throw new HandoutError('USAGE', 'notARef', { ref });
          }
          return row;
        })
      : matrix.rows.filter((r) => r.cells.some((c) => c.locale === locale && c.file && c.status.state !== 'original'));
    let ledger = matrix.ledger;
    const marked: string[] = [];
    for (const row of wanted) {
      const cell = row.cells.find((c) => c.locale === locale);
      if (!cell?.file) throw new HandoutError('USAGE', 'noTranslation', { ref: row.ref, locale, source: row.source ?? row.ref });
      if (!row.source) throw new HandoutError('USAGE', 'original', { ref: row.ref, sourceLocale: matrix.source, file: cell.file });
      const fields = await currentFields(row);
      if (!fields) throw new HandoutError('USAGE', 'sourceUnreadable', { source: row.source, file: cell.file });
      ledger = ledger.with(row.kind, row.id, locale, { fields, status: review ? 'reviewed' : 'draft', ...(review ? { reviewed_by: review.by, reviewed_on: review.on } : {}) });
      marked.push(`${cell.file} (${review ? `reviewed by ${review.by}` : 'draft'})`);
    }
    return { ledger, marked };
  })();
}

/** The current fields of a row's source. */
export function sourceFieldsOf(contentDir: string) {
  return async (row: TranslationRow) => (row.sourcePath ? fieldsOf(row.sourcePath, path.resolve(contentDir)) : null);
}
