"""Run the ``asset-map`` command inside a test and read what it printed."""

from __future__ import annotations

import json

import pytest

from asset_map.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str, str]:
    """Run ``asset-map ARGS``; return its exit code, stdout and stderr."""
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_map(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``asset-map map ARGS``; return its exit code, stdout and stderr."""
    return run_cli(capsys, ["map", *args])


def run_json(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict:
    """Run ``asset-map ARGS --json``, which must succeed; return the JSON it printed."""
    code, out, err = run_cli(capsys, [*args, "--json"])
    assert code == 0, err
    return json.loads(out)
