/**
 * Resolves a valid handout into everything the page shows: UI words from the locale's
 * catalog, defaults for the pain warning and disclaimer, formatted doses and embedded
 * illustrations. Also records the safety texts the verifier must find in the PDF.
 */
import { positionOf } from '../content/load-yaml.js';
import type { ValidHandout, HandoutSource } from '../content/validate-handout.js';
import { HandoutError } from '../errors.js';
import { fill, formatHold } from '../i18n/format-hold.js';
import type { Catalog } from '../i18n/load-catalog.js';
import { countOccurrences, normalizeText } from '../verify/normalize-text.js';
import type { IllustrationStore } from './load-illustration.js';

export type PageSize = 'A4' | 'Letter';
export const PAGE_SIZES: readonly PageSize[] = ['A4', 'Letter'];

export interface TitledText {
  title: string;
  text: string;
}

export interface ExerciseView {
  number: number;
  name: string;
  illustration: { src: string; alt: string } | null;
  steps: string[];
  hold: string | null;
  repeat: string | null;
  caution: string | null;
  stopIfPain: string;
}

/**
 * What the template sees. Every field is present (null or [] when empty), so the
 * template runs in Handlebars' strict mode and a typo in it is an error, not a blank.
 */
export interface HandoutView {
  lang: string;
  dir: 'ltr' | 'rtl';
  pageSize: PageSize;
  title: string;
  subtitle: string | null;
  category: string | null;
  summary: string | null;
  warning: TitledText;
  exercises: ExerciseView[];
  considerations: TitledText[];
  alternatives: TitledText[];
  painWarning: TitledText;
  disclaimer: TitledText;
  ui: { steps: string; repeat: string; caution: string; considerations: string; alternatives: string };
}

/** The texts that must survive into the PDF; the verifier reads the PDF back for these. */
export interface SafetyTexts {
  warning: string[];
  painWarning: string;
  disclaimer: string;
  stopIfPain: string;
  /** How often stopIfPain must appear: once per exercise plus wherever the content itself says it. */
  stopIfPainCount: number;
}

export interface ResolvedHandout {
  source: HandoutSource;
  view: HandoutView;
  safety: SafetyTexts;
}

export interface ResolveContext {
  catalog: Catalog;
  illustrations: IllustrationStore;
  pageSize: PageSize;
}

export async function resolveHandout(handout: ValidHandout, ctx: ResolveContext): Promise<ResolvedHandout> {
  const { data, source } = handout;
  const s = ctx.catalog.strings;
  const exercises = await Promise.all(
    data.exercises.map(async (ex, i): Promise<ExerciseView> => {
      const illustration = ex.illustration
        ? await ctx.illustrations.get(ex.illustration, positionOf(handout.yaml, ['exercises', i, 'illustration']))
        : null;
      return {
        number: i + 1,
        name: ex.name,
        illustration: illustration && { src: illustration.dataUrl, alt: fill(s.illustration_alt, { name: ex.name }) },
        steps: ex.steps,
        hold: ex.hold_seconds === undefined ? null : formatHold(ctx.catalog, ex.hold_seconds),
        repeat: ex.repeat ?? null,
        caution: ex.caution ?? null,
        stopIfPain: s.stop_if_pain,
      };
    }),
  );
  const view: HandoutView = {
    lang: source.locale,
    dir: s.dir,
    pageSize: ctx.pageSize,
    title: data.title,
    subtitle: data.subtitle ?? null,
    category: data.category ?? null,
    summary: data.summary ?? null,
    warning: data.warning,
    exercises,
    considerations: data.considerations ?? [],
    alternatives: data.alternatives ?? [],
    painWarning: { title: s.pain_warning_title, text: data.pain_warning ?? s.default_pain_warning },
    disclaimer: { title: s.disclaimer_title, text: data.disclaimer ?? s.default_disclaimer },
    ui: { steps: s.steps, repeat: s.repeat, caution: s.caution, considerations: s.considerations, alternatives: s.alternatives },
  };
  return { source, view, safety: safetyTexts(view) };
}

function safetyTexts(view: HandoutView): SafetyTexts {
  const stopIfPain = view.exercises[0]?.stopIfPain;
  if (!stopIfPain) throw new HandoutError('SCHEMA', 'a handout needs at least one exercise');
  const contentText = [
    view.title, view.subtitle, view.category, view.summary, view.warning.title, view.warning.text,
    ...view.exercises.flatMap((e) => [e.name, ...e.steps, e.repeat, e.caution]),
    ...[...view.considerations, ...view.alternatives].flatMap((t) => [t.title, t.text]),
    view.painWarning.title, view.painWarning.text, view.disclaimer.title, view.disclaimer.text,
  ].join('\n');
  return {
    warning: [view.warning.title, view.warning.text],
    painWarning: view.painWarning.text,
    disclaimer: view.disclaimer.text,
    stopIfPain,
    stopIfPainCount: view.exercises.length + countOccurrences(normalizeText(contentText), normalizeText(stopIfPain)),
  };
}
