/**
 * The files a verified sheet becomes, as data. Each producer turns a verified PDF into one
 * artifact (or none); writing, the cache manifest, the build report and the CLI iterate
 * the list, so a new output format is one more producer here and nothing else.
 */
import path from 'node:path';
import { displayPath } from '../content/safe-file.js';
import type { VerifiedPdf } from '../verify/verify-pdf.js';

/** One file of a sheet: `<outputName><extension>`. */
export interface Artifact {
  /** What it is, as reports name it: "pdf", "html", "thumbnail". */
  kind: string;
  /** With its dot: ".pdf". */
  extension: string;
  bytes: Uint8Array | string;
}

export interface ArtifactProducer {
  kind: string;
  extension: string;
  /** The file's contents, or null when this sheet has none (a variant has no thumbnail). */
  produce(verified: VerifiedPdf): Uint8Array | string | null;
}

/** Where each artifact of one sheet is, by kind: `{ pdf: 'output/en/x.pdf', html: … }`. */
export type ArtifactPaths = { pdf: string } & Record<string, string>;

/**
 * The PDF first: it is the sheet, and a build stopped between writes leaves the files a
 * reader needs most. The HTML is the same page for the web; the thumbnail is the site
 * index's picture of it, for blank sheets in the standard layout only.
 */
export const ARTIFACT_PRODUCERS: readonly ArtifactProducer[] = [
  { kind: 'pdf', extension: '.pdf', produce: (v) => v.bytes },
  { kind: 'html', extension: '.html', produce: (v) => v.html },
  { kind: 'thumbnail', extension: '.png', produce: (v) => (v.thumbnail && !v.page.variant ? v.thumbnail : null) },
];

export function produceArtifacts(verified: VerifiedPdf, producers: readonly ArtifactProducer[] = ARTIFACT_PRODUCERS): Artifact[] {
  const artifacts: Artifact[] = [];
  for (const { kind, extension, produce } of producers) {
    const bytes = produce(verified);
    if (bytes !== null) artifacts.push({ kind, extension, bytes });
  }
  return artifacts;
}

/** The paths of a sheet's artifacts in `dir`, named `name` (a personal copy's shown name hides the patient). */
export function artifactPaths(dir: string, name: string, artifacts: ReadonlyArray<Pick<Artifact, 'kind' | 'extension'>>): ArtifactPaths {
  const target = path.join(dir, name);
  const paths: Record<string, string> = { pdf: displayPath(`${target}.pdf`) };
  for (const { kind, extension } of artifacts) paths[kind] = displayPath(`${target}${extension}`);
  return paths as ArtifactPaths;
}

/**
 * The artifacts a cached sheet has on disk, from the file names its manifest entry records
 * (`en/x.pdf`, `en/x.html`…): the kinds of the producers whose extension they carry.
 */
export function recordedArtifacts(outputName: string, files: Readonly<Record<string, string>>, producers: readonly ArtifactProducer[] = ARTIFACT_PRODUCERS): Array<Pick<Artifact, 'kind' | 'extension'>> {
  return producers.filter(({ extension }) => `${outputName}${extension}` in files).map(({ kind, extension }) => ({ kind, extension }));
}
