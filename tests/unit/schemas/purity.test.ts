import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * schemas/ runs in the Temporal workflow sandbox: zod, libphonenumber-js (pure: numbering plans as
 * data) and its own files only, no clocks, no randomness.
 */
const PACKAGES = ['zod', 'libphonenumber-js/max'];
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = sourceFiles('schemas/src');

describe('schemas purity', () => {
  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files)('%s imports only zod, libphonenumber-js and relative files', (file) => {
    const source = readFileSync(file, 'utf8');
    const specifiers = [...source.matchAll(/\bfrom\s+'([^']+)'/g)].map((m) => m[1]);
    expect(specifiers.filter((s) => !PACKAGES.includes(s) && !s.startsWith('./') && !s.startsWith('../'))).toEqual([]);
  });

  it.each(files)('%s uses no clock, randomness, timers or process', (file) => {
    const source = readFileSync(file, 'utf8');
    expect(source).not.toMatch(/Date\.now|new Date\(\)|Math\.random|setTimeout|setInterval|\bprocess\.|\brequire\(/);
  });
});
