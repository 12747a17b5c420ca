import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/**
 * What every page must hold at any width: nothing wider than the screen, and no serious or
 * critical accessibility violation (axe-core). Run in the page as a string: the project's
 * types have no DOM.
 */
const overflowScript = `(() => {
  const width = document.documentElement.clientWidth;
  return {
    doc: document.documentElement.scrollWidth - width,
    // Sticking out of the screen, unless inside something that scrolls or clips sideways.
    wide: [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .filter((el) => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
          if (getComputedStyle(a).overflowX !== 'visible') return false;
        return true;
      })
      .slice(0, 3)
      .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ': ' + el.outerHTML.slice(0, 120)),
  };
})()`;

/** How far the page is wider than the screen (`doc`), and the first elements that stick out. */
export const overflow = (page: Page) =>
  page.evaluate(overflowScript) as Promise<{ doc: number; wide: string[] }>;

/** axe-core's serious and critical violations on the page, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}
