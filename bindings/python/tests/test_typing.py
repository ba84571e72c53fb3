"""The shipped types: py.typed, stubs that match the runtime, strict mypy."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import enneo
from conftest import REPO

EXAMPLES = REPO / "bindings/python/examples"


def _mypy(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_py_typed_and_stubs_are_installed() -> None:
    pkg = pathlib.Path(enneo.__file__).parent
    assert (pkg / "py.typed").exists()
    assert (pkg / "_native.pyi").exists()


def test_consumer_example_passes_mypy_strict() -> None:
    out = _mypy("--strict", "consumer.py", cwd=EXAMPLES)
    assert out.returncode == 0, out.stdout + out.stderr


def test_wrong_usage_fails_mypy(tmp_path: pathlib.Path) -> None:
    (tmp_path / "wrong.py").write_text(
        "import enneo\n"
        "c = enneo.Client().get_customer(1)\n"
        "c.unpaid_debt\n"                      # a Contract field, not a Customer one
        "x: int = c.contracts[0].status\n"     # Optional[str], not int
        "enneo.Client().get_customer(1.5)\n"  # ids are int or str
    )
    out = _mypy("--strict", "wrong.py", cwd=tmp_path)
    assert out.returncode == 1
    assert '"Customer" has no attribute "unpaid_debt"' in out.stdout
    assert "incompatible type" in out.stdout.lower()


def test_stubs_match_the_runtime(tmp_path: pathlib.Path) -> None:
    out = subprocess.run([sys.executable, "-m", "mypy.stubtest", "enneo"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
