// npm run bench -- <name> [options]: runs bench/<name>.ts, which prints a table.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const names = readdirSync(import.meta.dirname).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
const [name, ...rest] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench -- <name> [options]\nbenchmarks: ${names.join(', ')}`);
  process.exit(2);
}
process.argv = [process.argv[0] ?? 'node', join(import.meta.dirname, `${name}.bench.ts`), ...rest];
await import(join(import.meta.dirname, `${name}.bench.ts`));
