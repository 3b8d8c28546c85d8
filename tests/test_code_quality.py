"""The house rules that ruff and mypy check, run with the tests so CI enforces them too."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    lint = _run(sys.executable, "-m", "ruff", "check", ".")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    layout = _run(sys.executable, "-m", "ruff", "format", "--check", ".")
    assert layout.returncode == 0, layout.stdout + layout.stderr


def test_mypy_finds_nothing_in_the_package():
    typing = _run(sys.executable, "-m", "mypy", "asset_map")
    assert typing.returncode == 0, typing.stdout + typing.stderr
