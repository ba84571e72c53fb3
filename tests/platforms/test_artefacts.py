"""The artefacts of tools/dist-platforms.sh, checked as files: each is for
the architecture its name says (by `file` and by the ELF header), a glibc
binary needs at most GLIBC_2.17, a musl one links musl's libc alone (no
glibc symbol, and musl's own loader resolves it), and the free-threaded
wheels carry the cp314t tag and a module that declares it needs no GIL.

DIST names the folder (make test-platforms sets it); ENNEO_ARM64_ROOT and
ENNEO_PLATFORMS_CACHE come from tools/platforms-setup.sh.
"""

from __future__ import annotations

import io
import os
import pathlib
import re
import struct
import subprocess
import tarfile
import zipfile
from typing import Dict, List, Tuple

import pytest

DIST = pathlib.Path(os.environ.get("DIST", "dist"))
CACHE = pathlib.Path(os.environ["ENNEO_PLATFORMS_CACHE"])
ARM64_ROOT = os.environ["ENNEO_ARM64_ROOT"]
GLIBC_FLOOR = (2, 17)
# e_machine of the ELF header, and what `file` says of it.
MACHINE = {"x86_64": (62, "x86-64"), "aarch64": (183, "ARM aarch64")}

# (file pattern, architecture, C library)
WHEELS: List[Tuple[str, str, str]] = [
    ("enneo-*-cp39-abi3-manylinux*_aarch64.whl", "aarch64", "glibc"),
    ("enneo-*-cp39-abi3-musllinux_1_2_x86_64.whl", "x86_64", "musl"),
    ("enneo-*-cp39-abi3-musllinux_1_2_aarch64.whl", "aarch64", "musl"),
    ("enneo-*-cp314-cp314t-manylinux*_x86_64.whl", "x86_64", "glibc"),
    ("enneo-*-cp314-cp314t-manylinux*_aarch64.whl", "aarch64", "glibc"),
]
NPM: List[Tuple[str, str, str]] = [
    ("linux-arm64-gnu", "aarch64", "glibc"),
    ("linux-x64-musl", "x86_64", "musl"),
    ("linux-arm64-musl", "aarch64", "musl"),
]


def _one(pattern: str) -> pathlib.Path:
    found = sorted(DIST.glob(pattern))
    assert len(found) == 1, f"{pattern} in {DIST}: {found}"
    return found[0]


def _wheel_binary(wheel: pathlib.Path, tmp: pathlib.Path) -> Tuple[pathlib.Path, str]:
    with zipfile.ZipFile(wheel) as z:
        (so,) = [n for n in z.namelist() if n.startswith("enneo/_native") and n.endswith(".so")]
        out = tmp / pathlib.Path(so).name
        out.write_bytes(z.read(so))
        return out, so


def _npm_binary(suffix: str, tmp: pathlib.Path) -> Tuple[pathlib.Path, Dict[str, object]]:
    import json

    with tarfile.open(_one(f"enneo-{suffix}-*.tgz")) as t:
        meta = json.load(io.BytesIO(t.extractfile("package/package.json").read()))  # type: ignore[union-attr]
        node = t.extractfile(f"package/enneo.{suffix}.node")
        assert node is not None
        out = tmp / f"enneo.{suffix}.node"
        out.write_bytes(node.read())
    return out, meta


def _check_binary(path: pathlib.Path, arch: str, libc: str) -> None:
    data = path.read_bytes()
    machine, described = MACHINE[arch]
    assert data[:4] == b"\x7fELF" and struct.unpack_from("<H", data, 18)[0] == machine, path
    said = subprocess.run(["file", "-b", str(path)], capture_output=True, text=True, check=True).stdout
    assert described in said and "shared object" in said, said
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", _readelf("-d", path))
    versions = {tuple(map(int, v)) for v in re.findall(rb"GLIBC_(\d+)\.(\d+)", data)}
    if libc == "glibc":
        assert versions and max(versions) <= GLIBC_FLOOR, sorted(versions)
        assert not any("musl" in n for n in needed), needed
    else:
        assert not versions, f"glibc symbol versions in a musl binary: {sorted(versions)}"
        assert needed == [f"libc.musl-{arch}.so.1"] or needed == ["libc.so"], needed
        _musl_resolves(path, arch)


