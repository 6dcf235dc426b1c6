"""Pages a prerender takes from the last build: those whose every query gives the same result on the new data.

A page of a prerendered Evidence site is a function of the compiled app and the results of the queries the
page runs while it renders; Evidence records those queries per page (`.evidence-queries/cache/<route
hash>/<params hash>/_queries.json`). After each build the site gets an index of its pages (`INDEX`: each
page's file, route, query folder and SQL). The next prerender from the same compile runs each page's SQL
in DuckDB against the last build's data files and the new ones; a page whose results are all the same is
taken from the last build (the `UPPSIKT_KEPT_PAGES` patch of @sveltejs/kit's prerender, which still follows
its links), with its query list and result files. The other pages, and pages that were not there before,
are rendered. Queries that read only tables whose data file is unchanged are not run at all.

Assumed of Evidence (@evidence-dev 40.1.8, pinned): a page's list holds every query it ran, by name. Queries
without a name (a route's breadcrumb) share one entry, so a page with two would have only the last
compared; every page has at most one today (the parameter's breadcrumb).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

INDEX = ".uppsikt-pages.json"
KEPT_VARIABLE = "UPPSIKT_KEPT_PAGES"
VERSION = Path("_app") / "version.json"
COMPILED_VERSION = Path(".svelte-kit") / "output" / "client" / VERSION
QUERY_CACHE = Path(".evidence-queries") / "cache"
RESULTS = Path("api") / "prerendered_queries"
# Evidence's SQL for the column list of a named query.
DESCRIBE = re.compile(r"^\s*(?:--[^\n]*\n\s*)*describe\b", re.IGNORECASE)
# Where a page names its route: the layout fetches `/api/<route id>/evidencemeta.json` while rendering,
# and SvelteKit writes the response into the page.
ROUTE = re.compile(r'data-url="[^"]*?/api/(/[^"]*?)/evidencemeta\.json"')

Index = dict[str, dict[str, object]]
Results = tuple[object, ...] | None


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def write_index(site: Path, template: Path, kept: Index) -> None:
    """Write the index of the built `site`: rendered pages from the template's query cache, kept pages as
    the last index had them."""
    pages: Index = {}
    for html in sorted(site.rglob("index.html")):
        path = "/" + "/".join(html.relative_to(site).parts[:-1])
        path = path if path == "/" else f"{path}/"
        page = kept.get(path) or _rendered(site, html, path, template / QUERY_CACHE)
        if page is not None:
            pages[path] = page
    (site / INDEX).write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")


def _rendered(site: Path, html: Path, path: str, cache: Path) -> dict[str, object] | None:
    found = ROUTE.search(html.read_text(encoding="utf-8"))
    if found is None:
        return None  # not an Evidence page: never kept
    route = found.group(1)
    folder = query_folder(route, path)
    listed = cache / folder / "_queries.json"
    queries = json.loads(listed.read_text(encoding="utf-8")) if listed.is_file() else {}
    sql = sorted({query["sql_string"] for query in queries.values()})
    return {"file": str(html.relative_to(site)), "route": route, "queries": folder, "sql": sql}


def query_folder(route: str, path: str) -> str:
    """Where Evidence keeps the query list of the page at `path` (of route id `route`), as +layout.js
    names it: the MD5 of the route id, then of the page's params (in the template's query cache and
    under the built site's api/ alike)."""
    return f"{md5(route)}/{md5(_params_text(route, path))}"


def _params_text(route: str, path: str) -> str:
    """What +layout.js hashes for a page's params: `key\\x1Fvalue` pairs, sorted as JavaScript sorts them
    (by "key,value"), joined by \\x1E."""
    pairs = [
        (segment[1:-1], value)
        for segment, value in zip(route.strip("/").split("/"), path.strip("/").split("/"), strict=False)
        if segment.startswith("[") and segment.endswith("]")
    ]
    return "\x1e".join(f"{key}\x1f{value}" for key, value in sorted(pairs, key=lambda kv: f"{kv[0]},{kv[1]}"))


def reusable(old_site: Path, template: Path) -> Index:
    """The pages of `old_site` the prerender in `template` can take as they are (none if the site was
    compiled otherwise, has no index, or either site's files cannot be read: then every page is rendered)."""
    try:
        return _reusable(old_site, template)
    except (OSError, ValueError, KeyError, TypeError, duckdb.Error) as error:
        log.warning("Förra bygget kunde inte jämföras (%s); alla sidor skrivs om", error)
        return {}


def _reusable(old_site: Path, template: Path) -> Index:
    index_file, version = old_site / INDEX, old_site / VERSION
    compiled_version = template / COMPILED_VERSION
    if not (index_file.is_file() and version.is_file() and compiled_version.is_file()):
        return {}
    if version.read_bytes() != compiled_version.read_bytes():
        return {}
    old, new = _data_files(old_site / "data"), _data_files(template / "static" / "data")
    index: Index = json.loads(index_file.read_text(encoding="utf-8"))
    sqls = {str(sql) for page in index.values() for sql in page["sql"]}  # type: ignore[attr-defined]
    unchanged = _same_results(old, new, sqls, _affected(old, new, sqls))
    return {
        path: page
        for path, page in index.items()
        if (old_site / str(page["file"])).is_file() and all(sql in unchanged for sql in page["sql"])  # type: ignore[attr-defined]
    }


