"""npm install of the report project: an upgrade gets exactly the patches in reports/patches/."""

from __future__ import annotations

import json
from pathlib import Path

from orchestration.lib.report.evidence import _patched_packages

REPORTS = Path(__file__).resolve().parents[2] / "reports"


def test_every_patch_names_the_installed_package_it_reinstalls_clean():
    # The folders install() removes before npm install are the patched packages, at the patch's version.
    patches = sorted((REPORTS / "patches").glob("*.patch"))
    folders = _patched_packages(REPORTS)
    assert patches and len(folders) == len(patches)
    for patch, folder in zip(patches, folders, strict=True):
        manifest = json.loads((folder / "package.json").read_text(encoding="utf-8"))
        assert patch.stem == f"{manifest['name'].replace('/', '+')}+{manifest['version']}", patch.name
