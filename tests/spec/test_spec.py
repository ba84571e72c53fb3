"""openapi.yaml: valid, and its example is the seed the mock serves."""

import json
import pathlib

import yaml
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource

ROOT = pathlib.Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text())
SEED = json.loads((ROOT / "crates/enneo-mock/src/seed-customer.json").read_text())


def schema_validator(name):
    registry = Registry().with_resource("urn:spec", Resource.opaque(SPEC))
    return OAS30Validator({"$ref": f"urn:spec#/components/schemas/{name}"}, registry=registry)


def test_spec_is_valid_openapi_3_0_3():
    assert SPEC["openapi"] == "3.0.3"
    validate(SPEC)


def test_seed_example_is_the_spec_example():
    assert SPEC["components"]["examples"]["SeedCustomer"]["value"] == SEED


def test_seed_example_validates_against_customer_schema():
    errors = list(schema_validator("Customer").iter_errors(SEED))
    assert errors == []


def test_customer_schema_rejects_what_it_should():
    v = schema_validator("Customer")
    assert not v.is_valid({"firstname": "no id"})
    assert not v.is_valid({"id": 1, "contracts": [{"monthlyDeposit": "lots"}]})
    assert not v.is_valid({"id": None})


def test_customer_schema_accepts_the_loose_real_world_shapes():
    v = schema_validator("Customer")
    loose = {
        "id": "C-77",
        "phone": "+49190332332",
        "newField": {"any": "shape"},
        "contracts": [
            {"customerId": 123, "status": "suspended", "energy": "heat", "monthlyDeposit": 53.5,
             "endDate": None, "tabPreview": {"icon": "water"}, "erpUrls": [{"logo": "sap"}]},
            {"customerId": "0123", "phone": None, "id": None},
        ],
    }
    assert list(v.iter_errors(loose)) == []


def test_every_seed_field_is_documented_with_description_and_example():
    schemas = SPEC["components"]["schemas"]
    for name, obj in [("Customer", SEED), ("Contract", SEED["contracts"][0])]:
        props = schemas[name]["properties"]
        assert set(obj) <= set(props), set(obj) - set(props)
        for field, prop in props.items():
            target = schemas[prop["$ref"].rsplit("/", 1)[1]] if "$ref" in prop else prop
            assert target.get("description"), f"{name}.{field} has no description"
            has_example = "example" in target or any("example" in b for b in target.get("anyOf", []) + target.get("oneOf", []))
            assert has_example or "items" in target, f"{name}.{field} has no example"
