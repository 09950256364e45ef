// The header keeps secondary actions (view only, inbox, sign out) in its 更多 menu.
import type { Page } from 'playwright-core';

/** Clicks a header action by test id, opening the 更多 menu first when the action sits in it. */
export async function headerAction(page: Page, testId: string): Promise<void> {
  const action = page.getByTestId(testId);
  if (!(await action.isVisible())) await page.getByTestId('header-more').click();
  await action.click();
}
