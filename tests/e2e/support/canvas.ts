// Drawing on the builder's canvas with the mouse, as a marketer does: drag from the palette, drag
// from a node's output port to another node's input.
import type { Locator, Page } from 'playwright-core';

export async function center(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drag a palette item and drop it at (x, y) inside the canvas (the new card is centred there). */
export async function dropFromPalette(page: Page, type: string, x: number, y: number): Promise<void> {
  await page.getByTestId(`palette-${type}`).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
}

/** Drag from a node's output port to another node's input. */
export async function connect(page: Page, source: string, port: string, target: string): Promise<void> {
  const from = await center(
    page.locator(`[data-testid="node-${source}"] .react-flow__handle.source[data-handleid="${port}"]`),
  );
  const to = await center(page.locator(`[data-testid="node-${target}"] .react-flow__handle.target`));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}

/** How many problems the live validation lists. */
export const problemCount = async (page: Page) =>
  Number(await page.getByTestId('problems-panel').getAttribute('data-count'));
