#!/usr/bin/env node
// The published entry point. The CLI is TypeScript run by Node 24's type stripping, so
// this file only checks the Node version before importing it.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  console.error(`gopherguard needs Node.js 24 or newer (this is ${process.version}); run it through npm scripts, which use the project's Node 24.`);
  process.exit(1);
}
await import('../src/cli/main.ts');
