"""Waiting until a report page has filled in, before it is printed.

The report pages fill in client side from their prerendered query results, and a page that runs a query in
the browser starts duckdb-wasm in a worker, fetches the data files and runs it before its text appears.
Text alone is not enough to tell: while a query runs in the worker, or a data file is on its way, the page
can look finished for seconds, and more so when several pages share two cores. A page is ready once, for
QUIET_S, nothing has been loading (no request in flight, none started or ended), no query is waiting for
the worker, no loading placeholder is shown, and the text has not changed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

QUIET_S = 0.8
POLL_S = 0.1
# A busy main thread delays each look at the page; a quiet spell needs this many looks, not only time.
MIN_QUIET_POLLS = 5
# Evidence shows this (visibly or for screen readers) wherever a query's result has not arrived yet.
LOADING_TEXT = "Loading..."

# Installed before the site's own scripts. duckdb-wasm tags each request to its worker with a messageId
# and the answer with the same requestId; the worker also sends progress and log messages, so counting
# messages would not do. Its progress while the database loads (INSTANTIATE_PROGRESS) even carries the
# requestId of the request it reports on, long before the answer: like duckdb-wasm's own client, the
# tracker takes none of these three kinds for an answer (with them taken, a page under load counted as
# settled while the database was still compiling, before any query ran). Fetches of the page itself are
# counted as they start, before the browser reports them.
TRACKER = """(() => {
  const unanswered = new Set();
  const notAnswers = new Set(["INSTANTIATE_PROGRESS", "PROGRESS_UPDATE", "LOG"]);
  let fetching = 0;
  window.__uppsiktBusy = () => unanswered.size + fetching;
  const NativeWorker = window.Worker;
  if (NativeWorker) {
    let workers = 0;
    window.Worker = class extends NativeWorker {
      constructor(...args) {
        super(...args);
        const worker = ++workers;
        this.__uppsiktId = worker;
        this.addEventListener("message", (event) => {
          const id = event.data ? event.data.requestId : undefined;
          if (id !== undefined && !notAnswers.has(event.data.type)) unanswered.delete(worker + ":" + id);
        });
      }
      postMessage(message, ...rest) {
        const id = message ? message.messageId : undefined;
        if (id !== undefined) unanswered.add(this.__uppsiktId + ":" + id);
        return super.postMessage(message, ...rest);
      }
    };
  }
  const nativeFetch = window.fetch;
  window.fetch = function (...args) {
    fetching += 1;
    try {
      return nativeFetch.apply(this, args).finally(() => { fetching -= 1; });
    } catch (error) {
      fetching -= 1;
      throw error;
    }
  };
})();"""

STATE = """async (loadingText) => {
  await document.fonts.ready;
  const text = document.body ? document.body.innerText : "";
  const busy = window.__uppsiktBusy ? window.__uppsiktBusy() : 0;
  return [text.length, busy > 0 || text.includes(loadingText)];
}"""


class Network:
    """Requests of one page (and its workers) in flight, and how many have started or ended."""

    def __init__(self, page: Any) -> None:
        self.in_flight = 0
        self.events = 0
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, _request: Any) -> None:
        self.in_flight += 1
        self.events += 1

    def _ended(self, _request: Any) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        self.events += 1


async def prepare(page: Any) -> Network:
    """Track the page's activity from its first request on; call before navigating."""
    await page.add_init_script(script=TRACKER)
    return Network(page)


class Quiet:
    """The rule itself, look by look: quiet once nothing has loaded, waited or changed for QUIET_S and at
    least MIN_QUIET_POLLS looks (shared by the printing and the tests that open pages)."""

    def __init__(self, network: Network, clock: Callable[[], float]) -> None:
        self.network, self.clock = network, clock
        self.last: tuple[int, int] | None = None
        self.since, self.polls = clock(), 0

    def settled(self, text_length: int, busy: bool) -> bool:
        """Take one look's STATE; True once the page has been quiet long enough."""
        state = (text_length, self.network.events)
        if busy or self.network.in_flight or state != self.last:
            self.since, self.polls = self.clock(), 0
        else:
            self.polls += 1
        self.last = state
        return self.polls >= MIN_QUIET_POLLS and self.clock() - self.since >= QUIET_S


async def wait_until_ready(page: Any, network: Network, timeout_s: float) -> None:
    """Return once the page has been quiet for QUIET_S; raises TimeoutError after timeout_s."""
    async with asyncio.timeout(timeout_s):
        quiet = Quiet(network, asyncio.get_running_loop().time)
        while not quiet.settled(*await page.evaluate(STATE, LOADING_TEXT)):
            await asyncio.sleep(POLL_S)
