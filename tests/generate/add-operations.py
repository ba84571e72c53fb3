"""Adds two GET operations to an openapi.yaml, as a user of the generator
would: one returning `Customer`, one returning `Contract` with a response
example. Used by tests/generate/run.sh on a scratch copy of the repository."""

import sys

import yaml

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    spec = yaml.safe_load(f)

errors = {code: {"$ref": f"#/components/responses/{name}"} for code, name in [("401", "Unauthorized"), ("404", "NotFound")]}
spec["paths"]["/customer/byEmail/{email}"] = {
    "get": {
        "tags": ["customer"],
        "operationId": "getCustomerByEmail",
        "summary": "Get the customer with an email address",
        "description": "Returns the customer whose email address this is.",
        "parameters": [{"name": "email", "in": "path", "required": True, "description": "The customer's email address", "schema": {"type": "string"}}],
        "responses": {"200": {"$ref": "#/components/responses/Customer"}, **errors},
    }
}
spec["paths"]["/contract/{contractId}"] = {
    "get": {
        "tags": ["customer"],
        "operationId": "getContract",
        "summary": "Get a contract",
        "description": "Returns one energy contract by its id.",
        "parameters": [
            {"name": "contractId", "in": "path", "required": True, "description": "The contract's id", "schema": {"$ref": "#/components/schemas/PathId"}},
            {"name": "expand", "in": "query", "required": False, "description": "Related data to include", "schema": {"type": "string"}},
        ],
        "responses": {
            "200": {
                "description": "The contract",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/Contract"},
                        "example": {"id": 12345678901234567890, "status": "active", "productName": "Ökostrom Flex", "unpaidDebt": 12.5, "vatRate": 0.19},
                    }
                },
            },
            **errors,
        },
    }
}
with open(path, "w", encoding="utf-8") as f:
    yaml.safe_dump(spec, f, sort_keys=False, allow_unicode=True)
