/**
 * One error type for everything a user can get wrong or meet, with a permanent code,
 * a position in a file when there is one, and a hint that says what to do.
 *
 * Stages throw or return `HandoutError`s; only `cli.ts` prints them.
 */

/** The catalogue of error codes. Codes are permanent: docs and CI logs refer to them. */
export const ERROR_HINTS = {
  YAML_SYNTAX: 'Fix the YAML syntax at the position shown (indent with spaces, quote text containing ": " or "#").',
  YAML_DUPLICATE_KEY: 'Each key may appear once; remove or rename the repeated key.',
  YAML_UNSUPPORTED: 'Handouts are plain YAML: one document, no tags (!include, !!js/…), no anchors used as templates.',
  FILE_UNREADABLE: 'Check that the file exists, is a regular file and is readable.',
  FILE_ENCODING: 'Save the file as UTF-8 text.',
  FILE_TOO_LARGE: 'Handouts are one page: a file this large is almost certainly not a handout.',
  SCHEMA: 'See `handout schema` for the fields a handout may have.',
  BAD_NAME: 'Name files and folders like content/en/lower-back-relief.yaml: lowercase letters, digits and dashes.',
  UNKNOWN_LOCALE: 'Add a string catalog templates/locales/<locale>.yaml, or move the handout to a locale that has one.',
  CATALOG: 'Fix the string catalog: every UI string must be present and be text.',
  CATALOG_INCOMPLETE: 'Translate the missing keys; --strict makes this an error.',
  TRANSLATION_MISSING: 'Translate the handout into this locale, or build with --locale to leave the locale out.',
  ASSET_MISSING: 'Add the file to the illustrations folder, or correct the id (the file name without extension).',
  ASSET_UNSAFE: 'Illustrations must be regular .svg, .png or .jpg files inside the illustrations folder.',
  SVG_TEXT:
    'Convert text to paths in your drawing program (Inkscape: Path > Object to Path; Illustrator: Type > Create Outlines), or remove it; words belong in the handout, where they are translated.',
  SVG_LINK:
    'Embed linked images instead of linking them (Inkscape: Extensions > Images > Embed Images; Illustrator: Embed in the Links panel), or export the drawing as PNG.',
  SVG_SYNTAX: 'Open the file in your drawing program and save it again (Inkscape: File > Save As > Plain SVG), or fix the XML at the position shown.',
  TEMPLATE: 'Fix the template at the position shown; handout text is always escaped, so use {{name}}, not {{{name}}}.',
  BROWSER_NOT_FOUND:
    'Install Chromium (Debian/Ubuntu: apt-get install chromium) or Chrome, or point --chrome / HANDOUT_CHROME at it.',
  BROWSER: 'The browser failed; run again with --verbose for details.',
  BLOCKED_REQUEST:
    'Handouts render offline: templates and illustrations may not load anything from the network or the disk. Remove the reference.',
  PRINT_TIMEOUT: 'The page took too long to print; look for very large images or CSS that never finishes laying out.',
  NOT_ONE_PAGE: 'Shorten the text (steps, considerations, alternatives) or split the handout into two.',
  WRITE_IN_TOO_LONG: 'Shorten the value (initials, or a first name and surname), so that it fits its line of the write-in box.',
  IMAGE_NOT_LOADED:
    'Open the picture in a browser to see whether it draws; save it again from your drawing program as plain SVG, PNG or JPEG.',
  SAFETY_TEXT_MISSING:
    'A safety text did not make it into the PDF. Check that the template prints the warning, pain warning, disclaimer and per-exercise line, and that nothing hides them.',
  GLYPH_MISSING:
    'Add a font that covers this character to templates/fonts.yaml (e.g. an @fontsource Noto font for the script), or fix the text.',
  TEXT_LOST:
    'Characters of the handout did not survive into the PDF. Check the fonts in templates/fonts.yaml and the font-family in the styles.',
  READING_LEVEL:
    'Shorten the sentences named (one idea each, about 15 words) and use everyday words of one or two syllables ("physio" for "physiotherapist", "hurt" for "injure"); keep a medical word the patient must know and say what it means. The target is reading_grade in clinic.yaml.',
  LONG_SENTENCE: 'Split the sentence into two or three short ones, one idea each: patients read short sentences more easily and miss less.',
  STEP_NOT_ACTION:
    'Start each step with what to do ("Bend your knees"), not with a description ("Your knees should be bent"); put what the patient will feel in a sentence after the action.',
  PASTED_NUMBERING:
    'Remove the number or bullet at the start: the sheet numbers steps and marks list items itself, so a pasted one prints twice ("1. 2. Bend…").',
  INVISIBLE_CHARACTER:
    'Delete the invisible character (text pasted from Word or a web page brings them): it can split or join words in the PDF, in search and for screen readers. If your editor does not show it, retype the words around it.',
  ALL_CAPS:
    'Write it in small letters, with a capital only where a sentence or a name starts; to make it stand out, use bold or move it into the warning or a caution. Words in capitals are harder to read (CMS Toolkit, guideline 6.5).',
  WRITE: 'Check that the output folder is writable and the disk is not full.',
  OUTPUT_COLLISION: 'Two handouts would be written to the same file: build each content folder into its own --out folder, or rename one of them.',
  NO_CONTENT: 'Put handouts at <content>/<locale>/<slug>.yaml, or point --content at the folder that holds them.',
  USAGE: 'Run `handout --help` for usage.',
  EMAIL: 'Check HANDOUT_SMTP_URL and that the server accepts mail from this machine; nothing was sent.',
} as const;

export type ErrorCode = keyof typeof ERROR_HINTS;

/** Where an error is: a file and, when known, a 1-based line and column. */
export interface SourcePosition {
  file: string;
  line?: number;
  col?: number;
}

export interface HandoutErrorOptions {
  where?: SourcePosition;
  /** Overrides the catalogue's hint when a more specific one is known. */
  hint?: string;
  cause?: unknown;
}

export class HandoutError extends Error {
  readonly code: ErrorCode;
  readonly where: SourcePosition | undefined;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, options: HandoutErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HandoutError';
    this.code = code;
    this.where = options.where;
    this.hint = options.hint ?? ERROR_HINTS[code];
  }

  /** `content/en/x.yaml:12:5` or `content/en/x.yaml` or '' */
  get location(): string {
    if (!this.where) return '';
    const { file, line, col } = this.where;
    return line === undefined ? file : col === undefined ? `${file}:${line}` : `${file}:${line}:${col}`;
  }

  /** The one-line form printed to users and written to reports. */
  override toString(): string {
    const at = this.location;
    return `${at ? `${at}: ` : ''}${this.message} [${this.code}]`;
  }
}

/** Wraps anything thrown into a HandoutError, keeping HandoutErrors as they are. */
export function toHandoutError(err: unknown, code: ErrorCode, where?: SourcePosition): HandoutError {
  if (err instanceof HandoutError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new HandoutError(code, message, { cause: err, ...(where ? { where } : {}) });
}
