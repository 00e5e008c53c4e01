/**
 * On a phone a data table becomes one card per row, each cell preceded by its column's name (the CSS is in
 * styles.css, `@media (max-width: 640px)`): seven columns squeezed into 375 px broke trace codes a character
 * per line. This module gives each body cell its column's name (`data-label`) and the ARIA roles of a table,
 * which Chromium drops once the cells are no longer laid out as a table.
 */
function label(root: ParentNode): void {
  for (const table of root.querySelectorAll<HTMLTableElement>('table.table')) {
    const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
    if (!heads.length || table.dataset.phoneLabelled === String(table.rows.length)) continue;
    table.setAttribute('role', 'table');
    for (const group of table.querySelectorAll(':scope > thead, :scope > tbody')) group.setAttribute('role', 'rowgroup');
    for (const row of table.rows) {
      row.setAttribute('role', 'row');
      let column = 0;
      for (const cell of row.cells) {
        if (cell.tagName === 'TH' && row.parentElement?.tagName === 'THEAD') cell.setAttribute('role', 'columnheader');
        else {
          cell.setAttribute('role', 'cell');
          if (!cell.hasAttribute('data-label')) cell.setAttribute('data-label', heads[column] ?? '');
        }
        column += cell.colSpan || 1;
      }
    }
    table.dataset.phoneLabelled = String(table.rows.length);
  }
}

/** Labels the tables under `main` now and whenever a page draws more (once per frame at most). */
export function watchTables(main: HTMLElement): void {
  let scheduled = false;
  const run = () => {
    scheduled = false;
    label(main);
  };
  new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(run);
  }).observe(main, { childList: true, subtree: true });
  label(main);
}
