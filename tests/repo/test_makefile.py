"""The Makefile's `.PHONY` names exactly its targets that make no file."""

from __future__ import annotations

import pathlib
import re

REPO = pathlib.Path(__file__).resolve().parents[2]


def _makefile() -> str:
    # Join continued lines so that a multi-line .PHONY reads as one.
    return re.sub(r"\\\n", " ", (REPO / "Makefile").read_text())


def test_phony_lists_every_command_target_and_nothing_else() -> None:
    text = _makefile()
    phony_lines = re.findall(r"^\.PHONY:(.*)$", text, flags=re.M)
    assert phony_lines, "no .PHONY line"
    phony = {name for line in phony_lines for name in line.split()}
    # Rule heads at the start of a line; file targets contain a '/' or a '.'.
    heads = re.findall(r"^([A-Za-z0-9_.\-/$()]+):(?!=)", text, flags=re.M)
    commands = {h for h in heads if not h.startswith(".") and "/" not in h and "$" not in h and "." not in h}
    assert phony - commands == set(), f".PHONY names targets that do not exist: {sorted(phony - commands)}"
    assert commands - phony == set(), f"targets missing from .PHONY: {sorted(commands - phony)}"
