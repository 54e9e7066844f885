/**
 * The clinic's configuration, content/clinic.yaml: who hands the sheet over, and how
 * pages are printed. Optional as a whole; every field in it is optional but the name.
 */
import { z } from 'zod';
import { describeValue, httpsUrl } from '../content/handout-schema.js';
import { LOCALE_PATTERN, SLUG_PATTERN } from '../content/discover-handouts.js';
import { contrastWithWhite, MIN_CONTRAST } from './contrast.js';

const expected = (what: string) => (issue: { input?: unknown }) => `expected ${what}, got ${describeValue(issue.input)}`;
const text = (description: string, max = 200) =>
  z
    .string({ error: expected('text') })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `is longer than ${max} characters` })
    .meta({ description });
const pageSize = z.enum(['A4', 'Letter'], { error: 'expected A4 or Letter' });

export const clinicSchema = z
  .strictObject(
    {
      name: text('The clinic name, printed on every handout.'),
      logo: z
        .string({ error: expected('a file name') })
        .regex(/^[\w-][\w.-]{0,99}\.(svg|png|jpe?g)$/i, {
          error: 'expected the file name of an .svg, .png or .jpg next to clinic.yaml (no folders)',
        })
        .optional()
        .meta({ description: 'Logo file next to clinic.yaml: .svg (best), .png or .jpg.' }),
      address: text('Postal address, one line.').optional(),
      phone: text('Phone number as patients should dial it.', 40).optional(),
      email: z.email({ error: expected('an e-mail address') }).optional().meta({ description: 'Contact e-mail address.' }),
      website: httpsUrl('a web address', 'https://www.example.com')
        .optional()
        .meta({ description: 'Clinic website, https://…' }),
      accent: z
        .string({ error: expected('a colour like "#0b5f66"') })
        .regex(/^#[0-9a-f]{6}$/i, { error: 'expected a colour as #RRGGBB, e.g. "#0b5f66" (quote it: # starts a YAML comment)' })
        .refine((hex) => contrastWithWhite(hex) >= MIN_CONTRAST, {
          error: (issue) =>
            `the colour ${String(issue.input)} is too light to read on paper, above all when printed in black and white (contrast ${contrastWithWhite(String(issue.input)).toFixed(1)}:1 with white; at least ${MIN_CONTRAST}:1 needed): choose a darker shade`,
        })
        .optional()
        .meta({ description: 'Accent colour for headings and chips, #RRGGBB. Keep it dark enough to read in grey.' }),
      footer: text('A line printed at the bottom of every handout.', 300).optional(),
      hours: text('Opening hours, as one line patients read: "Open Monday to Friday, 8 am to 6 pm".').optional(),
      translations: z
        .record(
          z.string().regex(LOCALE_PATTERN, { error: 'expected a locale code like es or pt-BR' }),
          z.strictObject(
            {
              name: text('The clinic name in this language.').optional(),
              address: text('The address as written for readers of this language.').optional(),
              footer: text('The footer line in this language.', 300).optional(),
              hours: text('The opening hours in this language.').optional(),
            },
            { error: expected('a mapping of name, address, footer and hours in this language') },
          ),
          { error: expected('a mapping of locale to the clinic\'s details in that language') },
        )
        .optional()
        .meta({
          description:
            'The name, address, footer line and opening hours in other languages, e.g. { ar: { name: …, footer: … } }. A sheet in a language without them prints the details as written above, marked with their language (language).',
        }),
      language: z
        .string({ error: expected('a language code like en') })
        .regex(LOCALE_PATTERN, { error: 'expected a language code like en, es or pt-BR' })
        .optional()
        .meta({
          description:
            'The language the name, address and footer line are written in (default en). Pages in other languages mark them with it, so screen readers pronounce them right.',
        }),
      page_size: pageSize.optional().meta({ description: 'Paper size for every locale: A4 (default) or Letter.' }),
      page_size_by_locale: z
        .record(z.string().regex(LOCALE_PATTERN, { error: 'expected a locale code like en or pt-BR' }), pageSize, {
          error: expected('a mapping of locale to A4 or Letter'),
        })
        .optional()
        .meta({ description: 'Paper size per locale, e.g. { en: Letter, es: Letter } for a clinic in the US.' }),
      locales: z
        .array(z.string().regex(LOCALE_PATTERN, { error: 'expected a locale code like en or pt-BR' }), {
          error: expected('a list of locale codes'),
        })
        .min(1)
        .optional()
        .meta({ description: 'Locales built by default (all locales with handouts when absent).' }),
      handout_locales: z
        .record(
          z.string().regex(SLUG_PATTERN, { error: 'expected a handout slug (its file name without .yaml)' }),
          z.array(z.string().regex(LOCALE_PATTERN, { error: 'expected a locale code like en or pt-BR' }), { error: expected('a list of locale codes') }).min(1),
          { error: expected('a mapping of handout slug to the locales it is offered in') },
        )
        .optional()
        .meta({
          description:
            'Handouts the clinic offers in fewer locales than the others, e.g. { pelvic-tilt: [en, es] }: its other locales are not reported missing (TRANSLATION_MISSING).',
        }),
      site_url: httpsUrl('the web address of the published output/ folder', 'https://www.example.com/handouts/')
        .regex(/\/$/, { error: 'expected the https:// address where output/ is published, ending in /, e.g. https://www.example.com/handouts/' })
        .optional()
        .meta({ description: 'Where the handout site is published; handouts without a video link get a QR code to their online version.' }),
      reading_grade: z
        .number({ error: expected('a school grade like 8') })
        .min(1, { error: 'expected a school grade from 1 to 16' })
        .max(16, { error: 'expected a school grade from 1 to 16' })
        .optional()
        .meta({
          description:
            'The highest reading grade (US school grade) `handout check` accepts for a sheet, or a part of it; default 8 ("below the 8th grade level"). Many clinics aim for 6.',
        }),
    },
    { error: expected('a mapping of clinic fields (name, logo, phone, …)') },
  )
  .meta({ title: 'clinic', description: 'The clinic that hands out the sheets: content/clinic.yaml.' });

export type ClinicData = z.infer<typeof clinicSchema>;

/** The JSON Schema editors use for clinic.yaml. */
export function clinicJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(clinicSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
}
