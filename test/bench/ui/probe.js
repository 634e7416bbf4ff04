/* global window, document, MutationObserver, requestAnimationFrame */
// In-page probe of the UI benchmark, installed before the page's own scripts (page.addInitScript). Times are
// performance.now() of the page: milliseconds since the navigation started. A condition is checked on every DOM
// change; once it holds, the time is taken after the next frame (requestAnimationFrame, then a task), which is
// when the browser has painted it.
(() => {
  const ROW = '[data-testid="results-row"]';
  const state = { lastUserEvent: null };
  for (const type of ['input', 'click']) {
    document.addEventListener(type, () => (state.lastUserEvent = performance.now()), true);
  }

  const inView = (el) => {
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.bottom > 0 && r.top < window.innerHeight;
  };
  const rows = () => Array.from(document.querySelectorAll(ROW));
  const table = () => document.querySelector('[data-testid="results-table"]');

  /** Conditions by name; `arg` is what the caller passed. */
  const CONDITIONS = {
    /** A result row (not a loading placeholder) is on screen. */
    firstRow: () => rows().some(inView),
    /** The table's total is `arg.total` and rows of that query are on screen (all of `arg.verdict` if given). */
    total: (arg) => {
      const t = table();
      if (!t || t.getAttribute('data-total') !== String(arg.total)) return false;
      if (arg.total === 0) return true;
      const shown = rows().filter(inView);
      return (
        shown.length > 0 &&
        (!arg.verdict || shown.every((r) => r.getAttribute('data-verdict') === arg.verdict))
      );
    },
    /** The row at index `arg.index` is rendered with its data and on screen. */
    row: (arg) => {
      const r = document.querySelector(`${ROW}[data-index="${arg.index}"]`);
      return r !== null && inView(r);
    },
  };

  const watches = new Map();

  /**
   * Starts watching for a condition; `from` is 'navigation' (time 0), 'now', or 'user' (the next click or input).
   * Resolves { ms, domRows } or rejects after `timeoutMs`.
   */
  function watch(id, name, arg, from, timeoutMs) {
    const started = performance.now();
    const p = new Promise((resolve, reject) => {
      const check = CONDITIONS[name];
      let done = false;
      const finish = () => {
        if (done || !check(arg)) return;
        done = true;
        observer.disconnect();
        clearTimeout(timer);
        requestAnimationFrame(() =>
          setTimeout(() => {
            const end = performance.now();
            const t0 =
              from === 'navigation' ? 0 : from === 'user' ? (state.lastUserEvent ?? started) : started;
            resolve({
              ms: end - t0,
              domRows: document.querySelectorAll(`${ROW}, [data-testid="results-row-loading"]`).length,
            });
          }, 0),
        );
      };
      const observer = new MutationObserver(finish);
      const timer = setTimeout(() => {
        observer.disconnect();
        done = true;
        reject(new Error(`${name} ${JSON.stringify(arg)} not reached in ${timeoutMs} ms`));
      }, timeoutMs);
      observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      if (from === 'user') state.lastUserEvent = null;
      finish();
    });
    watches.set(id, p);
    p.catch(() => undefined);
  }

  /** Scrolls the results table to its end (the action of a `row` watch started just before). */
  function scrollToEnd() {
    const s = document.querySelector('[data-testid="results-scroll"]');
    if (!s) throw new Error('no results-scroll element');
    s.scrollTop = s.scrollHeight;
  }

  window.__feBench = {
    watch,
    result: (id) => watches.get(id),
    scrollToEnd,
    domRows: () => document.querySelectorAll(`${ROW}, [data-testid="results-row-loading"]`).length,
  };
  // Every page load: time from the navigation to the first row on screen.
  watch('first', 'firstRow', null, 'navigation', 60_000);
})();
