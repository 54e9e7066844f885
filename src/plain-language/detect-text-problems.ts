/**
 * Plain-language problems that a rule can see in one text, as pure functions. Each rule
 * is deliberately simple enough to explain in one sentence, and errs towards saying
 * nothing: a check that cries wolf on good text is soon ignored.
 */
import { languageOf, sentencesOf, wordsOf } from './segment-text.js';

/**
 * Sentences longer than this many words are flagged. Plain-language guidance for patients
 * asks for short sentences, one idea each (PEMAT-P, CDC Clear Communication Index), about
 * 15–20 words on average. An average allows a longer sentence now and then, so a single
 * sentence is named only when it is clearly over: the shipped sheets' longest run to 21–25
 * words (a warning that lists symptoms, a translation of a 20-word English sentence), and
 * none of them is hard to follow.
 */
export const MAX_SENTENCE_WORDS = 25;

/**
 * Languages whose word segments are not words as a reader counts them, so that a count of
 * 20 means something else: Vietnamese is written a syllable at a time, and Chinese,
 * Japanese, Thai, Lao, Khmer and Burmese have no spaces (the segmenter's dictionary words
 * are shorter than a word a translator would count).
 */
const NO_WORD_LIMIT = new Set(['vi', 'zh', 'ja', 'th', 'lo', 'km', 'my']);

export interface LongSentence {
  sentence: string;
  words: number;
}

export function longSentences(text: string, locale: string, max = MAX_SENTENCE_WORDS): LongSentence[] {
  if (NO_WORD_LIMIT.has(languageOf(locale))) return [];
  return sentencesOf(text, locale)
    .map((sentence) => ({ sentence, words: wordsOf(sentence, locale).length }))
    .filter((s) => s.words > max);
}

/**
 * Words that start a description, not an action: articles, pronouns, possessives and
 * "there is". An English step starts with what to do ("Bend your knees", "Slowly lower…",
 * "With your thigh upright, …", "Cat: round your back"); "Your knees should be bent" or
 * "You will feel a stretch" describe. The rule cannot see every description ("Knees
 * bent"), but it never flags an imperative, which is what matters for a warning.
 */
const DESCRIPTION_STARTS = new Set([
  'a', 'an', 'the', 'this', 'that', 'these', 'those',
  'you', "you're", 'youre', "you'll", "you've", 'your', 'yours',
  'it', "it's", 'its', 'they', "they're", 'their', 'there', "there's",
  'he', 'she', 'we', 'i', 'my', 'our', 'his', 'her',
  'is', 'are', 'was', 'were', 'should', 'will', 'would', 'can', 'could', 'may', 'must',
]);

/** English only: the first word of a step that does not start with an action, or null. */
export function stepWithoutAction(step: string, locale: string): string | null {
  if (languageOf(locale) !== 'en') return null;
  // A label before a colon names the position ("Cat: slowly round your back"); the action follows it.
  const body = step.replace(/^[^:.!?]{1,20}:\s*/u, '');
  const first = wordsOf(body, locale)[0];
  if (!first) return null;
  return DESCRIPTION_STARTS.has(first.toLowerCase().replace(/\u2019/g, "'")) ? first : null;
}

/**
 * Numbering or a bullet pasted at the start of a step or list item, as text copied from a
 * numbered list in Word arrives: "2. Bend", "2) Bend", "(2) Bend", "a) Bend", "• Bring",
 * "- Bring", "Step 2: Bend". A number that is part of the text ("2 or 3 times", "1.5 kg")
 * is not numbering: numbering is followed by ".", ")" or ":" and a space.
 */
const NUMBERING = [
  /^\(?\p{Nd}{1,3}[.):]\s/u,
  /^\(?\p{L}\)\s/u,
  /^\p{Ll}\.\s/u,
  /^(?:step|paso|étape|schritt|passo|шаг)\s*\p{Nd}{1,3}\s*[.):-]?\s/iu,
  /^[•◦▪▫‣⁃●○■□►▸▶➢➤✓✔*·\-–—]\s?(?=\S)/u,
];

/** The pasted marker at the start of the text ("2.", "•"), or null. */
export function pastedNumbering(text: string): string | null {
  const trimmed = text.trimStart();
  for (const pattern of NUMBERING) {
    const match = pattern.exec(trimmed);
    // A lone "-" before a number is a minus sign or a range ("-5 degrees"), not a bullet.
    if (match && !/^[-–—]\p{Nd}/u.test(trimmed)) return match[0].trim();
  }
  return null;
}

/**
 * Characters that print as nothing yet change how the text is split, searched and read
 * aloud; Word and web pages leave them in pasted text. Not ZERO WIDTH NON-JOINER (U+200C)
 * or ZERO WIDTH JOINER (U+200D): Persian, Hindi and Arabic spelling needs them, as emoji
 * sequences do. Not the direction marks (U+200E, U+200F), which mixed right-to-left text needs.
 */
export const INVISIBLE_CHARACTERS: ReadonlyMap<string, string> = new Map([
  ['\u200B', 'ZERO WIDTH SPACE'],
  ['\u2060', 'WORD JOINER'],
  ['\uFEFF', 'ZERO WIDTH NO-BREAK SPACE (byte order mark)'],
  ['\u2028', 'LINE SEPARATOR'],
  ['\u2029', 'PARAGRAPH SEPARATOR'],
  ['\u00AD', 'SOFT HYPHEN'],
]);

export interface InvisibleCharacter {
  char: string;
  /** "U+200B ZERO WIDTH SPACE" */
  name: string;
  index: number;
  /** The words just before it, to find it by. */
  after: string;
}

export function invisibleCharacters(text: string): InvisibleCharacter[] {
  const found: InvisibleCharacter[] = [];
  // Every one of these characters is a single UTF-16 unit, so string indices are exact.
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    const name = INVISIBLE_CHARACTERS.get(char);
    if (!name) continue;
    const before = [...INVISIBLE_CHARACTERS.keys()].reduce((s, c) => s.replaceAll(c, ''), text.slice(0, index));
    const code = `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    found.push({ char, name: `${code} ${name}`, index, after: before.split(/\s+/).slice(-3).join(' ').trim() });
  }
  return found;
}

/**
 * Words in capitals that shout rather than name: two or more capitalised words in a row
 * ("DO NOT BOUNCE"), or one word of 6 letters or more ("WARNING", "ALWAYS"). A single short
 * word in capitals is an abbreviation far more often than a shout (PDF, GP, NHS, TENS,
 * COPD, NSAID), and is left alone. Only scripts with capitals are affected.
 */
export function shoutedCapitals(text: string, locale: string): string[] {
  const isCaps = (w: string) => [...w].length >= 2 && /^\p{Lu}+$/u.test(w.replace(/['’]/g, ''));
  const runs: string[] = [];
  // The run of capitalised words being read: where it starts and ends in the text, and its words.
  let run: { start: number; end: number; words: string[] } | null = null;
  const flush = () => {
    if (run && (run.words.length >= 2 || [...run.words[0]!].length >= 6)) runs.push(text.slice(run.start, run.end));
    run = null;
  };
  const segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
  for (const s of segmenter.segment(text)) {
    if (!s.isWordLike) {
      // Spaces and light punctuation between capitalised words keep a run going ("NOT, EVER").
      if (run && !/^[\s,!–—-]*$/u.test(s.segment)) flush();
      continue;
    }
    if (!isCaps(s.segment)) {
      flush();
      continue;
    }
    run ??= { start: s.index, end: s.index, words: [] };
    run.words.push(s.segment);
    run.end = s.index + s.segment.length;
  }
  flush();
  return runs;
}
