"""`make demo`'s Python part: one lookup against a local enneo-mock."""

import os
import subprocess

import enneo

mock = subprocess.Popen([os.environ.get("ENNEO_MOCK_BIN", "enneo-mock"), "--port", "0"], stdout=subprocess.PIPE, text=True)
try:
    base_url = mock.stdout.readline().split()[-1] + "/api/mind"
    with enneo.Client(base_url=base_url, token="demo") as client:
        customer = client.get_customer(83771)
    print(f"{customer.firstname} {customer.lastname} (id {customer.id}), {len(customer.contracts or [])} contract(s)")
    for k in customer.contracts or []:
        print(f"  {k.product_name} · {k.status} · {k.energy} · unpaid {k.unpaid_debt:.2f} € · since {k.start_date:%Y-%m-%d}")
finally:
    mock.kill()
