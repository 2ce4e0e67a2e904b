// Writes the CRDs generated from src/api into deploy/crds (npm run crds:generate).
// src/api/crd.test.ts fails until the checked-in files match the schemas again.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crdFiles } from '../src/api/crd.ts';

const root = new URL('../', import.meta.url);
for (const { path, text } of crdFiles()) {
  const file = fileURLToPath(new URL(path, root));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  process.stdout.write(`wrote ${path}\n`);
}
