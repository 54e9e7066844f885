/**
 * "en-GB" → ["en", "en-GB"]; "zh-Hant-TW" → ["zh", "zh-Hant", "zh-Hant-TW"]: a regional
 * locale speaks its base language, with its own dates and numbers (Intl does those from the
 * locale tag) and any strings its own catalog changes. Shared by the string catalogs
 * (i18n/) and the exercise library (content/), which fall back the same way.
 */
export function localeChain(locale: string): string[] {
  const parts = locale.split('-');
  return parts.map((_, i) => parts.slice(0, i + 1).join('-'));
}
