"""What `make dist` writes: the files a release publishes, checked as files.

The suites in bindings/ run against these same artefacts once installed; this
file checks what no suite sees: the glibc floor of each binary, one version
everywhere, and the messages for a platform without a binary and for a source
build without Rust.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from typing import List, Tuple

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
DIST = REPO / "dist"
VERSION = tomllib.loads((REPO / "Cargo.toml").read_text())["workspace"]["package"]["version"]
GLIBC_FLOOR = (2, 17)


def _one(pattern: str) -> pathlib.Path:
    found = sorted(DIST.glob(pattern))
    assert len(found) == 1, f"{pattern}: {found}"
    return found[0]


def _glibc_versions(binary: bytes) -> List[Tuple[int, ...]]:
    with tempfile.NamedTemporaryFile(suffix=".so") as f:
        f.write(binary)
        f.flush()
        dump = subprocess.run(["objdump", "-T", f.name], capture_output=True, text=True, check=True).stdout
    return sorted({tuple(int(p) for p in v.split(".")) for v in re.findall(r"GLIBC_([0-9.]+)", dump)})


def test_the_wheel_needs_glibc_2_17_at_most() -> None:
    wheel = _one("enneo-*-cp39-abi3-manylinux*_x86_64.whl")
    assert wheel.name == f"enneo-{VERSION}-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl"
    with zipfile.ZipFile(wheel) as z:
        (so,) = [n for n in z.namelist() if n.startswith("enneo/_native") and n.endswith(".so")]
        versions = _glibc_versions(z.read(so))
    assert versions and max(versions) <= GLIBC_FLOOR, versions
    shown = subprocess.run([sys.executable, "-m", "auditwheel", "show", str(wheel)], capture_output=True, text=True, check=True).stdout
    assert '"manylinux_2_17_x86_64"' in " ".join(shown.split()), shown


def test_the_node_binary_needs_glibc_2_17_at_most() -> None:
    with tarfile.open(_one("enneo-linux-x64-gnu-*.tgz")) as t:
        binary = t.extractfile("package/enneo.linux-x64-gnu.node")
        assert binary is not None
        versions = _glibc_versions(binary.read())
    assert versions and max(versions) <= GLIBC_FLOOR, versions


def _package_json(tgz: pathlib.Path) -> dict:
    with tarfile.open(tgz) as t:
        f = t.extractfile("package/package.json")
        assert f is not None
        return json.load(f)  # type: ignore[no-any-return]


def test_every_artefact_carries_the_workspace_version() -> None:
    main = _package_json(_one("enneo-[0-9]*.tgz"))
    platform = _package_json(_one("enneo-linux-x64-gnu-*.tgz"))
    assert main["version"] == platform["version"] == VERSION
    assert set(main["optionalDependencies"].values()) == {VERSION}
    assert "enneo-linux-x64-gnu" in main["optionalDependencies"] and len(main["optionalDependencies"]) == 7
    assert (platform["os"], platform["cpu"], platform["libc"]) == (["linux"], ["x64"], ["glibc"])
    assert _one("enneo-*.tar.gz").name == f"enneo-{VERSION}.tar.gz"
    with zipfile.ZipFile(_one("enneo-*-cp39-abi3-manylinux*_x86_64.whl")) as z:
        meta = z.read(f"enneo-{VERSION}.dist-info/METADATA").decode()
    assert f"\nVersion: {VERSION}\n" in meta
    cli = subprocess.run([os.environ["ENNEO_CLI_BIN"], "--version"], capture_output=True, text=True, check=True).stdout
    assert cli.split() == ["enneo", VERSION]


def test_published_packages_carry_license_readme_and_changelog() -> None:
    with tarfile.open(_one("enneo-[0-9]*.tgz")) as t:
        names = set(t.getnames())
    assert {"package/LICENSE", "package/README.md", "package/CHANGELOG.md", "package/platforms.js"} <= names
    assert "package/native.js" not in names, "the loader is lib/load.js (platforms.js picks the binary)"
    assert not any(n.endswith(".node") for n in names), "the main package carries no binary"
    with zipfile.ZipFile(_one("enneo-*-cp39-abi3-manylinux*_x86_64.whl")) as z:
        names = set(z.namelist())
        meta = z.read(f"enneo-{VERSION}.dist-info/METADATA").decode()
    assert any(n.endswith("/LICENSE") for n in names) and "enneo/py.typed" in names
    assert "Classifier: Operating System :: Microsoft :: Windows" in meta and "\nLicense-Expression: MIT\n" in meta


def test_require_on_a_platform_without_a_binary_names_it(tmp_path: pathlib.Path) -> None:
    # Installing the main package alone is what a platform without a binary
    # package gets: npm skips every platform package.
    (tmp_path / "package.json").write_text('{"name":"bare","private":true}')
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--omit=optional", str(_one("enneo-[0-9]*.tgz"))],
        cwd=tmp_path, check=True, capture_output=True,
    )
    out = subprocess.run(["node", "-e", "require('enneo')"], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode != 0
    # The SDK's own error class, with the platform named.
    first = next(line for line in out.stderr.splitlines() if line.startswith("EnneoError: enneo: cannot load"))
    assert "linux-x64-gnu" in first and "darwin-arm64" in first and "win32-x64-msvc" in first, first


def test_a_source_build_without_rust_says_what_to_install(tmp_path: pathlib.Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {**os.environ, "PATH": f"{venv / 'bin'}:/usr/bin:/bin"}
    env.pop("CARGO_HOME", None)
    out = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--disable-pip-version-check", str(_one("enneo-*.tar.gz"))],
        env=env, capture_output=True, text=True,
    )
    assert out.returncode != 0
    assert "needs a Rust toolchain" in out.stderr and "rustup.rs" in out.stderr, out.stderr
