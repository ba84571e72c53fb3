"""The documentation checks can fail: each one, fed a package with one
public name undocumented, names it and exits non-zero."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = REPO / "bindings/python/python"


def run_check(package_dir: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "tools/docs/check_python_docs.py"), str(package_dir)], capture_output=True, text=True)


def test_the_package_passes() -> None:
    out = run_check(PACKAGE)
    assert out.returncode == 0, out.stderr


def test_an_undocumented_method_fails(tmp_path: pathlib.Path) -> None:
    shutil.copytree(PACKAGE / "enneo", tmp_path / "enneo", ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    source = tmp_path / "enneo/_response.py"
    text = source.read_text(encoding="utf-8")
    doc = '        """Every value of header ``name``, in the order received (``[]`` when absent)."""\n'
    assert doc in text
    source.write_text(text.replace(doc, ""), encoding="utf-8")
    out = run_check(tmp_path)
    assert out.returncode == 1
    assert "undocumented: enneo.Headers.get_list (function)" in out.stderr


def test_an_undocumented_export_fails(tmp_path: pathlib.Path) -> None:
    shutil.copytree(PACKAGE / "enneo", tmp_path / "enneo", ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    init = tmp_path / "enneo/__init__.py"
    init.write_text(init.read_text(encoding="utf-8") + "\ndef helper() -> None:\n    pass\n\n__all__ += [\"helper\"]\n", encoding="utf-8")
    out = run_check(tmp_path)
    assert out.returncode == 1
    assert "undocumented: enneo.helper (function)" in out.stderr


def test_typedoc_fails_on_an_undocumented_export(tmp_path: pathlib.Path) -> None:
    node = REPO / "bindings/node"
    copy = tmp_path / "node"
    copy.mkdir()
    for name in ("ts", "tsconfig.json", "typedoc.json", "native.d.ts", "package.json"):
        (shutil.copytree if (node / name).is_dir() else shutil.copy)(node / name, copy / name)
    (copy / "node_modules").symlink_to(node / "node_modules")
    index = copy / "ts/index.ts"
    index.write_text(index.read_text(encoding="utf-8") + "\nexport const undocumentedThing = 1\n", encoding="utf-8")
    out = subprocess.run([str(node / "node_modules/.bin/typedoc"), "--options", "typedoc.json", "--out", str(tmp_path / "out")],
                         capture_output=True, text=True, cwd=copy)
    assert out.returncode != 0
    assert "undocumentedThing" in out.stdout + out.stderr


def check_links(site: pathlib.Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "tools/docs/check_links.py"), str(site), "/enneo-client/"],
                          capture_output=True, text=True)


def test_the_link_check_names_each_broken_link(tmp_path: pathlib.Path) -> None:
    """Relative links into rustdoc-like trees, absolute ones below the path
    the site is served at, scripts; another host is not followed."""
    (tmp_path / "api/rust/enneo").mkdir(parents=True)
    (tmp_path / "api/rust/enneo/index.html").write_text("<p>crate</p>", encoding="utf-8")
    (tmp_path / "guides").mkdir()
    (tmp_path / "guides/index.html").write_text("<p>guides</p>", encoding="utf-8")
    (tmp_path / "api/rust/enneo/struct.Client.html").write_text(
        '<a href="index.html#fields">ok</a><a href="../../../guides/">ok</a><a href="/enneo-client/guides/">ok</a>'
        '<a href="https://docs.rs/tracing/0.1/tracing/">other host</a><a href="#here">anchor</a>'
        '<a href="dispatcher#setting-the-default-subscriber">broken</a>'
        '<script src="../trait.impl/enneo/log/trait.LogSink.js"></script><a href="/elsewhere/">broken</a>',
        encoding="utf-8",
    )
    out = check_links(tmp_path)
    assert out.returncode == 1
    broken = sorted(line.split(": broken link ")[1] for line in out.stdout.splitlines() if ": broken link " in line)
    assert broken == ["../trait.impl/enneo/log/trait.LogSink.js", "/elsewhere/", "dispatcher#setting-the-default-subscriber"]
    (tmp_path / "api/rust/trait.impl/enneo/log").mkdir(parents=True)
    (tmp_path / "api/rust/trait.impl/enneo/log/trait.LogSink.js").write_text("", encoding="utf-8")
    (tmp_path / "api/rust/enneo/dispatcher").write_text("", encoding="utf-8")
    out = check_links(tmp_path)
    assert out.returncode == 1 and out.stdout.count("broken link") == 1


def test_the_built_site_has_no_broken_link() -> None:
    site = REPO / "site"
    if not (site / "api/rust/index.html").exists():
        import pytest
        pytest.skip("make docs builds site/ (test-docs runs after it)")
    out = check_links(site)
    assert out.returncode == 0, out.stdout
