"""The shared test vectors in tests/vectors: the generated payloads are up
to date and valid under openapi.yaml, and the hand-written files are well
formed."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
from typing import Any, Dict

import jsonschema
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"
SPEC = yaml.safe_load((REPO / "openapi.yaml").read_text())


def to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema to JSON Schema: `nullable` becomes a `null`
    alternative, component refs point into `definitions`."""
    if isinstance(node, list):
        return [to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v) for k, v in node.items() if k not in ("nullable", "example", "examples")}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/components/schemas/", "#/definitions/")
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def customer_validator() -> jsonschema.Draft7Validator:
    definitions = {k: to_json_schema(v) for k, v in SPEC["components"]["schemas"].items()}
    schema: Dict[str, Any] = {"$ref": "#/definitions/Customer", "definitions": definitions}
    return jsonschema.Draft7Validator(schema)


def test_generated_payloads_are_up_to_date() -> None:
    out = subprocess.run([sys.executable, str(VECTORS / "generate.py"), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_every_payload_is_valid_under_the_spec() -> None:
    validator = customer_validator()
    generated = json.loads((VECTORS / "payloads-generated.json").read_text())["bodies"]
    hand = [c["body"] for c in json.loads((VECTORS / "payloads.json").read_text())["cases"]]
    assert len(generated) >= 500
    for body in generated + hand:
        errors = list(validator.iter_errors(json.loads(body)))
        assert not errors, (body[:200], [e.message for e in errors[:3]])
    # The generated set covers what it claims to.
    text = "\n".join(generated)
    assert "null" in text and "18446744073709551617" in text and "5.960464477539063e-08" in text
    docs = [json.loads(b) for b in generated]
    assert any(isinstance(d["id"], int) for d in docs) and any(isinstance(d["id"], str) for d in docs)
    assert any(any(k.startswith("x_") for k in d) for d in docs)
    assert any(any(ord(ch) > 0xFFFF for ch in b) or "\\ud83d" in b for b in generated)


def test_hand_written_vectors_are_well_formed() -> None:
    paths = json.loads((VECTORS / "paths.json").read_text())["cases"]
    assert paths and all({"operation", "id", "path"} <= set(c) for c in paths)
    operation_ids = {op["operationId"] for item in SPEC["paths"].values() for op in item.values() if isinstance(op, dict) and "operationId" in op}
    assert {c["operation"] for c in paths} <= operation_ids
    invalid = json.loads((VECTORS / "invalid_ids.json").read_text())["cases"]
    assert invalid and all(c["code"] == "invalid_argument" and "message" in c for c in invalid)
    faults = json.loads((VECTORS / "faults.json").read_text())["cases"]
    assert len({c["name"] for c in faults}) == len(faults)
    for c in faults:
        assert set(c["expect"]) <= {"ok", "code", "status", "attempts"}, c["name"]
        assert c["within_ms"] > 0, c["name"]
