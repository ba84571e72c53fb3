"""The sdist's build backend: maturin, after checking for a Rust toolchain.

Building from source compiles the Rust core. Without cargo, maturin's own
failure talks about `cargo metadata`; this says what to install instead.
"""

from __future__ import annotations

import shutil
from typing import Any, Dict, Optional

import maturin
from maturin import (  # noqa: F401  (re-exported PEP 517 hooks)
    build_sdist,
    get_requires_for_build_sdist,
    prepare_metadata_for_build_wheel,
)

_MISSING_RUST = (
    "Building enneo from source needs a Rust toolchain (cargo and rustc 1.88 or newer), and none was found on PATH.\n"
    "Install it from https://rustup.rs (or your system's package manager, e.g. `apt install cargo`), then retry.\n"
    "Prebuilt wheels exist for Linux (x86_64, aarch64; glibc and musl), macOS (x86_64, arm64) and Windows (x64): "
    "upgrade pip (`python -m pip install -U pip`) so that it can pick one."
)


def _require_cargo() -> None:
    if shutil.which("cargo") is None:
        raise RuntimeError(_MISSING_RUST)


def get_requires_for_build_wheel(config_settings: Optional[Dict[str, Any]] = None) -> Any:
    _require_cargo()
    return maturin.get_requires_for_build_wheel(config_settings)


def build_wheel(wheel_directory: str, config_settings: Optional[Dict[str, Any]] = None, metadata_directory: Optional[str] = None) -> str:
    _require_cargo()
    return maturin.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_editable(wheel_directory: str, config_settings: Optional[Dict[str, Any]] = None, metadata_directory: Optional[str] = None) -> str:
    _require_cargo()
    return maturin.build_editable(wheel_directory, config_settings, metadata_directory)
