/**
 * One error type for everything a user can get wrong or meet, with a permanent code,
 * a position in a file when there is one, and a hint that says what to do.
 *
 * Stages throw or return `HandoutError`s; only `cli.ts` prints them.
 */

/**
 * The catalogue of error codes, each with a title, the hint printed under its message, and
 * its messages: every message printed is one of these templates, its {placeholders} filled
 * in where the error is made (a message may carry a hint of its own). Codes are permanent:
 * docs/errors.md (generated from this: npm run docs:errors) and CI logs refer to them.
 */
export const ERRORS = {
  YAML_SYNTAX: {
    title: 'The YAML cannot be read',
    hint: 'Fix the YAML syntax at the position shown (indent with spaces, quote text containing ": " or "#").',
    messages: {
      parser: '{detail}',
      cannotParse: 'cannot parse YAML: {detail}',
    },
  },
  YAML_DUPLICATE_KEY: {
    title: 'A key appears twice',
    hint: 'Each key may appear once; remove or rename the repeated key.',
    messages: {
      parser: '{detail}',
    },
  },
  YAML_UNSUPPORTED: {
    title: 'YAML features handouts do not use',
    hint: 'Handouts are plain YAML: one document, no tags (!include, !!js/…), no anchors used as templates.',
    messages: {
      parser: '{detail}',
      secondDocument: {
        message: 'the file holds more than one YAML document (a second "---")',
        hint: 'Put one handout in each file; remove the second "---" and what follows, or move it to its own file.',
      },
      tooManyAliases: 'too many aliases (more than {max}): {detail}',
      tooDeep: 'the YAML is nested too deeply to be a handout',
    },
  },
  FILE_UNREADABLE: {
    title: 'A file cannot be read',
    hint: 'Check that the file exists, is a regular file and is readable.',
    messages: {
      detail: '{detail}',
      cannotRead: 'cannot read file ({detail})',
      ledger: '{file} cannot be read: {detail}',
      notFound: 'file not found: {file}',
      outside: '{file} points outside {root} (to {real})',
      notRegular: '{file} is not a regular file',
    },
  },
  FILE_ENCODING: {
    title: 'A file is not UTF-8 text',
    hint: 'Save the file as UTF-8 text.',
    messages: {
      notUtf8: {
        message: 'the file is not valid UTF-8 (byte 0x{byte} at offset {offset} is not part of any character)',
        hint: 'Save the file as UTF-8 text (an editor set to another encoding, e.g. Latin-1 or UTF-16, writes bytes like this).',
      },
      nul: 'the file contains a NUL byte; it is binary, not text',
    },
  },
  FILE_TOO_LARGE: {
    title: 'A file is too large to be a handout',
    hint: 'Handouts are one page: a file this large is almost certainly not a handout.',
    messages: {
      tooLarge: '{file} is {size}; the limit is {limit}',
    },
  },
  SCHEMA: {
    title: 'A field is missing, unknown or of the wrong kind',
    hint: 'See `handout schema` for the fields a handout may have.',
    messages: {
      field: '{field}: {detail}',
      unknownField: '{field}: unknown field "{key}"',
      emptyFile: 'the file is empty; expected a handout (title, warning, exercises, …)',
      noExercise: 'a handout needs at least one exercise',
      ledger: {
        message: '{file}: {detail}',
        hint: 'This file is written by `handout translations --mark`. Undo the hand edit (git checkout), or mark the translations again.',
      },
      sender: {
        message: 'email: "{address}" cannot be used as the sender of an e-mail',
        hint: 'Give one plain address the clinic reads, like desk@clinic.example, or set HANDOUT_MAIL_FROM.',
      },
    },
    /** The hint instead of the code's when the file is not a handout but one of these. */
    hintFor: {
      program: 'See `handout schema program` for the fields of a program.',
      exercise: 'See `handout schema exercise` for the fields of a library exercise.',
      prescription:
        'A prescription is the .yaml file `handout program` writes beside the sheet: program or exercises, locale, patient and, if given, page_size, large_print, clinician, date and split.',
    },
  },
  BAD_NAME: {
    title: 'A file or folder name the tool cannot use',
    hint: 'Name files and folders like content/en/lower-back-relief.yaml: lowercase letters, digits and dashes.',
    messages: {
      linkedLocale: {
        message: 'this locale folder is a symbolic link (to {target}); its handouts are not built',
        hint: 'Locale folders must be real folders inside the content folder: copy or move the handouts there.',
      },
      notLocale: {
        message: '"{locale}" is not a locale code (expected e.g. en, es, pt-BR)',
        hint: 'Locale folders are named by language code: content/en/, content/es/. Rename or move the folder.',
      },
      notProgramLocale: {
        message: '"{locale}" is not a locale code (expected e.g. en, es, pt-BR)',
        hint: 'Saved programs are content/programs/<locale>/<name>.yaml: name the folder by language code.',
      },
      handoutFileName: {
        message: '"{name}" is not a valid handout file name',
        hint: 'Name handouts like lower-back-relief.yaml: lowercase letters, digits and dashes, ending in .yaml.',
      },
      programFileName: {
        message: '"{name}" is not a valid program file name',
        hint: 'Name programs like low-back-week-1.yaml: lowercase letters, digits and dashes, ending in .yaml.',
      },
      doubleDash: {
        message: '"{name}" contains "--", which is reserved for the names of personal copies',
        hint: 'Use single dashes, e.g. {single}.yaml: "{slug}" could collide with a personal copy of another handout.',
      },
    },
  },
  UNKNOWN_LOCALE: {
    title: 'No string catalog for this locale',
    hint: 'Add a string catalog templates/locales/<locale>.yaml, or move the handout to a locale that has one.',
    messages: {
      noCatalog: {
        message: 'no string catalog for locale "{locale}" (looked for {file})',
        hint: 'Add {file} with the strings of this language (copy a built-in catalog to start), or put the handouts in a folder named after a locale that has one: {known}.',
      },
      handoutLocale: 'the handout is in locale "{locale}", which has no string catalog ({file})',
    },
  },
  CATALOG: {
    title: 'A string catalog is broken',
    hint: 'Fix the string catalog: every UI string must be present and be text.',
    messages: {
      missingStrings: {
        message: 'locale {locale} is missing {count} {strings} ({list})',
        hint: 'Every string must be in the {locale} catalog: the others fall back to it.',
      },
      fields: '{first}{more}',
    },
  },
  CATALOG_INCOMPLETE: {
    title: 'A string catalog lacks some strings',
    hint: 'Translate the missing keys; --strict makes this an error.',
    messages: {
      missingStrings: {
        message: 'locale {locale} is missing {count} {strings} ({list}); the {fallback} text is printed instead',
        hint: 'Translate the missing keys into {file}; --strict makes this an error.',
      },
    },
  },
  TRANSLATION_MISSING: {
    title: 'A handout is missing in a locale',
    hint: 'Translate the handout into this locale; or, if the clinic does not offer it in this locale, say so in clinic.yaml (locales, or handout_locales for one handout); or build with --locale to leave the locale out.',
    messages: {
      lacking: 'locale {locale} lacks {count} {handouts} that other locales have: {list}',
    },
  },
  TRANSLATION_STALE: {
    title: 'A translation was made from an older version of its source',
    hint: 'Bring the translation in line with the fields of the source that changed, then record it: `handout translations --mark <locale> <slug>`.',
    messages: {
      stale: {
        message: 'translated from an older {source}: changed since then: {fields}',
        hint: 'Bring these fields of the translation in line with the source, then record it: `{mark}`.',
      },
    },
  },
  TRANSLATION_UNTRACKED: {
    title: 'A translation does not record which version of its source it was made from',
    hint: 'Compare it with its source; when it matches, record it: `handout translations --mark <locale> <slug>` (add --reviewed-by "Name" once a qualified translator has reviewed it).',
    messages: {
      untracked: {
        message: 'a translation of {source} that does not record which version of it it was made from',
        hint: 'Compare it with its source; when it matches, record it: `{mark}` (with --reviewed-by "Name" once a qualified translator has reviewed it).',
      },
    },
  },
  TRANSLATION_DRAFT: {
    title: 'A draft translation was refused by --reviewed-only',
    hint: 'Have a qualified translator review it, then record the review: `handout translations --mark <locale> <slug> --reviewed-by "Name"`; or build without --reviewed-only.',
    messages: {
      draft: {
        message: 'a draft translation (not yet reviewed by a qualified translator): --reviewed-only prints reviewed translations only',
        hint: '`handout translations` shows which of its parts is a draft; once reviewed: `handout translations --mark {locale} {slug} --reviewed-by "Name"` (and each exercises/<id> it uses).',
      },
    },
  },
  UNKNOWN_EXERCISE: {
    title: 'A handout uses an exercise the library does not have',
    hint: 'Add the exercise to the library as content/exercises/<locale>/<id>.yaml (`handout schema exercise` lists its fields), correct the id (the file name without .yaml), or write the exercise out in the handout.',
    messages: {
      unknown: {
        message: 'unknown exercise "{id}" (no {candidates}){didYouMean}',
        hint: 'Add the exercise to the library as {file} (name, steps and the rest, as in a handout: `handout schema exercise`), or write it out in the handout. {library}',
      },
      libraryNotRead: 'exercise "{id}" is from the library, which was not read',
    },
  },
  UNKNOWN_PROGRAM: {
    title: 'No saved program of that name',
    hint: 'Saved programs are content/programs/<locale>/<name>.yaml: correct the name, add the program, or give library exercise ids instead (`handout program knee-to-chest glute-bridge …`).',
    messages: {
      unknown: 'no saved program "{name}" for {locale} (no {file}){didYouMean}',
    },
  },
  ASSET_MISSING: {
    title: 'An illustration or logo is missing',
    hint: 'Add the file to the illustrations folder, or correct the id (the file name without extension).',
    messages: {
      notFound: 'file not found: {file}',
      illustration: 'illustration "{id}" not found (looked for {id}.svg, .png, .jpg in {folder})',
    },
  },
  ASSET_UNSAFE: {
    title: 'An illustration or logo is not a plain picture file inside its folder',
    hint: 'Illustrations must be regular .svg, .png or .jpg files inside the illustrations folder.',
    messages: {
      detail: '{detail}',
      notAnImage: '{file} is not an .svg, .png or .jpg file',
      invalid: '{file} is not a valid .{ext} file',
      outside: '{file} points outside {root} (to {real})',
      notRegular: '{file} is not a regular file',
    },
  },
  SVG_TEXT: {
    title: 'A drawing contains text',
    hint: 'Convert text to paths in your drawing program (Inkscape: Path > Object to Path; Illustrator: Type > Create Outlines), or remove it; words belong in the handout, where they are translated.',
    messages: {
      text: '{subject} has text in it: "{found}" ({element}{inside} at {place}); text in a picture cannot use the handout\'s fonts',
    },
  },
  SVG_LINK: {
    title: 'A drawing links to something outside it',
    hint: 'Embed linked images instead of linking them (Inkscape: Extensions > Images > Embed Images; Illustrator: Embed in the Links panel), or export the drawing as PNG.',
    messages: {
      link: '{subject} links to {url} ({via}{inside} at {place}); a picture must hold everything it shows, linked files are not printed',
    },
  },
  SVG_SYNTAX: {
    title: 'A drawing is not well-formed SVG',
    hint: 'Open the file in your drawing program and save it again (Inkscape: File > Save As > Plain SVG), or fix the XML at the position shown.',
    messages: {
      embedded: '{subject} embeds a picture that is not {what} ({inside} at {place}): {detail}',
      notSvg: '{subject} is not {what} ({place}): {detail}',
    },
  },
  TEMPLATE: {
    title: 'A template is broken',
    hint: 'Fix the template at the position shown; handout text is always escaped, so use {{name}}, not {{{name}}}.',
    messages: {
      handlebars: '{detail}',
      notFound: {
        message: 'template not found: {file}',
        hint: 'Point --templates at a folder with handout.hbs, partials/, styles/ and locales/.',
      },
      noHead: {
        message: 'the layout template has no <head> element',
        hint: 'Keep the <head> element of the layout template: the build puts the fonts, styles and security policy there.',
      },
      siteNoHead: {
        message: 'the site template has no <head> element',
        hint: 'Keep the <head> element of templates/site/index.hbs: the build puts the fonts and the security policy there.',
      },
      fontList: {
        message: 'the font list: {detail}',
        hint: 'List families with their @fontsource stylesheets, e.g. "@fontsource/noto-sans/400.css".',
      },
      fontFamily: '{spec} declares font-family "{declared}", not "{family}"',
      noWoff2: '{spec}: an @font-face rule has no .woff2 source',
      fontNotFound: {
        message: 'font stylesheet not found: {spec}',
        hint: 'Install the font package (npm install {package}) or fix the name.',
      },
    },
  },
  BROWSER_NOT_FOUND: {
    title: 'No browser to print with',
    hint: 'Install Chromium (Debian/Ubuntu: apt-get install chromium) or Chrome, or point --chrome / HANDOUT_CHROME at it.',
    messages: {
      notExecutable: '{via} points at {path}, which is not an executable browser',
      none: {
        message: 'no Chrome or Chromium found to print with',
        hint: 'Install one (Debian/Ubuntu: apt-get install chromium; macOS or Windows: install Google Chrome), or point --chrome or HANDOUT_CHROME at a Chrome/Chromium executable (`npx @puppeteer/browsers install chrome@stable` downloads one and prints its path).',
      },
      notGiven: 'no browser to launch was given',
    },
  },
  BROWSER: {
    title: 'The browser failed',
    hint: 'The browser failed; run again with --verbose for details.',
    messages: {
      detail: '{detail}',
      serverStopping: 'the preview server is stopping',
      buildStopped: 'the build was stopped',
      starting: 'the browser failed while starting: {detail}',
      connect: {
        message: 'could not connect to the browser at {endpoint}: {detail}',
        hint: 'Start Chrome with --remote-debugging-port=9222 (and --headless) and pass the ws://… address it prints after "DevTools listening on", or leave out --browser-ws-endpoint to launch a local browser.',
      },
      launch: 'could not start the browser at {path}: {detail}',
      printing: 'printing failed: {detail}',
      measuring: 'measuring failed: {detail}',
    },
  },
  BLOCKED_REQUEST: {
    title: 'A page tried to load something',
    hint: 'Handouts render offline: templates and illustrations may not load anything from the network or the disk. Remove the reference.',
    messages: {
      blocked: 'the page tried to load {urls}; blocked',
    },
  },
  PRINT_TIMEOUT: {
    title: 'Printing took too long',
    hint: 'The page took too long to print; look for very large images or CSS that never finishes laying out.',
    messages: {
      tookTooLong: 'printing took longer than {seconds} s',
      printing: 'printing failed: {detail}',
      measuring: 'measuring failed: {detail}',
    },
  },
  NOT_ONE_PAGE: {
    title: 'A sheet does not fit its page',
    hint: 'Shorten the text (steps, considerations, alternatives) or split the handout into two. A personal program may instead be printed on consecutive complete sheets: `handout program … --split`.',
    messages: {
      pages: {
        message: 'does not fit on {pages} (needs about {needs} pages{how}); shorten steps or split the handout',
        hint: 'Shorten the steps, considerations or alternatives, or split the handout into two.',
      },
      measured: 'does not fit on {pages} ({how}); not written',
      linesOver: {
        message: 'does not fit on {pages}: about {over} {lines} too long {how}; longest parts: {longest}',
        hint: 'Shorten the longest parts by {over} {lines} or more (fewer or shorter steps, tips or alternatives), or split the handout into two.',
      },
      notesNoRoom: {
        message: 'notes: a sheet with the notes and only exercises[{index}] {how}, and no other sheet has room for them; nothing was written',
        hint: 'Shorten the notes (or exercise {number}), or give the advice in another handout. Type is never set smaller than the layout allows, and no safety text is left out to make room.',
      },
      savedProgram: {
        message: '{detail}: `handout program` prints this saved program only with --split',
        hint: 'Shorten the program (fewer exercises, shorter notes) to print it on one sheet, or print it with --split on consecutive complete sheets.',
      },
      exerciseNoRoom: {
        message: 'exercises[{index}]: even on a sheet of its own, it {how}; no number of sheets prints it, so nothing was written',
        hint: 'Shorten exercise {number} (fewer or shorter steps, a shorter caution), or leave it out of this program. Type is never set smaller than the layout allows, and no safety text is left out to make room.',
      },
    },
  },
  WRITE_IN_TOO_LONG: {
    title: 'A write-in value is too long for its line',
    hint: 'Shorten the value (initials, or a first name and surname), so that it fits its line of the write-in box.',
    messages: {
      tooLong: 'the write-in box\'s "{label}" line holds about {fits} characters; the value given has {length}',
    },
  },
  IMAGE_NOT_LOADED: {
    title: 'A picture did not draw',
    hint: 'Open the picture in a browser to see whether it draws; save it again from your drawing program as plain SVG, PNG or JPEG.',
    messages: {
      notLoaded: '{images} did not load, so the sheet would print a broken-image icon; not written',
    },
  },
  SAFETY_TEXT_MISSING: {
    title: 'A safety text is missing from the PDF',
    hint: 'A safety text did not make it into the PDF. Check that the template prints the warning, pain warning, disclaimer and per-exercise line, and that nothing hides them.',
    messages: {
      missing: 'the printed PDF is missing {texts}; not written',
    },
  },
  GLYPH_MISSING: {
    title: 'A character has no font',
    hint: 'Add a font that covers this character to templates/fonts.yaml (e.g. an @fontsource Noto font for the script), or fix the text.',
    messages: {
      noFont: 'no embedded font can draw {characters}{more} (locale {locale}); it would print as an empty box or in a system font',
      fallback: 'the PDF uses {fonts}, not one of the embedded fonts (locale {locale}): some characters fell back to a system font',
    },
  },
  TEXT_LOST: {
    title: "Text did not survive into the PDF's text",
    hint: 'Characters of the handout did not survive into the PDF. Check the fonts in templates/fonts.yaml and the font-family in the styles.',
    messages: {
      lost: '{characters} did not survive into the PDF (locale {locale})',
      softHyphens: {
        message: 'the PDF\'s text holds {count} {hyphens} (U+00AD), e.g. "{example}": searching, copying and screen readers get the words broken (locale {locale})',
        hint: 'Remove soft hyphens (U+00AD, &shy;) from the handout and the templates: words are never hyphenated, a long word wraps on its own.',
      },
      unmapped: {
        message: '{count} {glyphs} of the PDF {have} no Unicode mapping, e.g. "{example}": every reader gets U+0000 there (locale {locale})',
        hint: 'A font draws these characters with glyphs its character map does not name (a ligature, a composed letter, a glyph of another slice): choose another font in templates/fonts.yaml, or switch the font feature off in templates/styles/text-layer.css.',
      },
      brokenWords: {
        message: '{count} {words} of the safety texts {do} not come back whole from the PDF\'s text: {list} (locale {locale})',
        hint: 'A word is split, joined to its neighbour or spelled with other characters in the PDF\'s text: look for letter-spacing, word-spacing or font features in the styles, or a font in templates/fonts.yaml that maps its glyphs badly.',
      },
    },
  },
  READING_LEVEL: {
    title: "A sheet reads above the clinic's target grade",
    hint: 'Shorten the sentences named (one idea each, about 15 words) and use everyday words of one or two syllables ("physio" for "physiotherapist", "hurt" for "injure"); keep a medical word the patient must know and say what it means. The target is reading_grade in clinic.yaml.',
    messages: {
      wholeOver: '{sheet} reads at {grade}, above the clinic\'s target of grade {target}{mostIn}{sentences}{longWords}',
      partsOver: '{sheet} reads above the clinic\'s target of grade {target} in {parts}; the whole sheet reads at {grade}{sentences}{longWords}',
    },
  },
  LONG_SENTENCE: {
    title: 'A sentence is too long',
    hint: 'Split the sentence into two or three short ones, one idea each: patients read short sentences more easily and miss less.',
    messages: {
      long: '{field}: a sentence of {words} words: "{start}"',
    },
  },
  STEP_NOT_ACTION: {
    title: 'A step does not start with an action',
    hint: 'Start each step with what to do ("Bend your knees"), not with a description ("Your knees should be bent"); put what the patient will feel in a sentence after the action.',
    messages: {
      notAction: '{field}: the step does not start with an action: "{start}" starts with "{first}"',
    },
  },
  PASTED_NUMBERING: {
    title: 'Numbering or a bullet was pasted into the text',
    hint: 'Remove the number or bullet at the start: the sheet numbers steps and marks list items itself, so a pasted one prints twice ("1. 2. Bend…").',
    messages: {
      pasted: '{field}: the {item} starts with pasted numbering or a bullet, "{marker}"',
    },
  },
  INVISIBLE_CHARACTER: {
    title: 'An invisible character is in the text',
    hint: 'Delete the invisible character (text pasted from Word or a web page brings them): it can split or join words in the PDF, in search and for screen readers. If your editor does not show it, retype the words around it.',
    messages: {
      invisible: '{field}: an invisible character, {name},{place}',
    },
  },
  ALL_CAPS: {
    title: 'Words in capitals',
    hint: 'Write it in small letters, with a capital only where a sentence or a name starts; to make it stand out, use bold or move it into the warning or a caution. Words in capitals are harder to read (CMS Toolkit, guideline 6.5).',
    messages: {
      capitals: '{field}: words in capitals: "{words}"',
    },
  },
  WRITE: {
    title: 'An output file cannot be written',
    hint: 'Check that the output folder is writable and the disk is not full.',
    messages: {
      cannotWrite: 'cannot write {file}: {detail}',
    },
  },
  FILE_EXISTS: {
    title: 'A file `handout init` would write is already there',
    hint: 'init never writes over a file: run it in a new or empty folder (`npx handout init my-clinic`), move the files named out of the way, or pass --force to replace them with the starter files (other files are left alone).',
    messages: {
      cannotWrite: 'cannot write {file}: {detail}',
      alreadyThere: 'already there, and init writes over no file: it wrote nothing',
      someAlreadyThere: '{count} of the starter\'s files are already there, and init writes over no file: it wrote nothing. Already there: {list}',
    },
  },
  OUTPUT_COLLISION: {
    title: 'Two handouts would be written to the same file',
    hint: 'Two handouts would be written to the same file: build each content folder into its own --out folder, or rename one of them.',
    messages: {
      collision: '{target} is the output of {other}, a handout of another content folder; building {file} would overwrite it',
    },
  },
  NO_CONTENT: {
    title: 'No handouts found',
    hint: 'Put handouts at <content>/<locale>/<slug>.yaml, or point --content at the folder that holds them.',
    messages: {
      detail: '{detail}',
      noFolder: 'content folder not found: {folder}',
      noLocale: {
        message: 'no handouts for locale "{locale}" (there is no folder {folder})',
        hint: 'Locales with handouts here: {locales}.',
      },
      noHandout: {
        message: 'no handout named "{slug}"{inLocales}',
        hint: 'Check the spelling given to --only; it is the file name without .yaml.',
      },
      noneBuilt: {
        message: 'no handouts built by this version of handout here (no .handout-cache*.json)',
        hint: 'Run `handout build` (or each `handout build --shard k/n`) into this folder first, with the same version of handout.',
      },
    },
  },
  USAGE: {
    title: 'The command line is not right',
    hint: 'Run `handout --help` for usage.',
    messages: {
      portInUse: {
        message: 'port {port} on {host} is already in use',
        hint: 'Pick another port with --port, or --port 0 for any free one.',
      },
      cannotListen: 'cannot listen on {host}:{port}: {detail}',
      noPatientName: 'type the patient\'s name: a program is printed for one patient',
      sourceLocale: {
        message: '{locale} is the source locale: its files are not translations',
        hint: 'Mark a translation: --mark <locale> with a locale other than {locale}.',
      },
      notARef: {
        message: '"{ref}" is not a handout, exercises/<id> or programs/<name> of the content folder',
        hint: 'Give a handout slug (lower-back-relief), exercises/<id> (exercises/knee-to-chest) or programs/<name>; `handout translations` lists them.',
      },
      noTranslation: {
        message: '{ref} has no {locale} translation to mark',
        hint: 'Write it first, as the {locale} version of {source}.',
      },
      original: '{ref} has no {sourceLocale} source: {file} is an original, not a translation',
      sourceUnreadable: {
        message: '{source} cannot be read, so {file} cannot be recorded as its translation',
        hint: 'Fix the source first (`handout check` says what is wrong).',
      },
      notExerciseId: {
        message: '"{arg}" is not an exercise id (its file name in content/exercises/<locale>/ without .yaml)',
        hint: 'Give a saved program\'s name, or library exercise ids such as knee-to-chest, each optionally with its dose: knee-to-chest:reps=5,sets=2.',
      },
      badDose: {
        message: '"{arg}": expected key=value pairs after "{id}:", got "{part}"',
        hint: 'The dose of an exercise given by id: {id}:reps=10,sets=2; the keys are {keys}. Quote it if it has spaces: "{id}:frequency=Twice a day".',
      },
      needsTo: {
        message: '{flag} needs --to: the patient\'s e-mail address',
        hint: 'e.g. --to maria@example.org',
      },
      fromAndProgram: 'give either --from or a program ({args}), not both',
      noProgram: {
        message: 'no program: give a saved program\'s name, library exercise ids, or --from <file.yaml>',
        hint: 'e.g. `handout program low-back-week-1 --patient "Maria Lopez"` or `handout program knee-to-chest glute-bridge --patient "Maria Lopez"`.',
      },
      noPatient: {
        message: 'no patient: a personal program is printed for one patient (--patient "Maria Lopez")',
        hint: 'For a blank sheet to hand out to anyone, write the program as a handout (content/<locale>/<slug>.yaml with "- exercise: <id>" references) and build it.',
      },
      reviewedOnAlone: '--reviewed-on needs --reviewed-by: who reviewed it',
      refsWithoutMark: {
        message: 'refs ({refs}) are given with --mark only',
        hint: 'e.g. handout translations --mark es knee-to-chest',
      },
      notBuilt: 'cannot e-mail {locale}/{slug}: the build produced no such handout',
      smtpTimeout: {
        message: 'HANDOUT_SMTP_TIMEOUT must be a number of seconds above 0 and at most 600, not "{value}"',
        hint: 'Leave it unset for {seconds} s, or set e.g. HANDOUT_SMTP_TIMEOUT=60 for a slow server.',
      },
      noSmtp: {
        message: 'no SMTP server configured: set HANDOUT_SMTP_URL (e.g. smtps://user:password@mail.example.org)',
        hint: 'The server is read only from the environment, so no password is ever kept in content files.',
      },
      smtpUrl: 'HANDOUT_SMTP_URL is not a valid URL (expected smtp://… or smtps://…)',
      badAddress: {
        message: '{field}: "{address}" is not a valid e-mail address',
        hint: 'Give one plain address, like patient@example.org.',
      },
      noSender: {
        message: 'no sender address: set email in clinic.yaml, or HANDOUT_MAIL_FROM',
        hint: 'Patients reply to this address, so use one the clinic reads.',
      },
    },
  },
  INTERNAL: {
    title: 'A bug in handout',
    hint: 'This is a bug in handout, not a mistake in your handout. Please report it with the command you ran and the output of the same command with --verbose.',
    messages: {
      bug: 'internal error in handout (not in this handout): {detail}',
      starterMissing: 'the starter files shipped with handout are missing ({folder}): {detail}',
      nothingToAttach: 'composeEmail: no PDF to attach',
    },
  },
  EMAIL: {
    title: 'The e-mail could not be sent',
    hint: 'Check HANDOUT_SMTP_URL and that the server accepts mail from this machine; nothing was sent.',
    messages: {
      unconfirmed: {
        message: 'the message went to {server}, but timed out waiting for the server to confirm it, after {after}: it may or may not have been delivered',
        hint: 'Check the clinic\'s sent mail or ask the patient before sending it again, so that it does not arrive twice; {limit}.',
      },
      timedOutConnecting: {
        message: 'could not send the message through {server}: timed out connecting, after {after}; nothing was sent',
        hint: 'Check the host and port in HANDOUT_SMTP_URL and that this network lets mail out (firewalls often drop ports 25, 465 and 587); {limit}.',
      },
      timedOutGreeting: {
        message: 'could not send the message through {server}: timed out waiting for the server\'s greeting (it took the connection, then said nothing), after {after}; nothing was sent',
        hint: 'Check that HANDOUT_SMTP_URL names an SMTP server and its port (smtps:// for port 465, where the server waits for TLS first); {limit}.',
      },
      timedOutStarttls: {
        message: 'could not send the message through {server}: timed out setting up encryption (STARTTLS), after {after}; nothing was sent',
        hint: 'The server may be overloaded or down: try again in a few minutes, or ask whoever runs it; {limit}.',
      },
      timedOutAnswer: {
        message: 'could not send the message through {server}: timed out waiting for the server\'s answer{toWhat}, after {after}; nothing was sent',
        hint: 'The server may be overloaded or down: try again in a few minutes, or ask whoever runs it; {limit}.',
      },
      refused: 'could not send the message through {server}: the connection was refused',
      answered: 'could not send the message through {server}: the server answered {answer}',
      connectionFailed: 'could not send the message through {server}: the connection failed ({detail})',
      tooLarge: {
        message: 'the PDF is {size}, over the {limit} limit for e-mail',
        hint: 'Raise --max-size if the receiving mail server accepts it, or share the PDF another way.',
      },
    },
  },
} as const satisfies Record<string, { title: string; hint: string; messages: Record<string, Message>; hintFor?: Record<string, string> }>;

