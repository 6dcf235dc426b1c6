"""What every benchmark says: its figures beside their targets, and that it exits 0 whatever they are."""

EXIT_NOTE = "Riktmärket avslutas alltid med kod 0: det mäter och visar målen bredvid, det underkänner inget."


def verdict(ok: bool) -> str:
    """The word printed beside a figure and its target."""
    return "OK" if ok else "ÖVER MÅLET"


# The speed targets of a run and of the tests, and the figure from the round before them (measured on a quiet
# moment of this 2-core machine, fresh clone, demo `make run` with 64 cooperations, 366 pages, 244 PDFs:
# install ~1 min, pull + dbt + estimators 1.5 min, Evidence 195 s, PDFs 315 s). bench_report.py times the
# runs with `uppsikt run` (a fresh one without the installs), bench_fresh.py `make run` and `make test`
# themselves on a fresh clone.
RUN_TARGETS = [
    ("varm körning utan nytt", "< 30 s", "40 s (stannar efter hämtningen)"),
    ("hela nationella demorapporten, varmt", "< 5 min", "Evidence 195 s + 244 PDF:er 315 s"),
    ("efter ändring i en samverkan", "< 60 s", "som en hel körning, alla 244 PDF:er"),
    ("färsk make run", "< 5 min", "11 min 05 s"),
    ("make test, färsk klon", "< 8 min", "34,5 min (CI)"),
]


def print_targets(measured: dict[str, str]) -> None:
    """The run targets, with what was measured now beside each (or where it is measured)."""
    print(f"\n{'mål':<40} {'riktvärde':>9}  {'i dag (före)':<40} mätt nu")
    for name, target, before in RUN_TARGETS:
        print(f"{name:<40} {target:>9}  {before:<40} {measured.get(name, 'mäts inte här')}")
