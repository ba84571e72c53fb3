"""`Customer` with the notebook conveniences: an HTML card and a DataFrame."""

from __future__ import annotations

import html
import importlib
from typing import Any, List

from . import _models


class Customer(_models.Customer):
    """A customer with its tags and energy contracts, as the lookups return
    it. Every field is optional but ``id``; fields the server sends that the
    spec does not name are kept (``to_dict()``). In Jupyter it renders as a
    card, and :meth:`contracts_frame` gives the contracts as a DataFrame."""

    __slots__ = ()

    def contracts_frame(self) -> Any:
        """The contracts as a ``pandas.DataFrame``, one row each, snake_case
        columns, timestamps as UTC datetimes. Needs pandas (typed ``Any`` so
        that type checkers without pandas stubs accept it)."""
        try:
            pandas = importlib.import_module("pandas")
        except ImportError as e:
            raise ImportError(
                "Customer.contracts_frame() needs pandas: pip install pandas (or enneo[notebook])"
            ) from e
        columns = [name for name, _ in _models.Contract._fields]
        rows = [[getattr(k, name) for name in columns] for k in self.contracts or []]
        return pandas.DataFrame(rows, columns=columns)

    def _repr_html_(self) -> str:
        e = html.escape
        name = " ".join(p for p in (self.firstname, self.lastname) if p) or "(no name)"
        tags = "".join(
            f'<span style="background:{e(t.color or "#ddd")};color:#fff;border-radius:4px;padding:0 6px;margin-right:4px">{e(t.name or "")}</span>'
            for t in self.tags or []
        )
        contact = " · ".join(e(str(x)) for x in (self.email, self.phone, self.address) if x)
        head = ["Contract", "Product", "Status", "Energy", "Delivery address", "Deposit", "Unpaid", "Start", "End"]
        rows: List[str] = []
        for k in self.contracts or []:
            cells: List[Any] = [
                k.id,
                k.product_name,
                k.status,
                k.energy,
                k.delivery_address,
                None if k.monthly_deposit is None else f"{k.monthly_deposit:.2f} €",
                None if k.unpaid_debt is None else f"{k.unpaid_debt:.2f} €",
                k.start_date.date() if k.start_date else None,
                k.end_date.date() if k.end_date else None,
            ]
            rows.append("<tr>" + "".join(f"<td>{e('' if c is None else str(c))}</td>" for c in cells) + "</tr>")
        table = (
            "<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
            if rows
            else "<p>No contracts.</p>"
        )
        company = f"<div>{e(self.company)}</div>" if self.company else ""
        return (
            '<div class="enneo-customer" style="border:1px solid #ccc;border-radius:6px;padding:8px">'
            f"<strong>{e(name)}</strong> <small>#{e(str(self.id))}</small>{company}"
            f"<div>{contact}</div><div>{tags}</div>{table}</div>"
        )