export type ErrorCode = keyof typeof ERRORS;

/**
 * A message of the catalogue: a template with {placeholders}, or one with the hint that
 * fits it better than its code's.
 */
type Message = string | { readonly message: string; readonly hint: string };

/**
 * Messages any code may carry: they add where or when to another error's message, which
 * keeps its code (a schema error inside a library exercise is still SCHEMA).
 */
export const CONTEXT_MESSAGES = {
  alsoOnRetry: '{message} (also on a retry)',
  inLibraryExercise: '{message} (in the library exercise that {handout} uses as exercises[{index}])',
  orSavedProgram: '{message} (or the saved program "{suggestion}"?)',
  onCommandLine: '{argument}{message}',
} as const satisfies Record<string, Message>;

type Catalogue = typeof ERRORS;
type ContextKey = keyof typeof CONTEXT_MESSAGES;
/** The message keys a code (or every code of a union) may use. */
export type MessageKey<C extends ErrorCode> = (keyof Catalogue[C]['messages'] & string) | ContextKey;
type MessageOf<C extends ErrorCode, K> = K extends ContextKey
  ? (typeof CONTEXT_MESSAGES)[K]
  : Catalogue[C]['messages'][K & keyof Catalogue[C]['messages']];
type TemplateOf<M> = M extends string ? M : M extends { message: infer T extends string; hint: infer H extends string } ? `${T} ${H}` : never;
/** The {placeholders} of a template: 'a {x} b {y}' → 'x' | 'y'. */
export type Placeholders<S> = S extends `${string}{${infer P}}${infer R}` ? P | Placeholders<R> : never;
export type Value = string | number;
export type MessageParams<C extends ErrorCode, K> = { [P in Placeholders<TemplateOf<MessageOf<C, K>>>]: Value };
/** Parameters may be left out only when the message has none. */
type Arguments<C extends ErrorCode, K> = [Placeholders<TemplateOf<MessageOf<C, K>>>] extends [never]
  ? [params?: Record<string, never>, options?: HandoutErrorOptions]
  : [params: MessageParams<C, K>, options?: HandoutErrorOptions];

