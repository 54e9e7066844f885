/**
 * The programmatic API. The CLI (cli.ts) is a thin shell over these functions.
 */

export { buildHandouts, type BuildOptions, type BuildResult, type DocumentResult } from './build/build-handouts.js';
export { checkHandouts, type CheckOptions } from './build/check-handouts.js';
export {
  exerciseFileSchema,
  exerciseJsonSchema,
  handoutJsonSchema,
  handoutSchema,
  programJsonSchema,
  programSchema,
  type ExerciseFileData,
  type ProgramData,
  type ValidHandoutData,
} from './content/handout-schema.js';
export { clinicJsonSchema, clinicSchema, type ClinicData } from './config/clinic-schema.js';
export { HandoutError, type ErrorCode } from './errors.js';
export { writeSiteFromOutput } from './build/write-site.js';
export { PAGE_SIZES, type PageSize } from './resolve/resolve-handout.js';

/** The templates that ship with the tool: a clinic's --templates folder overrides them file by file. */
export { BUILT_IN_TEMPLATES_DIR as DEFAULT_TEMPLATES_DIR } from './shared/template-files.js';
