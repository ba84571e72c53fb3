"""Fails when a public name of the `enneo` package has no documentation.

Usage: python tools/docs/check_python_docs.py PACKAGE_DIR

Public means: exported by `enneo.__all__` or `enneo.testing.__all__`, and
for a class, each member it has (inherited ones too) whose name has no
leading underscore
(an override of a documented base member inherits its documentation).
Loaded statically with griffe, as mkdocstrings sees it (the compiled
`_native` module through its `.pyi` stub), so nothing is imported.
"""

from __future__ import annotations

import sys
from typing import List

import griffe


def main(search_path: str) -> int:
    missing: List[str] = []
    for module_name in ("enneo", "enneo.testing"):
        module = griffe.load(module_name, search_paths=[search_path], resolve_aliases=True, resolve_external=False)
        exports = module.exports or []
        if not exports:
            missing.append(f"{module_name}: no __all__")
        for name in exports:
            check(module[name], f"{module_name}.{name}", missing)
    for line in missing:
        print(f"undocumented: {line}", file=sys.stderr)
    if missing:
        print(f"{len(missing)} public names without documentation", file=sys.stderr)
        return 1
    return 0


def check(obj: griffe.Object | griffe.Alias, path: str, missing: List[str]) -> None:
    target = obj.final_target if obj.is_alias else obj
    if not documented(target):
        missing.append(f"{path} ({target.kind.value})")
    if target.kind is not griffe.Kind.CLASS:
        return
    for name, member in target.all_members.items():
        if name.startswith("_"):
            continue
        if member.is_alias:
            try:
                member = member.final_target
            except griffe.AliasResolutionError:
                continue
        if not documented(member) and not inherited_doc(target, name):
            missing.append(f"{path}.{name} ({member.kind.value})")


def documented(obj: griffe.Object | griffe.Alias) -> bool:
    return bool(obj.docstring and obj.docstring.value.strip())


def inherited_doc(cls: griffe.Object | griffe.Alias, name: str) -> bool:
    """A member that overrides a documented one of a base class (a status
    error's ``code``) keeps that documentation."""
    for base in cls.mro():
        member = base.members.get(name)
        if member is not None and documented(member.final_target if member.is_alias else member):
            return True
    return False


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