/** Where an error is: a file and, when known, a 1-based line and column. */
export interface SourcePosition {
  file: string;
  line?: number;
  col?: number;
}

export interface HandoutErrorOptions {
  where?: SourcePosition;
  /** Overrides the catalogue's hint when a more specific one is computed (e.g. did-you-mean). */
  hint?: string;
  cause?: unknown;
}

/** Fills a template's {placeholders}; one pass, so a value that holds braces stays as it is. */
export function formatMessage(template: string, params: Readonly<Record<string, Value>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

/** The template and the message's own hint, if any, of a code's message. */
export function messageTemplate(code: ErrorCode, key: string): { message: string; hint?: string } {
  const messages: Record<string, Message> = { ...CONTEXT_MESSAGES, ...ERRORS[code].messages };
  const entry = messages[key];
  if (entry === undefined) throw new TypeError(`no message "${key}" for ${code} in the error catalogue`);
  return typeof entry === 'string' ? { message: entry } : entry;
}

/** What a HandoutError is made of: plain data, so it can cross to a worker and back. */
export interface HandoutErrorData {
  code: ErrorCode;
  key: string;
  params: Record<string, Value>;
  where?: SourcePosition;
  hint?: string;
}

class CataloguedError extends Error {
  readonly code: ErrorCode;
  /** The message's key in the catalogue and its parameters: the message is made from them. */
  readonly key: string;
  readonly params: Readonly<Record<string, Value>>;
  readonly where: SourcePosition | undefined;
  readonly hint: string;

  constructor(code: ErrorCode, key: string, params: Readonly<Record<string, Value>> = {}, options: HandoutErrorOptions = {}) {
    const template = messageTemplate(code, key);
    super(formatMessage(template.message, params), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HandoutError';
    this.code = code;
    this.key = key;
    this.params = params;
    this.where = options.where;
    this.hint = options.hint ?? (template.hint === undefined ? ERRORS[code].hint : formatMessage(template.hint, params));
  }

  /**
   * The same error with another position, hint or parameters: e.g. an illustration's error
   * pointed at each handout that names it. The message stays the catalogue's.
   */
  with(change: { where?: SourcePosition; hint?: string; params?: Readonly<Record<string, Value>>; cause?: unknown }): HandoutError {
    const where = change.where ?? this.where;
    const cause = change.cause ?? this.cause;
    return new CataloguedError(this.code, this.key, { ...this.params, ...change.params }, {
      hint: change.hint ?? this.hint,
      ...(where ? { where } : {}),
      ...(cause === undefined ? {} : { cause }),
    });
  }

  /** This error as plain data (see HandoutError.from). */
  toData(): HandoutErrorData {
    return { code: this.code, key: this.key, params: { ...this.params }, hint: this.hint, ...(this.where ? { where: this.where } : {}) };
  }

  /** An error again from its data (e.g. sent by the verifying worker). */
  static from(data: HandoutErrorData): HandoutError {
    return new CataloguedError(data.code, data.key, data.params, { ...(data.where ? { where: data.where } : {}), ...(data.hint ? { hint: data.hint } : {}) });
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
 * One error type for the whole tool. Its constructor takes a code, the key of one of the
 * code's messages and that message's parameters, checked by the compiler:
 * `new HandoutError('ASSET_UNSAFE', 'invalid', { file, ext }, { where })`.
 * (A class constructor cannot be generic in TypeScript, hence the typed alias of the class.)
 */
export type HandoutError = CataloguedError;
export const HandoutError = CataloguedError as unknown as {
  new <C extends ErrorCode, K extends MessageKey<C>>(code: C, key: K, ...args: Arguments<C, K>): HandoutError;
  readonly prototype: HandoutError;
  from(data: HandoutErrorData): HandoutError;
};

/** The codes that can wrap a foreign error's text: those with a '{detail}' message, and INTERNAL. */
type WrappingCode = 'INTERNAL' | { [C in ErrorCode]: 'detail' extends keyof Catalogue[C]['messages'] ? C : never }[ErrorCode];

/**
 * Wraps anything thrown into a HandoutError, keeping HandoutErrors as they are. Where only
 * a bug can throw anything else (the tool's own code, not the browser, the disk or the
 * network), pass INTERNAL: the message then says so instead of blaming the handout.
 */
export function toHandoutError(err: unknown, code: WrappingCode, where?: SourcePosition): HandoutError {
  if (err instanceof HandoutError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new CataloguedError(code, code === 'INTERNAL' ? 'bug' : 'detail', { detail }, { cause: err, ...(where ? { where } : {}) });
}
