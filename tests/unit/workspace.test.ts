import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

describe('workspace', () => {
  it('declares every top-level package as a workspace', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { workspaces: string[] };
    expect(pkg.workspaces).toEqual(['schemas', 'workflows', 'activities', 'engine', 'engine/devserver', 'builder-ui']);
    // The embedded Temporal server is a package of its own inside the engine's folder.
    const names: Record<string, string> = { 'engine/devserver': '@huitou/temporal-devserver' };
    for (const ws of pkg.workspaces) {
      const inner = JSON.parse(readFileSync(`${ws}/package.json`, 'utf8')) as { name: string };
      expect(inner.name).toBe(names[ws] ?? `@huitou/${ws}`);
    }
  });
});
