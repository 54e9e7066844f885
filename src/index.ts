/**
 * The programmatic API. The CLI (cli.ts) is a thin shell over these functions.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { buildHandouts, type BuildOptions, type BuildResult, type DocumentResult } from './build/build-handouts.js';
export { checkHandouts, type CheckOptions } from './build/check-handouts.js';
export { handoutJsonSchema, handoutSchema, type ValidHandoutData } from './content/handout-schema.js';
export { clinicJsonSchema, clinicSchema, type ClinicData } from './config/clinic-schema.js';
export { HandoutError, type ErrorCode } from './errors.js';
export { writeSiteFromOutput } from './build/write-site.js';
export { PAGE_SIZES, type PageSize } from './resolve/resolve-handout.js';

/** The templates that ship with the tool (also what `--templates` defaults to). */
export const DEFAULT_TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'templates');
