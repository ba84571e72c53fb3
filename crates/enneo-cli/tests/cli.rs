//! The `enneo` binary, run as a user would.

use std::process::Command;

use enneo_mock::{MockConfig, MockServer};

fn enneo(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_enneo"))
        .args(args)
        .env_remove("ENNEO_TOKEN")
        .env_remove("ENNEO_BASE_URL")
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn mock_lookup_prints_a_summary() {
    let (code, out, err) = enneo(&["customer", "get", "83771", "--mock"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Customer 83771: Tom Mustermann"), "{out}");
    assert!(out.contains("Tags:     VIP"));
    for cell in [
        "Flex 24",
        "active",
        "electricity",
        "82031 Grünwald",
        "53.00 €",
        "109.21 €",
        "2022-09-01",
    ] {
        assert!(out.contains(cell), "missing {cell:?} in\n{out}");
    }
}

#[test]
fn json_prints_the_body_as_returned() {
    let (code, out, _) = enneo(&[
        "customer", "get", "746839", "--by", "contract", "--mock", "--json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut seed: serde_json::Value = serde_json::from_str(enneo_mock::SEED_CUSTOMER).unwrap();
    seed["id"] = 746839.into();
    assert_eq!(v, seed);
}

#[tokio::test]
async fn exit_codes_tell_failures_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let server = MockServer::start(MockConfig {
        token: Some("good".into()),
        fixtures: Some(tmp.path().join("missing")),
        ..Default::default()
    })
    .await;
    // A fixtures dir that does not exist fails to start; use an empty one.
    assert!(server.is_err());
    let server = MockServer::start(MockConfig {
        token: Some("good".into()),
        fixtures: Some(tmp.path().to_owned()),
        ..Default::default()
    })
    .await
    .unwrap();
    let base = server.base_url();
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        enneo(&args)
    };
    let with = |id: &str, token: &str| {
        vec![
            "customer".into(),
            "get".into(),
            id.into(),
            "--base-url".into(),
            base.clone(),
            "--token".into(),
            token.into(),
        ]
    };
    let (code, _, err) = tokio::task::spawn_blocking({
        let a = with("404404", "good");
        move || run(a)
    })
    .await
    .unwrap();
    assert_eq!(code, 3, "{err}");
    assert_eq!(err.trim(), "enneo: no customer matches that id (HTTP 404).");
    let (code, _, err) = tokio::task::spawn_blocking({
        let a = with("1", "wrong-secret");
        move || run(a)
    })
    .await
    .unwrap();
    assert_eq!(code, 4, "{err}");
    assert!(!err.contains("wrong-secret"));
    let (code, _, err) = enneo(&["customer", "get", "", "--mock"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("customerId must not be empty"), "{err}");
    let (code, _, err) = enneo(&[
        "customer",
        "get",
        "1",
        "--base-url",
        "http://127.0.0.1:1/api/mind",
        "--max-retries",
        "0",
    ]);
    assert_eq!(code, 5, "{err}");
    assert_eq!(err.lines().count(), 1);
    drop(server);
    tmp.close().unwrap();
}

#[test]
fn enneo_log_debug_logs_requests_without_the_token() {
    let out = Command::new(env!("CARGO_BIN_EXE_enneo"))
        .args(["customer", "get", "83771", "--mock"])
        .env("ENNEO_LOG", "debug")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success());
    let line = err
        .lines()
        .find(|l| l.contains("request finished"))
        .unwrap_or_else(|| panic!("no log line in {err}"));
    for part in [
        "method=GET",
        "url_path=\"/api/mind/customer/byCustomerId/83771\"",
        "status_code=200",
        "elapsed_ms=",
        "operation=\"getCustomerByCustomerId\"",
        "retries=0",
    ] {
        assert!(line.contains(part), "missing {part} in {line}");
    }
    assert!(!err.contains("Bearer"));
}

#[test]
fn help_names_the_environment_but_never_shows_the_token() {
    let out = Command::new(env!("CARGO_BIN_EXE_enneo"))
        .args(["customer", "get", "--help"])
        .env("ENNEO_TOKEN", "sekrit-token-value")
        .env("ENNEO_BASE_URL", "http://127.0.0.1:9/api/mind")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(help.contains("[env: ENNEO_TOKEN]"), "{help}");
    assert!(help.contains("[env: ENNEO_BASE_URL]"), "{help}");
    // Every flag of the core's settings table, with its default.
    for setting in enneo::SETTINGS {
        if let Some(flag) = setting.cli {
            assert!(help.contains(&format!("--{}", flag.long)), "{help}");
        }
    }
    assert!(help.contains("[default: 60 s]"), "{help}");
    assert!(!help.contains("sekrit-token-value"), "{help}");
}

#[tokio::test]
async fn token_and_base_url_come_from_the_environment() {
    let server = MockServer::start(MockConfig {
        token: Some("env-token".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let base = server.base_url();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_enneo"))
            .args(["customer", "get", "5", "--json"])
            .env("ENNEO_TOKEN", "env-token")
            .env("ENNEO_BASE_URL", base)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id"], 5);
}

#[tokio::test]
async fn settings_flags_reach_the_core_proxy_included() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let root = server.base_url().trim_end_matches("/api/mind").to_owned();
    let out = tokio::task::spawn_blocking(move || {
        enneo(&[
            "customer",
            "get",
            "7",
            "--json",
            "--base-url",
            "http://enneo.invalid/api/mind",
            "--proxy",
            &root,
            "--connect-timeout",
            "2",
            "-H",
            "X-Team: billing",
        ])
    })
    .await
    .unwrap();
    assert_eq!(out.0, 0, "{}", out.2);
    let logged = &server.requests()[0];
    assert_eq!(logged.header("host"), Some("enneo.invalid"));
    assert_eq!(logged.header("x-team"), Some("billing"));
    // A refusal is the core's, in the CLI's spelling.
    let (code, _, err) = enneo(&["customer", "get", "1", "--mock", "--connect-timeout", "0"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--connect-timeout must be a positive, finite number of seconds, got 0"),
        "{err}"
    );
}
