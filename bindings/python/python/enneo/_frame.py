"""`customers_frame`: lookups straight into a pandas or polars DataFrame."""

from __future__ import annotations

import collections
import importlib
from typing import Any, Deque, Dict, Iterable, Iterator, List, Optional, Tuple, Type

from . import _models
from ._base import FlexibleId, Model
from ._exceptions import EnneoError, InvalidArgumentError, InvalidArgumentTypeError

# Annotations of the generated models whose values fit in one cell. Lists,
# objects and free-form values (`Any`) stay out of the frame; they remain on
# the `Customer` objects.
_SCALAR = {
    "FlexibleId",
    "Optional[FlexibleId]",
    "Optional[Phone]",
    "Optional[bool]",
    "Optional[str]",
    "Optional[int]",
    "Optional[float]",
    "Optional[datetime.datetime]",
}
# Columns that hold ids or phone numbers: int or str as the server sent them.
_ID_LIKE = {"FlexibleId", "Optional[FlexibleId]", "Optional[Phone]"}


def _columns(cls: Type[Model]) -> List[Tuple[str, str]]:
    """(attribute, annotation) of each scalar field, in the spec's order."""
    out = []
    for name, _ in cls._fields:
        annotation = getattr(cls, name).fget.__annotations__["return"]
        if annotation in _SCALAR:
            out.append((name, annotation))
    return out


CUSTOMER_COLUMNS = _columns(_models.Customer)
CONTRACT_COLUMNS = _columns(_models.Contract)


def _import(backend: str) -> Any:
    if backend not in ("pandas", "polars"):
        raise InvalidArgumentError(f'backend must be "pandas" or "polars", not {backend!r}')
    try:
        return importlib.import_module(backend)
    except ImportError as e:
        raise ImportError(f"customers_frame(backend={backend!r}) needs {backend}: pip install enneo[{backend}]") from e


def _remembering(ids: Iterable[FlexibleId], seen: Deque[FlexibleId]) -> Iterator[FlexibleId]:
    for id_ in ids:
        seen.append(id_)
        yield id_


def _rows(results: Iterator[Any], seen: Deque[FlexibleId], contracts: bool) -> Iterator[Dict[str, Any]]:
    for result in results:
        row: Dict[str, Any] = {"id": seen.popleft()}
        if isinstance(result, EnneoError):
            row["error"] = str(result)
            yield row
            continue
        row["error"] = None
        for name, _ in CUSTOMER_COLUMNS:
            row[f"customer_{name}"] = getattr(result, name)
        if not contracts:
            yield row
            continue
        for contract in result.contracts or [None]:
            full = dict(row)
            for name, _ in CONTRACT_COLUMNS:
                full[f"contract_{name}"] = None if contract is None else getattr(contract, name)
            yield full


def build(
    results: Iterator[Any], seen: Deque[FlexibleId], contracts: bool, backend: str, module: Any
) -> Any:
    names = ["id", "error"] + [f"customer_{n}" for n, _ in CUSTOMER_COLUMNS]
    kinds = {"id": "FlexibleId", "error": "Optional[str]"} | {f"customer_{n}": a for n, a in CUSTOMER_COLUMNS}
    if contracts:
        names += [f"contract_{n}" for n, _ in CONTRACT_COLUMNS]
        kinds |= {f"contract_{n}": a for n, a in CONTRACT_COLUMNS}
    rows = list(_rows(results, seen, contracts))
    if backend == "pandas":
        frame = module.DataFrame.from_records(rows, columns=names)
        # Nullable dtypes, so a missing value does not turn a column of ints
        # into floats. Ids and phones stay `object`: int or str exactly as
        # sent, where a numeric dtype would turn "0042" into 42.
        pandas_dtypes = {
            "Optional[bool]": "boolean",
            "Optional[str]": "string",
            "Optional[int]": "Int64",
            "Optional[float]": "float64",
            "Optional[datetime.datetime]": "datetime64[us, UTC]",
        }
        return frame.astype({name: pandas_dtypes.get(kind, "object") for name, kind in kinds.items()})
    # polars: one type per column, so ids and phones become their exact text.
    pl = module
    dtypes = {
        "Optional[bool]": pl.Boolean,
        "Optional[str]": pl.String,
        "Optional[int]": pl.Int64,
        "Optional[float]": pl.Float64,
        "Optional[datetime.datetime]": pl.Datetime("us", "UTC"),
    }
    schema = {name: dtypes.get(kinds[name], pl.String) for name in names}
    for row in rows:
        for name in names:
            if kinds[name] in _ID_LIKE and row.get(name) is not None:
                row[name] = str(row[name])
    return pl.from_dicts(rows, schema=schema)


def customers_frame(client: Any, ids: Iterable[FlexibleId], concurrency: Optional[int], contracts: bool, backend: str) -> Any:
    module = _import(backend)
    if isinstance(ids, (str, bytes)):
        raise InvalidArgumentTypeError("ids must be an iterable of ids, not a single str")
    try:
        ids = iter(ids)
    except TypeError:
        raise InvalidArgumentTypeError(f"ids must be an iterable of ids, not {type(ids).__name__}") from None
    seen: Deque[FlexibleId] = collections.deque()
    results = client.iter_customers(_remembering(ids, seen), concurrency=concurrency)
    return build(results, seen, contracts, backend, module)
