"""The import rules of the house plan: the contracts in pyproject.toml hold, and they can fail.

``lint-imports`` (import-linter) checks the layers (pages -> ui and cli -> services ->
render -> analysis, io, storage -> rules -> core), that only the pages and ``asset_map.ui``
import streamlit, that the analysis reads no files, that private modules stay private and
that there are no import loops. Each rule is broken on purpose in a copy of the package, to
show that it is really checked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
    "contracts"
]
LINT = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(no_cache=True, no_logo=True))"
)


def _lint(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports in ``folder``, on the package there (not the installed one)."""
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run(
        [sys.executable, "-c", LINT],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _name(contract_id: str) -> str:
    return next(c["name"] for c in CONTRACTS if c["id"] == contract_id)


def test_every_rule_of_the_house_plan_holds():
    run = _lint(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in run.stdout
    ids = {c["id"] for c in CONTRACTS}
    assert {"layers", "streamlit-in-ui", "private-modules", "no-import-loops"} <= ids


@pytest.mark.parametrize(
    ("module", "line", "contract_id", "shown"),
    [
        (
            "asset_map/render/styles.py",
            "from asset_map.services import gaps",
            "layers",
            "asset_map.render is not allowed to import asset_map.services",
        ),
        (
            "asset_map/storage/audit.py",
            "from asset_map.render import map",
            "layers",
            "asset_map.storage is not allowed to import asset_map.render",
        ),
        (
            "asset_map/analysis/coverage.py",
            "import streamlit",
            "streamlit-in-ui",
            "asset_map.analysis is not allowed to import streamlit",
        ),
        (
            "asset_map/analysis/demand.py",
            "from asset_map.io import formats",
            "analysis-reads-no-files",
            "asset_map.analysis is not allowed to import asset_map.io",
        ),
        (
            "asset_map/services/fetch.py",
            "from asset_map.io import _pdok",
            "private-modules",
            "asset_map.services.fetch -> asset_map.io._pdok",
        ),
        (
            "asset_map/io/cells.py",
            "from asset_map.io import formats",
            "no-import-loops",
            "No cycles are allowed in asset_map.io.",
        ),
        (
            "app_pages/about.py",
            "from asset_map.storage import Store",
            "pages-use-ui",
            "app_pages is not allowed to import asset_map.storage",
        ),
    ],
)
def test_a_forbidden_import_breaks_its_rule(tmp_path, module, line, contract_id, shown):
    for part in ("asset_map", "app_pages"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text() + f"\n{line}  # a deliberate violation\n")
    run = _lint(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    summary, broken = run.stdout.split("Broken contracts", 1)
    assert f"{_name(contract_id)} BROKEN" in " ".join(summary.split()), run.stdout
    assert shown in broken
