/**
 * Formats "Hold 15–30 seconds" in the reader's language, with the right plural form
 * and the locale's digits.
 */
import type { Catalog, PluralForms } from './load-catalog.js';

export type HoldSeconds = number | readonly [number, number];

const NUMBERING = new Map<string, { numbers: Intl.NumberFormat; rules: Intl.PluralRules }>();

/** The locale's number format and plural rules, made once per locale (each costs tens of microseconds). */
export function numberingFor(locale: string): { numbers: Intl.NumberFormat; rules: Intl.PluralRules } {
  let numbering = NUMBERING.get(locale);
  if (!numbering) NUMBERING.set(locale, (numbering = { numbers: new Intl.NumberFormat(locale), rules: new Intl.PluralRules(locale) }));
  return numbering;
}

export function formatHold(catalog: Catalog, hold: HoldSeconds): string {
  const { numbers, rules } = numberingFor(catalog.locale);
  if (typeof hold === 'number') {
    return fill(pick(catalog.strings.hold_seconds, rules.select(hold)), { count: numbers.format(hold) });
  }
  const [min, max] = hold;
  // A range takes the plural form of its upper bound in the languages we ship
  // (CLDR plural ranges agree for these); selectRange is not in every Node 20 build.
  const category = rules.select(max);
  return fill(pick(catalog.strings.hold_seconds_range, category), {
    min: numbers.format(min),
    max: numbers.format(max),
  });
}

function pick(forms: PluralForms, category: Intl.LDMLPluralRule): string {
  return forms[category] ?? forms.other;
}

/** Replaces {name} placeholders. Unknown placeholders are left visible so a reviewer spots them. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
