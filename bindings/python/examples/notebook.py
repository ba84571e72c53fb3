# %% [markdown]
# # enneo in a notebook
# Run cell by cell in Jupyter/VS Code (`# %%` cells), or as a script.
# Without ENNEO_BASE_URL it starts the local mock server (`enneo-mock`), so it
# works offline with no token.

# %%
import os
import shutil
import subprocess

import enneo

mock = None
if not os.environ.get("ENNEO_BASE_URL"):
    binary = os.environ.get("ENNEO_MOCK_BIN") or shutil.which("enneo-mock") or "target/debug/enneo-mock"
    mock = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE, text=True)
    os.environ["ENNEO_BASE_URL"] = mock.stdout.readline().split()[-1] + "/api/mind"

client = enneo.Client()  # ENNEO_TOKEN / ENNEO_BASE_URL

# %% The customer as an HTML card (Jupyter shows it for a bare `customer`)
customer = client.get_customer(83771)
try:
    from IPython.display import display

    display(customer)
except ImportError:
    print(customer._repr_html_()[:200], "...")

# %% Bulk lookup: concurrency runs in Rust; a progress bar via tqdm
results = client.get_customers(range(83700, 83800), concurrency=16, progress=True)
found = [r for r in results if isinstance(r, enneo.Customer)]
print(f"{len(found)} of {len(results)} found")

# %% Contracts as a DataFrame
frame = customer.contracts_frame()
print(frame[["product_name", "status", "energy", "unpaid_debt", "start_date"]])

# %%
if mock is not None:
    mock.kill()
