/**
 * What a translation was made from, field by field: a short hash of each field of the
 * source file, so that when the source changes `check` can say which fields a translator
 * must look at again ("steps[2], warning.text"), not just that something changed.
 *
 * Fields are named two levels deep (`title`, `warning.text`, `steps[2]`, `exercises[0]`,
 * `considerations[1]`): deep enough to point at the sentence that changed, shallow enough
 * for the record of a handout to stay one line. Comments and formatting are not content:
 * re-wrapping a paragraph changes nothing.
 */
import { createHash } from 'node:crypto';

export type SourceFields = Record<string, string>;

/** The fields of a source file's data, each with a short hash of its value. */
export function sourceFields(data: unknown): SourceFields {
  const fields: SourceFields = {};
  if (!isMapping(data)) return { '': hash(data) };
  for (const [key, value] of Object.entries(data)) {
    if (Array.isArray(value)) value.forEach((item, i) => (fields[`${key}[${i}]`] = hash(item)));
    else if (isMapping(value)) for (const [sub, v] of Object.entries(value)) fields[`${key}.${sub}`] = hash(v);
    else fields[key] = hash(value);
  }
  return fields;
}

/** The fields whose value differs between two records (changed, added or removed), in source order. */
export function changedFields(recorded: SourceFields, current: SourceFields): string[] {
  const names = [...new Set([...Object.keys(current), ...Object.keys(recorded)])];
  return names.filter((name) => recorded[name] !== current[name]);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 8 hex digits of SHA-256 over the value as JSON, keys sorted. */
function hash(value: unknown): string {
  const json = JSON.stringify(value ?? null, (_key, v: unknown) => (isMapping(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
  return createHash('sha256').update(json).digest('hex').slice(0, 8);
}
