//! The fuzz target, on stable Rust: the id validator, the path encoder and
//! the response decoder must never panic, and must keep their contracts, on
//! any input.
//!
//! Every `cargo test` replays `tests/vectors/fuzz-corpus.json` and runs a
//! short random search. `make fuzz` runs the random search for
//! `FUZZ_SECONDS` (the ignored test below) and appends what it finds failing
//! to the corpus, so a found input stays a regression test.

use std::time::{Duration, Instant};

use bytes::Bytes;
use enneo::{encode_path_segment, validate_id, Error, FlexibleId, RawResponse};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/vectors/fuzz-corpus.json"
);

fn corpus() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(CORPUS).unwrap()).unwrap()
}

/// The validator's and the encoder's contract for one id.
fn check_id(id: &str) {
    let verdict = validate_id(&FlexibleId::from(id));
    let refusable = id.trim().is_empty()
        || id.chars().any(char::is_control)
        || id == "."
        || id == ".."
        || id.chars().count() > 255;
    assert_eq!(
        verdict.is_err(),
        refusable,
        "validator on {id:?}: {verdict:?}"
    );
    if let Err(e) = verdict {
        assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
    }
    let encoded = encode_path_segment(id);
    assert!(
        encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)),
        "{id:?} encoded to {encoded:?}"
    );
    let decoded = percent_encoding::percent_decode_str(&encoded)
        .decode_utf8()
        .unwrap();
    assert_eq!(decoded, id, "encoding round-trips");
}

/// The decoder's contract for one body: never a panic; a body checked to be
/// a JSON object is one for serde_json too; and a decode error keeps the body.
fn check_body(body: &[u8]) {
    let raw = |b: &[u8]| RawResponse {
        status: 200,
        headers: Default::default(),
        body: Bytes::copy_from_slice(b),
        request_id: None,
        attempts: 1,
        elapsed: Duration::ZERO,
        big_integers: false,
    };
    // The oracle: serde_json's own parse, which refuses numbers beyond f64
    // (`1e400`) that JSON's grammar allows; either verdict stands for those.
    let parsed = serde_json::from_slice::<serde_json::Value>(body);
    let is_object = matches!(parsed, Ok(serde_json::Value::Object(_)));
    // Likewise escapes of lone surrogates (`"\ud800"`), which Python and
    // JavaScript decode and serde_json refuses.
    let undecided = matches!(&parsed, Err(e) if ["number out of range", "surrogate", "end of hex escape"].iter().any(|m| e.to_string().contains(m)));
    let shown = || String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
    match raw(body).check_json_object() {
        Ok(checked) => {
            assert!(
                is_object || undecided,
                "accepted a non-object {:?} ({parsed:?})",
                shown()
            );
            if let Ok(value) = &parsed {
                assert_eq!(
                    checked.big_integers,
                    holds_big_integer(value),
                    "big integers in {:?}",
                    shown()
                );
            }
        }
        Err(Error::Decode { body: kept, .. }) => {
            assert!(!is_object, "refused an object {:?}", shown());
            assert_eq!(kept, body);
        }
        Err(other) => panic!("unexpected error kind {other:?}"),
    }
    match raw(body).into_fetched() {
        Ok(f) => assert_eq!(f.body, body),
        Err(Error::Decode { body: kept, .. }) => assert_eq!(kept, body),
        Err(other) => panic!("unexpected error kind {other:?}"),
    }
}

/// An integer a 64-bit float cannot hold exactly, anywhere in `v`
/// (serde_json keeps each number's text).
fn holds_big_integer(v: &serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::Number(n) => {
            let text = n.to_string();
            let digits = text.trim_start_matches('-');
            !text.contains(['.', 'e', 'E'])
                && (digits.len() > 16 || (digits.len() == 16 && digits > "9007199254740991"))
        }
        Value::Array(items) => items.iter().any(holds_big_integer),
        Value::Object(map) => map.values().any(holds_big_integer),
        _ => false,
    }
}

fn ids() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,300}",
        "[0-9]{1,30}",
        proptest::collection::vec(any::<char>(), 0..300).prop_map(|c| c.into_iter().collect()),
    ]
}

/// Arbitrary bytes, arbitrary JSON, and the seed customer with bytes changed.
fn bodies() -> impl Strategy<Value = Vec<u8>> {
    let seed = enneo_mock::SEED_CUSTOMER.as_bytes().to_vec();
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(Into::into),
        any::<i64>().prop_map(Into::into),
        any::<f64>().prop_map(
            |f| serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into)
        ),
        "\\PC{0,20}".prop_map(Into::into),
    ];
    let json = leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Into::into),
            proptest::collection::btree_map("[a-zA-Z]{1,12}", inner, 0..8)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    let mutated = (
        Just(seed),
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(mut body, edits, cut)| {
            for (at, byte) in edits {
                let i = at.index(body.len());
                body[i] = byte;
            }
            body.truncate(cut.index(body.len() + 1));
            body
        });
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..400),
        json.prop_map(|v| serde_json::to_vec(&v).unwrap()),
        mutated,
    ]
}

#[test]
fn the_corpus_passes() {
    let c = corpus();
    for id in c["ids"].as_array().unwrap() {
        check_id(id.as_str().unwrap());
    }
    for body in c["bodies"].as_array().unwrap() {
        check_body(body.as_str().unwrap().as_bytes());
    }
}

/// A short random search on every test run, from a fixed seed.
#[test]
fn a_short_random_search_passes() {
    let config = Config {
        cases: 2_000,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(config.clone(), rng.clone());
    runner
        .run(&ids(), |id| {
            check_id(&id);
            Ok(())
        })
        .unwrap();
    let mut runner = TestRunner::new_with_rng(config, rng);
    runner
        .run(&bodies(), |b| {
            check_body(&b);
            Ok(())
        })
        .unwrap();
}

/// `make fuzz`: random search for FUZZ_SECONDS (default 60) from fresh seeds.
/// A failing input is shrunk, appended to the corpus and reported.
#[test]
#[ignore = "run by `make fuzz`"]
fn fuzz_for_a_while() {
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut id_cases, mut body_cases) = (0u64, 0u64);
    while Instant::now() < deadline {
        let config = Config {
            cases: 5_000,
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config.clone());
        if let Err(e) = runner.run(&ids(), |id| {
            let r = std::panic::catch_unwind(|| check_id(&id));
            r.map_err(|_| TestCaseError::fail(serde_json::to_string(&id).unwrap()))
        }) {
            record_failure("ids", &e.to_string());
        }
        id_cases += 5_000;
        let mut runner = TestRunner::new(config);
        if let Err(e) = runner.run(&bodies(), |b| {
            let r = std::panic::catch_unwind(|| check_body(&b));
            r.map_err(|_| {
                TestCaseError::fail(serde_json::to_string(&String::from_utf8_lossy(&b)).unwrap())
            })
        }) {
            record_failure("bodies", &e.to_string());
        }
        body_cases += 5_000;
    }
    println!("fuzz: {id_cases} ids and {body_cases} bodies in {seconds} s, no failure");
}

fn record_failure(kind: &str, report: &str) -> ! {
    // The report holds the shrunk input as JSON text after "fail: ".
    let input = report.rsplit_once(": ").map_or(report, |(_, i)| i).trim();
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(input) {
        let mut c = corpus();
        c[kind].as_array_mut().unwrap().push(value);
        std::fs::write(CORPUS, serde_json::to_string_pretty(&c).unwrap() + "\n").unwrap();
    }
    panic!("fuzz found a failing {kind} input (appended to {CORPUS}): {report}");
}
