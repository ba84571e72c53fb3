"""`customers_frame`: lookups into a pandas or polars DataFrame, through the
core's Arrow batches (`enneo::frame` gives them the frame's columns), with
no Python object per value."""

from __future__ import annotations

import importlib
from typing import Any, Callable, List

from ._exceptions import InvalidArgumentError


def _import(name: str, backend: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as e:
        raise ImportError(f"customers_frame(backend={backend!r}) needs {name}: pip install enneo[{backend}]") from e


def backend(name: str) -> List[Any]:
    """The modules backend `name` needs, imported: called before any
    lookup is made, so that a missing one costs none."""
    if name not in ("pandas", "polars"):
        raise InvalidArgumentError(f'backend must be "pandas" or "polars", not {name!r}')
    modules = ["polars"] if name == "polars" else ["pandas", "pyarrow"]
    return [_import(module, name) for module in modules]


def build(arrow: Any, modules: List[Any]) -> Any:
    """The frame of `arrow` (an object with `__arrow_c_stream__` in frame
    shape) in the backend of `modules`."""
    if len(modules) == 1:
        (pl,) = modules
        return pl.DataFrame(arrow)
    pd, pa = modules
    table = pa.table(arrow)
    # Nullable dtypes, so a missing value does not turn a column of ints
    # into floats.
    dtypes: Callable[[Any], Any] = {
        pa.bool_(): pd.BooleanDtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.string(): pd.StringDtype(),
    }.get
    # Ids and phone numbers are strings too: their exact text, as in polars.
    return table.to_pandas(types_mapper=dtypes)
