"""A typed consumer of enneo; `mypy --strict` must accept it (make test)."""

from __future__ import annotations

import asyncio
import datetime
from typing import List, Optional

import enneo


def unpaid_total(customer: enneo.Customer) -> float:
    return sum(k.unpaid_debt or 0.0 for k in customer.contracts or [])


def first_start(customer: enneo.Customer) -> Optional[datetime.datetime]:
    starts = [k.start_date for k in customer.contracts or [] if k.start_date is not None]
    return min(starts) if starts else None


def lookup(client: enneo.Client, customer_id: enneo.CustomerId) -> Optional[enneo.Customer]:
    try:
        return client.get_customer(customer_id, timeout=5.0)
    except enneo.NotFoundError:
        return None
    except enneo.APIStatusError as e:
        print(e.status_code, e.request_id)
        raise


def bulk(client: enneo.Client, ids: List[int]) -> List[str]:
    names: List[str] = []
    for item in client.get_customers(ids, concurrency=8):
        if isinstance(item, enneo.Customer):
            names.append(item.lastname or "")
        else:
            names.append(f"error: {item.code}")
    return names


async def lookup_async(ids: List[enneo.CustomerId]) -> List[enneo.FlexibleId]:
    async with enneo.AsyncClient(max_retries=3) as client:
        customers = await asyncio.gather(*(client.get_customer(i) for i in ids))
        return [c.id for c in customers]


def main() -> None:
    with enneo.Client() as client:
        c = lookup(client, 83771)
        if c is not None:
            print(unpaid_total(c), first_start(c), c.to_dict()["id"])
            tab = c.contracts[0].tab_preview if c.contracts else None
            print(tab.icon if tab else None)


if __name__ == "__main__":
    main()
