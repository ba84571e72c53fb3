"""The release workflows lint, and what every package ships agrees."""

from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys
import tomllib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_workflows_pass_an_offline_linter() -> None:
    workflows = sorted((REPO / ".github" / "workflows").glob("*.yml"))
    assert {w.name for w in workflows} >= {"ci.yml", "release-python.yml", "release-node.yml", "release-rust.yml", "docs.yml"}
    checker = pathlib.Path(sys.executable).parent / "check-jsonschema"
    out = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", *map(str, workflows)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


# Runner images GitHub has retired (macos-13 in December 2025,
# actions/runner-images#13046) and Node lines past their end of life.
RETIRED_RUNNERS = {"macos-11", "macos-12", "macos-13", "ubuntu-18.04", "ubuntu-20.04", "windows-2019"}
EOL_NODE = {"14", "16", "18", "20"}


def test_workflows_use_current_runners_and_maintained_node_lines() -> None:
    yaml = pytest.importorskip("yaml")
    for path in (REPO / ".github" / "workflows").glob("*.yml"):
        text = path.read_text()
        labels = set(re.findall(r"(?:runs-on|host|runner|os):\s*\[?([\w.\-, ]+)\]?", text))
        named = {l.strip() for group in labels for l in group.split(",")}
        assert not named & RETIRED_RUNNERS, f"{path.name} names {named & RETIRED_RUNNERS}"
        nodes = set(re.findall(r"node-version:\s*\"?(\d+)", text)) | set(re.findall(r"node:(\d+)-", text)) | set(re.findall(r"node: \"(\d+)\"", text))
        assert not nodes & EOL_NODE, f"{path.name} uses Node {nodes & EOL_NODE}"
        yaml.safe_load(text)
    ci = yaml.safe_load((REPO / ".github/workflows/ci.yml").read_text())
    triggers = ci.get("on", ci.get(True))
    assert "push" in triggers and "pull_request" in triggers


def test_license_and_changelog_copies_match_the_root() -> None:
    # maturin and cargo package only files inside their own folder, so those
    # packages carry copies; they must not drift from the root files. (The npm
    # staging script reads the root files directly.)
    for name, copies in {"LICENSE": ["bindings/python", "crates/enneo"]}.items():
        for where in copies:
            assert (REPO / where / name).read_text() == (REPO / name).read_text(), f"{where}/{name} differs from {name}"


def test_the_workspace_version_is_the_only_one_written_by_hand() -> None:
    version = tomllib.loads((REPO / "Cargo.toml").read_text())["workspace"]["package"]["version"]
    assert json.loads((REPO / "bindings/node/package.json").read_text())["version"] == version
    for manifest in ["crates/enneo", "crates/enneo-cli", "crates/enneo-mock", "bindings/python", "bindings/node"]:
        package = tomllib.loads((REPO / manifest / "Cargo.toml").read_text())["package"]
        assert package["version"] == {"workspace": True}, manifest
    assert tomllib.loads((REPO / "bindings/python/pyproject.toml").read_text())["project"]["dynamic"] == ["version"]


def test_docs_rs_metadata() -> None:
    package = tomllib.loads((REPO / "crates/enneo/Cargo.toml").read_text())["package"]
    assert package["metadata"]["docs"]["rs"]["all-features"] is True
