// The content identity of built report pages, from the query results each page was prerendered with.
//
// Reads a JSON request on stdin: {"reports": <the Evidence project, for its node_modules>, "build": <the
// built site>, "volatile": [column names left out], "pages": [{"path", "queries": <the page's query folder
// under api/, page_reuse.py:query_folder>}]} and writes {path: identity or null} on stdout. A page's
// identity is a SHA-256 of every query it runs (name, columns and rows, in a fixed order) without the
// volatile columns (when the report was built or the data fetched), so two builds give a page the same
// identity exactly when it shows the same figures and words. A page whose query list is missing gets null
// (it has no identity and is always printed).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const md5 = (text) => createHash('md5').update(text).digest('hex');

// A query the page derives while it renders (a chart's `.where(...)` of a named query) is listed under
// the hash of its SQL and a random suffix (Evidence's Query.create: "1epk3qm-0.el_data"), and the SQL
// itself names the subquery with a random alias: the whole name changes from build to build. Such
// queries count by their results only.
const DERIVED = /^[0-9a-z]+-0\.[0-9a-z]*_(data|length|columns)$/;
const stableName = (name) => name.replace(DERIVED, 'derived_$1');

const plain = (_key, value) => (typeof value === 'bigint' ? value.toString() : value);

function readStdin() {
	return readFileSync(0, 'utf8');
}

function main() {
	const request = JSON.parse(readStdin());
	const require = createRequire(join(request.reports, 'package.json'));
	const { tableFromIPC } = require('apache-arrow');
	const volatile = new Set(request.volatile);
	const results = new Map(); // arrow hash -> digest of its rows without the volatile columns

	const resultDigest = (queryHash) => {
		if (!results.has(queryHash)) {
			const file = join(request.build, 'api', 'prerendered_queries', `${queryHash}.arrow`);
			const table = tableFromIPC(readFileSync(file));
			const columns = table.schema.fields.map((f) => f.name).filter((name) => !volatile.has(name));
			const rows = table.toArray().map((row) => columns.map((name) => row[name]));
			results.set(queryHash, md5(JSON.stringify([columns, rows], plain)));
		}
		return results.get(queryHash);
	};

	const identities = {};
	for (const page of request.pages) {
		const list = join(request.build, 'api', page.queries, 'all-queries.json');
		if (!existsSync(list)) {
			identities[page.path] = null;
			continue;
		}
		const entries = Object.entries(JSON.parse(readFileSync(list, 'utf8')));
		const lines = entries.map(([name, queryHash]) => `${stableName(name)}\0${resultDigest(queryHash)}\n`);
		const digest = createHash('sha256');
		for (const line of lines.sort()) digest.update(line);
		identities[page.path] = digest.digest('hex');
	}
	process.stdout.write(JSON.stringify(identities));
}

main();
