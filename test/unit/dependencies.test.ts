/**
 * Dependencies between the folders of src/ point one way: no folder imports, directly or
 * through others, a folder that imports it back. Shared basics (pdf/, shared/, errors.ts)
 * import no stage.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const SRC = path.join(ROOT, 'src');
const SHARED = ['pdf', 'shared'];

/** folder → the folders its files import (relative imports only). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const files = readdirSync(SRC, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.ts'));
  for (const file of files) {
    const abs = path.join(file.parentPath, file.name);
    const folder = path.relative(SRC, abs).split(path.sep)[0]!.replace(/\.ts$/, '');
    const edges = graph.get(folder) ?? new Set<string>();
    graph.set(folder, edges);
    for (const [, spec] of readFileSync(abs, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      const target = path.relative(SRC, path.resolve(path.dirname(abs), spec!)).split(path.sep)[0]!.replace(/\.js$/, '');
      if (target !== folder && !target.startsWith('..')) edges.add(target);
    }
  }
  return graph;
}

it('has no cycles between the folders of src/', () => {
  const graph = folderGraph();
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (seen.has(from)) return false;
    seen.add(from);
    return [...(graph.get(from) ?? [])].some((next) => next === to || reaches(next, to, seen));
  };
  const cycles = new Set<string>();
  for (const [folder, edges] of graph) {
    for (const to of edges) if (reaches(to, folder)) cycles.add([folder, to].sort().join(' ↔ '));
  }
  expect([...cycles]).toEqual([]);
});

it('keeps shared basics free of any stage', () => {
  const graph = folderGraph();
  for (const shared of SHARED) {
    expect([...(graph.get(shared) ?? [])].filter((to) => !SHARED.includes(to) && to !== 'errors'), shared).toEqual([]);
  }
});
