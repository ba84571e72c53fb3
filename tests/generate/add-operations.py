"""Adds operations and schemas to an openapi.yaml, as a user of the
generator would: a GET returning `Customer`; a GET returning `Contract` with
a response example; a POST with a JSON body (`NewReading`) and a DELETE;
and a GET returning a new schema, `MeterReading`, that
uses every schema form, with typed query parameters (boolean, array of
enums exploded, date-time, integer, array not exploded), and (date-time, date and uuid formats, a string enum and
a nullable one, a nested object, an array of scalars, a typed map, `allOf`).
Used by tests/generate/run.sh on a scratch copy of the repository."""

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
spec["components"]["schemas"]["MeterReading"] = {
    "type": "object",
    "description": "A meter reading, with every schema form a maintainer may add",
    "required": ["id"],
    "properties": {
        "id": {"$ref": "#/components/schemas/FlexibleId"},
        "readAt": {"type": "string", "format": "date-time", "description": "When it was read"},
        "readOn": {"type": "string", "format": "date"},
        "uuid": {"type": "string", "format": "uuid"},
        "kind": {"type": "string", "enum": ["actual", "estimated"]},
        "quality": {"type": "string", "nullable": True, "enum": ["good", "poor", None]},
        "meter": {"type": "object", "properties": {"number": {"type": "string"}, "digits": {"type": "integer"}}},
        "values": {"type": "array", "items": {"type": "number"}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "contract": {"allOf": [{"$ref": "#/components/schemas/Contract"}, {"type": "object", "properties": {"note": {"type": "string"}}}]},
    },
}
spec["paths"]["/reading/{readingId}"] = {
    "get": {
        "tags": ["customer"],
        "operationId": "getReading",
        "summary": "Get a meter reading",
        "parameters": [
            {"name": "readingId", "in": "path", "required": True, "schema": {"$ref": "#/components/schemas/PathId"}},
            # Typed query parameters: each checked and written by its type.
            {"name": "withHistory", "in": "query", "schema": {"type": "boolean"}},
            {"name": "kinds", "in": "query", "schema": {"type": "array", "items": {"type": "string", "enum": ["actual", "estimated"]}}},
            {"name": "since", "in": "query", "schema": {"type": "string", "format": "date-time"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}},
            {"name": "fields", "in": "query", "explode": False, "schema": {"type": "array", "items": {"type": "string"}}},
        ],
        "responses": {
            "200": {
                "description": "The reading",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/MeterReading"},
                        "example": {
                            "id": 1, "readAt": "2024-01-02T03:04:05.5Z", "readOn": "2024-01-02", "uuid": "123e4567-e89b-12d3-a456-426614174000",
                            "kind": "smart", "quality": None, "meter": {"number": "M-1", "digits": 6}, "values": [1.5, 2],
                            "labels": {"site": "north"}, "contract": {"id": 12345678901234567890, "note": "n", "productName": "Ökostrom Flex"},
                        },
                    }
                },
            },
            **errors,
        },
    }
}
# A POST with a JSON body and a DELETE: any method, with request-body types
# in every language, the mock checking the body against this schema.
spec["components"]["schemas"]["NewReading"] = {
    "type": "object",
    "description": "A meter reading to record",
    "required": ["meterId", "kind", "value"],
    "properties": {
        "meterId": {"$ref": "#/components/schemas/FlexibleId"},
        "kind": {"type": "string", "enum": ["actual", "estimated"], "description": "How it was read"},
        "value": {"type": "number"},
        "readAt": {"type": "string", "format": "date-time"},
        "note": {"type": "string", "nullable": True},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
reading_example = {"id": 2, "kind": "actual", "values": [7.25], "meter": {"number": "M-2", "digits": 6}}
spec["paths"]["/reading"] = {
    "post": {
        "tags": ["customer"],
        "operationId": "createReading",
        "summary": "Record a meter reading",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewReading"}}}},
        "responses": {
            "201": {
                "description": "The reading as recorded",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MeterReading"}, "example": reading_example}},
            },
            **errors,
        },
    }
}
spec["paths"]["/reading/{readingId}"]["delete"] = {
    "tags": ["customer"],
    "operationId": "deleteReading",
    "summary": "Delete a meter reading",
    "parameters": [{"name": "readingId", "in": "path", "required": True, "schema": {"$ref": "#/components/schemas/PathId"}}],
    "responses": {
        "200": {
            "description": "The reading as it was",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MeterReading"}, "example": reading_example}},
        },
        **errors,
    },
}
with open(path, "w", encoding="utf-8") as f:
    yaml.safe_dump(spec, f, sort_keys=False, allow_unicode=True)