def _readelf(flag: str, path: pathlib.Path) -> str:
    return subprocess.run(["readelf", "-W", flag, str(path)], capture_output=True, text=True, check=True).stdout


def _musl_resolves(path: pathlib.Path, arch: str) -> None:
    """musl's loader (sid's 1.2.6) finds every library, and every symbol but
    the host's: CPython's C API (Py*) or Node's (napi_*), which the
    interpreter that loads the module provides."""
    loader = CACHE / "musl" / "usr" / "lib" / f"ld-musl-{arch}.so.1"
    cmd = [str(loader), "--list", str(path)]
    if arch == "aarch64":
        cmd = ["qemu-aarch64", "-L", ARM64_ROOT, *cmd]
    out = subprocess.run(cmd, capture_output=True, text=True)
    assert "Error loading" not in out.stderr, out.stderr
    missing = re.findall(r"Error relocating [^:]+: (\S+): symbol not found", out.stderr)
    others = [m for m in missing if not re.match(r"_?Py|napi_", m)]
    assert not others, others
    assert f"ld-musl-{arch}.so.1" in out.stdout, out.stdout


@pytest.mark.parametrize("pattern,arch,libc", WHEELS, ids=[w[0] for w in WHEELS])
def test_wheel(pattern: str, arch: str, libc: str, tmp_path: pathlib.Path) -> None:
    wheel = _one(pattern)
    binary, name = _wheel_binary(wheel, tmp_path)
    _check_binary(binary, arch, libc)
    with zipfile.ZipFile(wheel) as z:
        tags = [line.split(": ", 1)[1] for line in z.read(next(n for n in z.namelist() if n.endswith(".dist-info/WHEEL"))).decode().splitlines() if line.startswith("Tag: ")]
    assert tags and all(t.endswith(arch) for t in tags), tags
    if "cp314t" in pattern:
        assert tags[0].startswith("cp314-cp314t-manylinux"), tags
        assert name == f"enneo/_native.cpython-314t-{arch}-linux-gnu.so", name
        _declares_no_gil(binary)
    else:
        assert all(t.startswith("cp39-abi3-") for t in tags), tags
        assert name == "enneo/_native.abi3.so", name
        assert all(t.startswith("musllinux_1_2") == (libc == "musl") for t in (t.split("-", 2)[2] for t in tags)), tags


def _declares_no_gil(binary: pathlib.Path) -> None:
    """The module's slots (PyModuleDef_Slot: an int slot id, then a pointer)
    hold {Py_mod_exec, the exec function} and then {Py_mod_gil (4),
    Py_MOD_GIL_NOT_USED (1)}: what CPython 3.14t reads to keep the GIL off
    on import. The function pointer is a relocation, so its bytes in the
    file are free; the rest is fixed. Py_MOD_GIL_USED would be a 0."""
    data = binary.read_bytes()
    word = lambda n: struct.pack("<Q", n)  # noqa: E731
    gil_not_used = re.compile(re.escape(word(2)) + b"(?s:.{8})" + re.escape(word(4) + word(1) + word(0) + word(0)))
    gil_used = re.compile(re.escape(word(2)) + b"(?s:.{8})" + re.escape(word(4) + word(0) + word(0) + word(0)))
    assert gil_not_used.search(data) and not gil_used.search(data), "no Py_mod_gil = Py_MOD_GIL_NOT_USED slot"


@pytest.mark.parametrize("suffix,arch,libc", NPM, ids=[n[0] for n in NPM])
def test_npm_platform_package(suffix: str, arch: str, libc: str, tmp_path: pathlib.Path) -> None:
    binary, meta = _npm_binary(suffix, tmp_path)
    _check_binary(binary, arch, libc)
    cpu = {"x86_64": "x64", "aarch64": "arm64"}[arch]
    assert (meta["name"], meta["os"], meta["cpu"], meta["libc"]) == (f"enneo-{suffix}", ["linux"], [cpu], [libc])


def test_main_npm_package_names_every_platform_package() -> None:
    import json

    with tarfile.open(_one("enneo-[0-9]*.tgz")) as t:
        main = json.load(io.BytesIO(t.extractfile("package/package.json").read()))  # type: ignore[union-attr]
    for suffix, _, _ in NPM:
        assert main["optionalDependencies"][f"enneo-{suffix}"] == main["version"]
