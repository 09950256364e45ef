// The layers are linted (eslint.config.js): a package imports only the packages below it, and a
// relative import never leaves its package. Linting made-up files proves that a loop fails the lint.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

/** The rules (and their messages) that fire on a file at `filePath` with `code`. */
async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const RESTRICTED = '@typescript-eslint/no-restricted-imports';

describe('layers', () => {
  it('fails an upward import: activities importing the engine', async () => {
    const found = await problems(
      'activities/src/loop.ts',
      "import { loadConfig } from '@huitou/engine/config';\nexport const config = loadConfig;\n",
    );
    expect(found).toEqual([expect.stringContaining(`${RESTRICTED}: `)]);
    expect(found[0]).toContain('activities may import only @huitou/schemas');
  });

  it('fails every upward import, type-only ones included, and passes the ones below', async () => {
    const cases: Array<[file: string, code: string, fails: boolean]> = [
      ['schemas/src/x.ts', "import type { CohortRef } from '@huitou/activities';\nexport type X = CohortRef;\n", true],
      [
        'activities/src/x.ts',
        "import { segmentInput } from '@huitou/schemas';\nexport const x = segmentInput;\n",
        false,
      ],
      [
        'activities/src/x.ts',
        "import type { AudienceRunInput } from '@huitou/workflows';\nexport type X = AudienceRunInput;\n",
        true,
      ],
      [
        'workflows/src/x.ts',
        "import type { CohortRef } from '@huitou/activities/contract';\nexport type X = CohortRef;\n",
        false,
      ],
      [
        'workflows/src/x.ts',
        "import { createJourneyActivities } from '@huitou/activities';\nexport const x = createJourneyActivities;\n",
        true,
      ],
      ['workflows/src/x.ts', "import type { Config } from '@huitou/engine/config';\nexport type X = Config;\n", true],
      ['engine/src/x.ts', "import { audienceRun } from '@huitou/workflows';\nexport const x = audienceRun;\n", false],
      ['engine/src/x.ts', "import { App } from '@huitou/builder-ui';\nexport const x = App;\n", true],
      ['builder-ui/src/x.ts', "import type { Config } from '@huitou/engine/config';\nexport type X = Config;\n", true],
      [
        'builder-ui/src/x.ts',
        "import { segmentInput } from '@huitou/schemas';\nexport const x = segmentInput;\n",
        false,
      ],
    ];
    for (const [file, code, fails] of cases) {
      const found = await problems(file, code);
      expect({ file, code, found: found.some((p) => p.startsWith(RESTRICTED)) }).toEqual({ file, code, found: fails });
    }
  });

  it('fails a relative import that leaves its package, not one that stays', async () => {
    expect(
      await problems(
        'activities/src/flow/x.ts',
        "import { loadConfig } from '../../../engine/src/config.ts';\nexport const x = loadConfig;\n",
      ),
    ).toEqual([expect.stringContaining('huitou/no-escape: ')]);
    expect(
      await problems(
        'activities/src/flow/x.ts',
        "import { compileSegment } from '../segments/compile.ts';\nexport const x = compileSegment;\n",
      ),
    ).toEqual([]);
  });
});