def _data_files(data: Path) -> dict[str, Path]:
    """Each table's data file, by `source.table`, as the data manifest lists them."""
    manifest = data / "manifest.json"
    if not manifest.is_file():
        return {}
    listed = json.loads(manifest.read_text(encoding="utf-8")).get("renderedFiles", {})
    files = {}
    for source, paths in listed.items():
        for path in paths:
            file = data / Path(path).relative_to("static/data")
            files[f"{source}.{file.stem}"] = file
    return files


def _digest(file: Path | None) -> str | None:
    return hashlib.md5(file.read_bytes()).hexdigest() if file is not None and file.is_file() else None


def _affected(old: dict[str, Path], new: dict[str, Path], sqls: set[str]) -> list[str]:
    """The SQL strings that name a table whose data changed. A DESCRIBE (Evidence's column
    list of a query) reads only the tables' columns, so it counts only tables whose columns changed."""
    changed = {n for n in new.keys() | old.keys() if _digest(old.get(n)) != _digest(new.get(n))}
    with duckdb.connect() as con:
        reshaped = {n for n in changed if _columns(con, old.get(n)) != _columns(con, new.get(n))}
    data, columns = _naming(changed), _naming(reshaped)
    return sorted(sql for sql in sqls if (columns if DESCRIBE.search(sql) else data).search(sql))


def _naming(tables: set[str]) -> re.Pattern[str]:
    """A pattern for SQL that names any of `tables` (by table name, as a word); none matches no SQL."""
    names = "|".join(sorted(re.escape(table.split(".")[1]) for table in tables)) or r"(?!x)x"
    return re.compile(rf"\b(?:{names})\b", re.IGNORECASE)


def _columns(con: duckdb.DuckDBPyConnection, file: Path | None) -> object:
    if file is None or not file.is_file():
        return None
    return con.execute("describe select * from read_parquet(?)", [str(file)]).fetchall()


def _same_results(
    old: dict[str, Path], new: dict[str, Path], sqls: set[str], affected: list[str]
) -> set[str]:
    """The SQL strings whose results are the same on both data sets: those that read no changed table
    (not `affected`), and those that give equal rows and columns on both."""
    with ThreadPoolExecutor(2) as pool:
        before, after = pool.map(lambda files: _results(files, affected), (old, new))
    same = {sql for sql in affected if before[sql] is not None and before[sql] == after[sql]}
    return (sqls - set(affected)) | same


def _results(files: dict[str, Path], sqls: list[str]) -> dict[str, Results]:
    """Each query's columns and rows on one data set (None if it fails there)."""
    # One thread each: the two data sets are queried at once, and these queries are small.
    con = duckdb.connect(config={"threads": 1})
    for name, file in files.items():
        source = name.split(".")[0]
        con.execute(f'create schema if not exists "{source}"')
        con.execute(f"create table {_quoted(name)} as select * from read_parquet(?)", [str(file)])
    con.execute(f"set search_path = '{','.join(sorted({n.split('.')[0] for n in files}))}'")
    found: dict[str, Results] = {}
    for sql in sqls:
        try:
            cursor = con.execute(sql)
            found[sql] = (tuple((c[0], str(c[1])) for c in cursor.description or ()), *cursor.fetchall())
        except duckdb.Error:
            found[sql] = None
    con.close()
    return found


def _quoted(name: str) -> str:
    return ".".join(f'"{part}"' for part in name.split("."))


def carry_over(old_site: Path, new_site: Path, kept: Index) -> None:
    """Put the kept pages' query lists and result files into the new site (linked: neither is changed)."""
    for page in kept.values():
        listed = Path("api") / str(page["queries"]) / "all-queries.json"
        if not (old_site / listed).is_file():
            continue
        _link(old_site / listed, new_site / listed)
        for result in json.loads((old_site / listed).read_text(encoding="utf-8")).values():
            _link(old_site / RESULTS / f"{result}.arrow", new_site / RESULTS / f"{result}.arrow")


def _link(source: Path, target: Path) -> None:
    if target.exists() or not source.is_file():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copy2(source, target)


def kept_pages_file(template: Path, old_site: Path, kept: Index) -> Path:
    """The file the patched prerender reads: each kept page's path, last build's file and route."""
    listing = {
        path: {"file": str((old_site / str(page["file"])).resolve()), "route": page["route"]}
        for path, page in kept.items()
    }
    target = template / ".uppsikt-kept-pages.json"
    target.write_text(json.dumps(listing, ensure_ascii=False), encoding="utf-8")
    return target.resolve()  # the prerender runs in another folder
