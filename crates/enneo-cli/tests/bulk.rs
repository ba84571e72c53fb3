//! `enneo customer get --ids-from`, run as a user would.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn run_with_stdin(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_enneo"))
        .args(args)
        .env_remove("ENNEO_TOKEN")
        .env_remove("ENNEO_BASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut input = child.stdin.take().unwrap();
    let text = stdin.to_owned();
    let writer = std::thread::spawn(move || input.write_all(text.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn lines(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn ids_from_a_file_give_one_line_each_in_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ids.txt");
    let ids: Vec<String> = (1..=500).map(|i| i.to_string()).collect();
    std::fs::write(&path, ids.join("\n") + "\n\n").unwrap();
    let (code, out, err) = run_with_stdin(
        &[
            "customer",
            "get",
            "--mock",
            "--ids-from",
            path.to_str().unwrap(),
            "--concurrency",
            "8",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let got = lines(&out);
    assert_eq!(got.len(), 500);
    for (i, line) in got.iter().enumerate() {
        assert_eq!(line["id"], ids[i].as_str());
        assert_eq!(line["customer"]["id"], i as u64 + 1);
        assert_eq!(line["customer"]["contracts"][0]["productName"], "Flex 24");
    }
    // Progress goes to a terminal only; stderr is a pipe here.
    assert_eq!(err, "");
}

#[test]
fn failures_get_an_error_line_in_place_and_exit_6() {
    let long = "x".repeat(51);
    let (code, out, _) = run_with_stdin(
        &["customer", "get", "--mock", "--ids-from", "-"],
        &format!("1\n{long}\n0042\n"),
    );
    assert_eq!(code, 6);
    let got = lines(&out);
    assert_eq!(got[0]["customer"]["id"], 1);
    assert_eq!(got[1]["id"], long.as_str());
    assert_eq!(got[1]["error"]["code"], "not_found");
    assert_eq!(got[1]["error"]["status"], 404);
    assert!(got[1]["error"]["message"].as_str().unwrap().contains("404"));
    assert_eq!(got[2]["customer"]["id"], "0042");
}

#[test]
fn max_rps_sets_the_pace() {
    let ids: String = (1..=30).map(|i| format!("{i}\n")).collect();
    let start = Instant::now();
    let (code, out, err) = run_with_stdin(
        &[
            "customer",
            "get",
            "--mock",
            "--ids-from",
            "-",
            "--max-rps",
            "20",
        ],
        &ids,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(lines(&out).len(), 30);
    // 20 go as the first second's burst, the other 10 at 20 a second.
    assert!(
        start.elapsed() >= Duration::from_millis(450),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn ids_from_and_an_id_conflict() {
    let (code, _, err) = run_with_stdin(&["customer", "get", "1", "--ids-from", "-", "--mock"], "");
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run_with_stdin(&["customer", "get", "--mock"], "");
    assert_eq!(code, 2, "{err}");
}
