/**
 * One error type for everything a user can get wrong or meet, with a permanent code,
 * a position in a file when there is one, and a hint that says what to do.
 *
 * Stages throw or return `HandoutError`s; only `cli.ts` prints them.
 */

/**
 * The catalogue of error codes, each with a title and the hint printed under its message.
 * Codes are permanent: docs/errors.md (generated from this: npm run docs:errors) and CI
 * logs refer to them.
 */
export const ERRORS = {
  YAML_SYNTAX: {
    title: 'The YAML cannot be read',
    hint: 'Fix the YAML syntax at the position shown (indent with spaces, quote text containing ": " or "#").',
  },
  YAML_DUPLICATE_KEY: {
    title: 'A key appears twice',
    hint: 'Each key may appear once; remove or rename the repeated key.',
  },
  YAML_UNSUPPORTED: {
    title: 'YAML features handouts do not use',
    hint: 'Handouts are plain YAML: one document, no tags (!include, !!js/…), no anchors used as templates.',
  },
  FILE_UNREADABLE: {
    title: 'A file cannot be read',
    hint: 'Check that the file exists, is a regular file and is readable.',
  },
  FILE_ENCODING: {
    title: 'A file is not UTF-8 text',
    hint: 'Save the file as UTF-8 text.',
  },
  FILE_TOO_LARGE: {
    title: 'A file is too large to be a handout',
    hint: 'Handouts are one page: a file this large is almost certainly not a handout.',
  },
  SCHEMA: {
    title: 'A field is missing, unknown or of the wrong kind',
    hint: 'See `handout schema` for the fields a handout may have.',
  },
  BAD_NAME: {
    title: 'A file or folder name the tool cannot use',
    hint: 'Name files and folders like content/en/lower-back-relief.yaml: lowercase letters, digits and dashes.',
  },
  UNKNOWN_LOCALE: {
    title: 'No string catalog for this locale',
    hint: 'Add a string catalog templates/locales/<locale>.yaml, or move the handout to a locale that has one.',
  },
  CATALOG: {
    title: 'A string catalog is broken',
    hint: 'Fix the string catalog: every UI string must be present and be text.',
  },
  CATALOG_INCOMPLETE: {
    title: 'A string catalog lacks some strings',
    hint: 'Translate the missing keys; --strict makes this an error.',
  },
  TRANSLATION_MISSING: {
    title: 'A handout is missing in a locale',
    hint: 'Translate the handout into this locale; or, if the clinic does not offer it in this locale, say so in clinic.yaml (locales, or handout_locales for one handout); or build with --locale to leave the locale out.',
  },
  TRANSLATION_STALE: {
    title: 'A translation was made from an older version of its source',
    hint: 'Bring the translation in line with the fields of the source that changed, then record it: `handout translations --mark <locale> <slug>`.',
  },
  TRANSLATION_UNTRACKED: {
    title: 'A translation does not record which version of its source it was made from',
    hint: 'Compare it with its source; when it matches, record it: `handout translations --mark <locale> <slug>` (add --reviewed-by "Name" once a qualified translator has reviewed it).',
  },
  TRANSLATION_DRAFT: {
    title: 'A draft translation was refused by --reviewed-only',
    hint: 'Have a qualified translator review it, then record the review: `handout translations --mark <locale> <slug> --reviewed-by "Name"`; or build without --reviewed-only.',
  },
  UNKNOWN_EXERCISE: {
    title: 'A handout uses an exercise the library does not have',
    hint: 'Add the exercise to the library as content/exercises/<locale>/<id>.yaml (`handout schema exercise` lists its fields), correct the id (the file name without .yaml), or write the exercise out in the handout.',
  },
  UNKNOWN_PROGRAM: {
    title: 'No saved program of that name',
    hint: 'Saved programs are content/programs/<locale>/<name>.yaml: correct the name, add the program, or give library exercise ids instead (`handout program knee-to-chest glute-bridge …`).',
  },
  ASSET_MISSING: {
    title: 'An illustration or logo is missing',
    hint: 'Add the file to the illustrations folder, or correct the id (the file name without extension).',
  },
  ASSET_UNSAFE: {
    title: 'An illustration or logo is not a plain picture file inside its folder',
    hint: 'Illustrations must be regular .svg, .png or .jpg files inside the illustrations folder.',
  },
  SVG_TEXT: {
    title: 'A drawing contains text',
    hint: 'Convert text to paths in your drawing program (Inkscape: Path > Object to Path; Illustrator: Type > Create Outlines), or remove it; words belong in the handout, where they are translated.',
  },
  SVG_LINK: {
    title: 'A drawing links to something outside it',
    hint: 'Embed linked images instead of linking them (Inkscape: Extensions > Images > Embed Images; Illustrator: Embed in the Links panel), or export the drawing as PNG.',
  },
  SVG_SYNTAX: {
    title: 'A drawing is not well-formed SVG',
    hint: 'Open the file in your drawing program and save it again (Inkscape: File > Save As > Plain SVG), or fix the XML at the position shown.',
  },
  TEMPLATE: {
    title: 'A template is broken',
    hint: 'Fix the template at the position shown; handout text is always escaped, so use {{name}}, not {{{name}}}.',
  },
  BROWSER_NOT_FOUND: {
    title: 'No browser to print with',
    hint: 'Install Chromium (Debian/Ubuntu: apt-get install chromium) or Chrome, or point --chrome / HANDOUT_CHROME at it.',
  },
  BROWSER: {
    title: 'The browser failed',
    hint: 'The browser failed; run again with --verbose for details.',
  },
  BLOCKED_REQUEST: {
    title: 'A page tried to load something',
    hint: 'Handouts render offline: templates and illustrations may not load anything from the network or the disk. Remove the reference.',
  },
  PRINT_TIMEOUT: {
    title: 'Printing took too long',
    hint: 'The page took too long to print; look for very large images or CSS that never finishes laying out.',
  },
  NOT_ONE_PAGE: {
    title: 'A sheet does not fit its page',
    hint: 'Shorten the text (steps, considerations, alternatives) or split the handout into two. A personal program may instead be printed on consecutive complete sheets: `handout program … --split`.',
  },
  WRITE_IN_TOO_LONG: {
    title: 'A write-in value is too long for its line',
    hint: 'Shorten the value (initials, or a first name and surname), so that it fits its line of the write-in box.',
  },
  IMAGE_NOT_LOADED: {
    title: 'A picture did not draw',
    hint: 'Open the picture in a browser to see whether it draws; save it again from your drawing program as plain SVG, PNG or JPEG.',
  },
  SAFETY_TEXT_MISSING: {
    title: 'A safety text is missing from the PDF',
    hint: 'A safety text did not make it into the PDF. Check that the template prints the warning, pain warning, disclaimer and per-exercise line, and that nothing hides them.',
  },
  GLYPH_MISSING: {
    title: 'A character has no font',
    hint: 'Add a font that covers this character to templates/fonts.yaml (e.g. an @fontsource Noto font for the script), or fix the text.',
  },
  TEXT_LOST: {
    title: "Text did not survive into the PDF's text",
    hint: 'Characters of the handout did not survive into the PDF. Check the fonts in templates/fonts.yaml and the font-family in the styles.',
  },
  READING_LEVEL: {
    title: "A sheet reads above the clinic's target grade",
    hint: 'Shorten the sentences named (one idea each, about 15 words) and use everyday words of one or two syllables ("physio" for "physiotherapist", "hurt" for "injure"); keep a medical word the patient must know and say what it means. The target is reading_grade in clinic.yaml.',
  },
  LONG_SENTENCE: {
    title: 'A sentence is too long',
    hint: 'Split the sentence into two or three short ones, one idea each: patients read short sentences more easily and miss less.',
  },
  STEP_NOT_ACTION: {
    title: 'A step does not start with an action',
    hint: 'Start each step with what to do ("Bend your knees"), not with a description ("Your knees should be bent"); put what the patient will feel in a sentence after the action.',
  },
  PASTED_NUMBERING: {
    title: 'Numbering or a bullet was pasted into the text',
    hint: 'Remove the number or bullet at the start: the sheet numbers steps and marks list items itself, so a pasted one prints twice ("1. 2. Bend…").',
  },
  INVISIBLE_CHARACTER: {
    title: 'An invisible character is in the text',
    hint: 'Delete the invisible character (text pasted from Word or a web page brings them): it can split or join words in the PDF, in search and for screen readers. If your editor does not show it, retype the words around it.',
  },
  ALL_CAPS: {
    title: 'Words in capitals',
    hint: 'Write it in small letters, with a capital only where a sentence or a name starts; to make it stand out, use bold or move it into the warning or a caution. Words in capitals are harder to read (CMS Toolkit, guideline 6.5).',
  },
  WRITE: {
    title: 'An output file cannot be written',
    hint: 'Check that the output folder is writable and the disk is not full.',
  },
  FILE_EXISTS: {
    title: 'A file `handout init` would write is already there',
    hint: 'init never writes over a file: run it in a new or empty folder (`npx handout init my-clinic`), move the files named out of the way, or pass --force to replace them with the starter files (other files are left alone).',
  },
  OUTPUT_COLLISION: {
    title: 'Two handouts would be written to the same file',
    hint: 'Two handouts would be written to the same file: build each content folder into its own --out folder, or rename one of them.',
  },
  NO_CONTENT: {
    title: 'No handouts found',
    hint: 'Put handouts at <content>/<locale>/<slug>.yaml, or point --content at the folder that holds them.',
  },
  USAGE: {
    title: 'The command line is not right',
    hint: 'Run `handout --help` for usage.',
  },
  INTERNAL: {
    title: 'A bug in handout',
    hint: 'This is a bug in handout, not a mistake in your handout. Please report it with the command you ran and the output of the same command with --verbose.',
  },
  EMAIL: {
    title: 'The e-mail could not be sent',
    hint: 'Check HANDOUT_SMTP_URL and that the server accepts mail from this machine; nothing was sent.',
  },
} as const satisfies Record<string, { title: string; hint: string }>;

export type ErrorCode = keyof typeof ERRORS;

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
    this.hint = options.hint ?? ERRORS[code].hint;
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

/**
 * Wraps anything thrown into a HandoutError, keeping HandoutErrors as they are. Where only
 * a bug can throw anything else (the tool's own code, not the browser, the disk or the
 * network), pass INTERNAL: the message then says so instead of blaming the handout.
 */
export function toHandoutError(err: unknown, code: ErrorCode, where?: SourcePosition): HandoutError {
  if (err instanceof HandoutError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const said = code === 'INTERNAL' ? `internal error in handout (not in this handout): ${message}` : message;
  return new HandoutError(code, said, { cause: err, ...(where ? { where } : {}) });
}
