"""The README's and the guides' Python, JavaScript and TypeScript samples work.

Every ```python, ```js and ```ts block of README.md and docs/**/*.md is
type-checked (mypy for Python, tsc for TypeScript, tsc --checkJs for
JavaScript) against the installed packages, and then run against the mock
with ENNEO_BASE_URL and ENNEO_TOKEN set, as a reader would run it. A Python
block that defines `test_` functions runs under pytest.

Marks, as HTML comments that neither GitHub nor the site shows, on the line
before a block:
- `<!-- check -->`: type-check it only (a server that listens forever, a
  Spark job, top-level `await` as Jupyter runs it).
- `<!-- prelude -->`: put the file's prelude for that language in front of
  it, for a fragment that uses a `client` or `ids` defined elsewhere. The
  prelude is one `<!-- prelude:python ... -->` (or `prelude:js`,
  `prelude:ts`) comment anywhere in the file.
- `<!-- check prelude -->`: both.

The mock serves two customers, 83771 and 83772 (the spec's example); other
ids get 404. Needs ENNEO_MOCK_BIN, ENNEO_SNIPPET_PYTHON (a venv's python
with enneo, mypy and pytest) and ENNEO_NODE_PROJECT (a project with enneo,
typescript, @types/node and express installed).
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import Dict, Iterator, List

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
MOCK_BIN = os.environ.get("ENNEO_MOCK_BIN", str(REPO / "target/debug/enneo-mock"))
PYTHON = os.environ.get("ENNEO_SNIPPET_PYTHON", sys.executable)
NODE_PROJECT = pathlib.Path(os.environ.get("ENNEO_NODE_PROJECT", REPO / "target/node-test-project"))
LANGS = {"python": "python", "py": "python", "js": "js", "javascript": "js", "ts": "ts", "typescript": "ts"}
FENCE = re.compile(r"^```(\w+)\s*$")
PRELUDE = re.compile(r"<!-- prelude:(python|js|ts)\n(.*?)-->", re.S)
MARKS = re.compile(r"^<!-- ((?:check|prelude)(?: (?:check|prelude))?) -->$")


@dataclass
class Snippet:
    source: pathlib.Path
    line: int
    lang: str
    code: str
    run: bool

    @property
    def name(self) -> str:
        rel = self.source.relative_to(REPO).with_suffix("")
        return re.sub(r"[^A-Za-z0-9]+", "_", f"{rel}_L{self.line}").lower()

    @property
    def file_name(self) -> str:
        if self.lang == "python":
            return f"{self.name}.py"
        if self.lang == "ts":
            return f"{self.name}.mts"
        commonjs = re.search(r"\brequire\(", self.code) and not re.search(r"^import ", self.code, re.M)
        return f"{self.name}.cjs" if commonjs else f"{self.name}.mjs"


def collect() -> List[Snippet]:
    sources = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    snippets: List[Snippet] = []
    for source in sources:
        text = source.read_text(encoding="utf-8")
        preludes: Dict[str, str] = {m.group(1): m.group(2) for m in PRELUDE.finditer(text)}
        lines = text.splitlines()
        i = 0
        while i < len(lines):
            m = FENCE.match(lines[i])
            if not m:
                i += 1
                continue
            start, lang = i, LANGS.get(m.group(1))
            i += 1
            body: List[str] = []
            while i < len(lines) and lines[i] != "```":
                body.append(lines[i])
                i += 1
            i += 1
            if lang is None:
                continue
            before = next((lines[j].strip() for j in range(start - 1, -1, -1) if lines[j].strip()), "")
            marks = MARKS.match(before)
            words = marks.group(1).split() if marks else []
            prelude = preludes[lang] if "prelude" in words else ""
            snippets.append(Snippet(source, start + 1, lang, prelude + "\n".join(body) + "\n", run="check" not in words))
    return snippets


SNIPPETS = collect()


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    fixtures = tmp_path_factory.mktemp("fixtures")
    seed = json.loads((REPO / "crates/enneo-mock/src/seed-customer.json").read_text(encoding="utf-8"))
    for i, customer_id in enumerate((83771, 83772)):
        seed["id"] = customer_id
        for k, contract in enumerate(seed.get("contracts") or []):
            contract["id"] = 746839 + 10 * i + k
        (fixtures / f"{customer_id}.json").write_text(json.dumps(seed), encoding="utf-8")
    proc = subprocess.Popen([MOCK_BIN, "--port", "0", "--fixtures", str(fixtures)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("listening on "), line
    try:
        yield line.split()[-1] + "/api/mind"
    finally:
        proc.terminate()
        proc.wait()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The Python files in a temporary directory; the JS and TS ones in the
    Node project, so that `enneo` resolves from its node_modules."""
    py = tmp_path_factory.mktemp("snippets")
    node = NODE_PROJECT / "doc-snippets"
    shutil.rmtree(node, ignore_errors=True)
    (node / "src").mkdir(parents=True)
    for s in SNIPPETS:
        (py if s.lang == "python" else node / "src").joinpath(s.file_name).write_text(s.code, encoding="utf-8")
    return py


