/**
 * Reads content/clinic.yaml (optional): validated like a handout, errors with positions.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { loadYaml, positionOf } from '../content/load-yaml.js';
import { displayPath } from '../content/safe-file.js';
import { schemaErrors } from '../content/validate-handout.js';
import type { HandoutError } from '../errors.js';
import { clinicSchema, type ClinicData } from './clinic-schema.js';

export const CLINIC_FILE = 'clinic.yaml';

export interface Clinic {
  file: string;
  data: ClinicData;
  /** Position of each field, for errors about the logo file. */
  positionOf: (field: string) => { file: string; line?: number; col?: number };
}

export type ClinicLoad = { clinic: Clinic | null; errors: HandoutError[] };

export async function loadClinic(contentDir: string): Promise<ClinicLoad> {
  const absPath = path.join(contentDir, CLINIC_FILE);
  try {
    await access(absPath);
  } catch {
    return { clinic: null, errors: [] };
  }
  const file = displayPath(absPath);
  const yaml = await loadYaml(absPath, file, contentDir);
  const parsed = clinicSchema.safeParse(yaml.data, { reportInput: true });
  if (!parsed.success) return { clinic: null, errors: schemaErrors(parsed.error, yaml, Object.keys(clinicSchema.shape)) };
  return { clinic: { file, data: parsed.data, positionOf: (field) => positionOf(yaml, [field]) }, errors: [] };
}
