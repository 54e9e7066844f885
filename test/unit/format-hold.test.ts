import { describe, expect, it } from 'vitest';
import { formatHold } from '../../src/i18n/format-hold.js';
import type { Catalog } from '../../src/i18n/load-catalog.js';

const catalog = (locale: string, strings: Partial<Catalog['strings']>) => ({ locale, file: '', strings }) as Catalog;

describe('formatHold', () => {
  const en = catalog('en', {
    hold_seconds: { one: 'Hold {count} second', other: 'Hold {count} seconds' },
    hold_seconds_range: { other: 'Hold {min}–{max} seconds' },
  });

  it('picks the plural form for the number', () => {
    expect(formatHold(en, 1)).toBe('Hold 1 second');
    expect(formatHold(en, 30)).toBe('Hold 30 seconds');
  });

  it('formats a range', () => {
    expect(formatHold(en, [15, 30])).toBe('Hold 15–30 seconds');
  });

  it('uses the plural rules and digits of the locale', () => {
    const ru = catalog('ru', {
      hold_seconds: { one: 'Держите {count} секунду', few: 'Держите {count} секунды', many: 'Держите {count} секунд', other: 'Держите {count} секунды' },
      hold_seconds_range: { other: '{min}–{max}' },
    });
    expect(formatHold(ru, 21)).toBe('Держите 21 секунду');
    expect(formatHold(ru, 3)).toBe('Держите 3 секунды');
    expect(formatHold(ru, 5)).toBe('Держите 5 секунд');
    const ar = catalog('ar', { hold_seconds: { other: '{count}' }, hold_seconds_range: { other: '{min}–{max}' } });
    expect(formatHold(ar, 15)).toBe(new Intl.NumberFormat('ar').format(15));
  });
});
