"""Writes tests/vectors/payloads-generated.json: customers drawn at random
from the Customer schema of openapi.yaml (OpenAPI's `nullable` read as JSON
Schema's `null` type), with nulls, absent fields, both id forms, unknown
fields, unicode, and numbers at the edges (integers beyond 2^53 and 2^64,
floats with 17 significant digits, tiny and huge exponents).

Deterministic: a fixed seed, so `--check` can tell when the file is stale.
Every body is checked against the schema by tests/spec/test_vectors.py and
served to the Rust, Python and Node suites, which must decode each one and
give back every field and every digit.

    python tests/vectors/generate.py [--check]
"""

from __future__ import annotations

import json
import pathlib
import random
import sys
from typing import Any, Dict

import yaml

HERE = pathlib.Path(__file__).resolve().parent
SPEC = yaml.safe_load((HERE.parents[1] / "openapi.yaml").read_text())
OUT = HERE / "payloads-generated.json"
COUNT = 600
SEED = 20261128

INT64 = (-(2**63), 2**63 - 1)
EDGE_INTS = [0, 1, -1, 2**31 - 1, 2**53 - 1, 2**53, 2**53 + 1, -(2**53) - 1, 2**63 - 1, -(2**63)]
BIG_INTS = [2**64, 2**64 + 1, -(2**63) - 1, 10**30, -(10**25) - 7, 123456789012345678901234567890]
EDGE_FLOATS = [
    0.1, 109.21, 0.09, 5.960464477539063e-08, 3.402823466e38, 1.7976931348623157e308, 5e-324,
    2.2250738585072014e-308, 1e-300, 9007199254740993.0, 0.30000000000000004, -0.5, 1e21, 1e-7, 123456.789,
]
WORDS = ["Müller", "Grünwald", "Straße", "東京", "😀", "Ωmega", "naïve", "tab\there", "quote\"d", "back\\slash", "line\nbreak", "\u2028", "", " ", "0", "+49 170", "null"]


def resolve(schema: Dict[str, Any]) -> Dict[str, Any]:
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


class Gen:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def text(self, max_len: int = 40) -> str:
        r = self.r
        kind = r.random()
        if kind < 0.3:
            s = r.choice(WORDS)
        elif kind < 0.6:
            s = "".join(r.choice("abcdefghijklmnopqrstuvwxyzABCDEFGH0123456789 -_.,") for _ in range(r.randint(0, 20)))
        else:
            # Any Unicode scalar value but the surrogates.
            chars = []
            for _ in range(r.randint(1, 12)):
                c = r.choice([r.randint(0x20, 0x7E), r.randint(0xA0, 0xD7FF), r.randint(0xE000, 0xFFFD), r.randint(0x10000, 0x10FFFF), r.randint(0, 0x1F)])
                chars.append(chr(c))
            s = "".join(chars)
        return s[:max_len]

    def integer(self, fmt: str | None) -> int:
        r = self.r
        lo, hi = INT64 if fmt == "int64" else (-(2**31), 2**31 - 1) if fmt == "int32" else INT64
        v = r.choice([r.choice(EDGE_INTS), r.randint(0, 10**6), r.randint(lo, hi), r.randint(-1000, 1000)])
        return max(lo, min(hi, v))

    def number(self) -> float | int:
        r = self.r
        return r.choice([r.choice(EDGE_FLOATS), r.uniform(-1e6, 1e6), r.random(), float(r.randint(0, 1000)), r.randint(0, 10**4), -r.choice(EDGE_FLOATS)])

    def unknown_value(self, depth: int = 0) -> Any:
        r = self.r
        kind = r.randint(0, 8 if depth < 2 else 5)
        if kind == 0:
            return None
        if kind == 1:
            return r.random() < 0.5
        if kind == 2:
            return r.choice(BIG_INTS + EDGE_INTS)
        if kind == 3:
            return r.choice(EDGE_FLOATS)
        if kind in (4, 5):
            return self.text()
        if kind == 6:
            return [self.unknown_value(depth + 1) for _ in range(r.randint(0, 4))]
        return {self.text(12) or "k": self.unknown_value(depth + 1) for _ in range(r.randint(0, 4))}

    def flexible_id(self, nullable: bool) -> Any:
        r = self.r
        if nullable and r.random() < 0.15:
            return None
        if r.random() < 0.5:
            return r.choice([r.randint(0, 10**6), r.choice(EDGE_INTS[:9])])
        return r.choice([str(r.randint(0, 10**9)), "007", "+49123", "A-" + str(r.randint(0, 999)), self.text(50) or "x"])

    def value(self, schema: Dict[str, Any], depth: int = 0) -> Any:
        r = self.r
        name = schema.get("$ref", "").split("/")[-1]
        s = resolve(schema)
        if name in ("FlexibleId", "NullableFlexibleId", "Phone"):
            return self.flexible_id(nullable=name != "FlexibleId")
        if s.get("nullable") and r.random() < 0.2:
            return None
        t = s.get("type")
        if t == "object":
            return self.obj(s, depth + 1)
        if t == "array":
            return [self.value(s["items"], depth + 1) for _ in range(r.randint(0, 3 if depth < 3 else 1))]
        if t == "string":
            return self.text(s.get("maxLength", 60))
        if t == "integer":
            return self.integer(s.get("format"))
        if t == "number":
            return self.number()
        if t == "boolean":
            return r.random() < 0.5
        return self.unknown_value(depth)

    def obj(self, s: Dict[str, Any], depth: int) -> Dict[str, Any]:
        r = self.r
        out: Dict[str, Any] = {}
        props = s.get("properties", {})
        required = set(s.get("required", []))
        for key, sub in props.items():
            if key in required or r.random() < 0.7:
                out[key] = self.value(sub, depth)
        if not props or r.random() < 0.5:
            for _ in range(r.randint(1, 3)):
                out["x_" + (self.text(10) or "field")] = self.unknown_value()
        keys = list(out)
        r.shuffle(keys)
        return {k: out[k] for k in keys}


def generate() -> str:
    rng = random.Random(SEED)
    g = Gen(rng)
    customer = {"$ref": "#/components/schemas/Customer"}
    bodies = []
    for i in range(COUNT):
        c = g.value(customer)
        # Unique ids, so one mock serves every payload: both forms in turn.
        c["id"] = 100000 + i if i % 2 == 0 else f"p-{i:04d}"
        bodies.append(json.dumps(c, ensure_ascii=rng.random() < 0.5))
    doc = {
        "description": "Generated by tests/vectors/generate.py from openapi.yaml; do not edit.",
        "seed": SEED,
        "count": COUNT,
        "bodies": bodies,
    }
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def main() -> int:
    text = generate()
    if "--check" in sys.argv:
        if OUT.read_text() != text:
            print(f"{OUT} is stale: run python tests/vectors/generate.py", file=sys.stderr)
            return 1
        print(f"{OUT.name} is up to date")
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT} ({COUNT} payloads)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
