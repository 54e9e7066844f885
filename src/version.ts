/** The tool's name and version, for cache keys and reports. */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export const TOOL_VERSION = `${pkg.name}@${pkg.version}`;
export const VERSION = pkg.version;
