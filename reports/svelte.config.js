// Merged into Evidence's own SvelteKit config (its template loads a svelte.config.js beside the pages).
// SvelteKit prerenders one page at a time by default; the report's pages spend much of their prerender
// waiting for DuckDB, so several at once keep both cores busy (benchmarks/bench_report.py measures it).
export default {
	kit: {
		prerender: { concurrency: 4 }
	}
};