def errors_by_file(output: str, pattern: str) -> Dict[str, List[str]]:
    found: Dict[str, List[str]] = {}
    for line in output.splitlines():
        m = re.match(pattern, line)
        if m:
            found.setdefault(pathlib.Path(m.group(1)).name, []).append(line)
    return found


@pytest.fixture(scope="module")
def mypy_errors(workdir: pathlib.Path) -> Dict[str, List[str]]:
    files = sorted(str(p) for p in workdir.glob("*.py"))
    out = subprocess.run(
        [PYTHON, "-m", "mypy", "--no-error-summary", "--ignore-missing-imports", "--check-untyped-defs",
         "--disable-error-code", "top-level-await", "--no-incremental", "--cache-dir", os.devnull, *files],
        capture_output=True, text=True, cwd=workdir,
    )
    assert out.returncode in (0, 1), out.stderr
    return errors_by_file(out.stdout, r"^(.+?\.py):\d+: error")


def tsc(args: List[str]) -> Dict[str, List[str]]:
    node = NODE_PROJECT / "doc-snippets"
    out = subprocess.run([str(NODE_PROJECT / "node_modules/.bin/tsc"), *args], capture_output=True, text=True, cwd=node)
    assert out.returncode in (0, 1, 2), out.stderr
    return errors_by_file(out.stdout, r"^(.+?\.[cm]?[jt]s)\(\d+,\d+\): error")


@pytest.fixture(scope="module")
def tsc_errors(workdir: pathlib.Path) -> Dict[str, List[str]]:
    node = NODE_PROJECT / "doc-snippets"
    base = ["--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", "--types", "node", "--skipLibCheck", "--pretty", "false"]
    ts = sorted(str(p.relative_to(node)) for p in (node / "src").glob("*.mts"))
    js = sorted(str(p.relative_to(node)) for p in (node / "src").glob("*.[cm]js"))
    errors = tsc([*base, "--strict", "--outDir", "out", *ts]) if ts else {}
    # JavaScript as a reader writes it: checked for wrong names, calls and
    # unhandled nulls, without demanding annotations.
    errors.update(tsc([*base, "--allowJs", "--checkJs", "--strictNullChecks", "--noEmit", *js]) if js else {})
    return errors


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.name)
def test_snippet(snippet: Snippet, mock: str, workdir: pathlib.Path, mypy_errors: Dict[str, List[str]], tsc_errors: Dict[str, List[str]]) -> None:
    where = f"{snippet.source.relative_to(REPO)}:{snippet.line}"
    errors = (mypy_errors if snippet.lang == "python" else tsc_errors).get(snippet.file_name, [])
    assert not errors, f"{where} does not type-check:\n" + "\n".join(errors)
    if not snippet.run:
        return
    env = {**os.environ, "ENNEO_BASE_URL": mock, "ENNEO_TOKEN": "docs-token", "ENNEO_LOG": ""}
    if snippet.lang == "python":
        path = workdir / snippet.file_name
        test_file = re.search(r"^def test_", snippet.code, re.M)
        cmd = [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path)] if test_file else [PYTHON, str(path)]
        cwd = workdir
    else:
        node = NODE_PROJECT / "doc-snippets"
        path = node / ("out/" + snippet.file_name.replace(".mts", ".mjs") if snippet.lang == "ts" else "src/" + snippet.file_name)
        cmd, cwd = ["node", str(path)], node
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=180)
    assert out.returncode == 0, f"{where} failed (exit {out.returncode}):\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
