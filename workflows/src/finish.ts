// A run's end, mirrored in its row so run lists and journey controls stop treating it as live.
import { patched } from '@temporalio/workflow';
import { acts } from './activities.ts';
import type { Bookkeeping } from './activities.ts';

/** Histories from before runs recorded their end keep their old path on replay. */
export const RUN_FINISH_PATCH = 'run-finish';

export async function finishRun(runId: string, books: Bookkeeping = acts): Promise<void> {
  if (patched(RUN_FINISH_PATCH)) await books.finishRun({ runId, now: Date.now() });
}
