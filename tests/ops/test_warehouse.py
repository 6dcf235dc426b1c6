"""insert_rows stores what one statement per row (executemany) stores, over several statements."""

from datetime import date
from pathlib import Path

from orchestration.lib.ops.warehouse import INSERT_CHUNK, connect, insert_rows

TABLE = "create table t (id integer, name varchar, value double, day date, note varchar)"


def test_insert_rows_stores_the_rows_executemany_stores(tmp_path: Path) -> None:
    rows = [
        (i, f"kommun {i}", None if i % 7 else i / 3, date(2020, 1, 1 + i % 28))
        for i in range(2 * INSERT_CHUNK + 3)
    ]
    with connect(tmp_path / "a.duckdb") as con:
        con.execute(TABLE)
        insert_rows(con, "t (id, name, value, day)", rows)  # a column list: `note` stays null
        insert_rows(con, "t", [])
        stored = con.execute("select * from t order by id").fetchall()
        con.execute("create table u as select * from t limit 0")
        con.executemany("insert into u (id, name, value, day) values (?, ?, ?, ?)", rows)
        assert stored == con.execute("select * from u order by id").fetchall()
    assert (
        len(stored) == len(rows) and stored[7][2] == 7 / 3 and stored[8][2] is None and stored[0][4] is None
    )
