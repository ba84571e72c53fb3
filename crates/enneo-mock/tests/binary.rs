//! The `enneo-mock` binary's interface, which the Python and Node suites rely on.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

struct Mock(Child, String);

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(args: &[&str]) -> Mock {
    let mut child = Command::new(env!("CARGO_BIN_EXE_enneo-mock"))
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim_end()
        .strip_prefix("listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("first line was {line:?}"))
        .to_owned();
    Mock(child, format!("127.0.0.1:{addr}"))
}

fn get(addr: &str, path: &str, headers: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n{headers}\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out[9..12].parse().unwrap();
    (status, out.split_once("\r\n\r\n").unwrap().1.to_owned())
}

#[test]
fn port_zero_prints_the_address_and_serves_the_seed() {
    let m = start(&["--port", "0"]);
    let (status, body) = get(&m.1, "/api/mind/customer/byCustomerId/555", "");
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["id"], 555);
    assert_eq!(v["contracts"][0]["productName"], "Flex 24");
    let (_, body) = get(&m.1, "/api/mind/customer/byCustomerId/007", "");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"],
        "007"
    );
}

#[test]
fn token_and_fixtures() {
    let dir = std::env::temp_dir().join(format!("enneo-mock-fixtures-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("42.json"), "{\"id\": 42,  \"odd\" : true}").unwrap();
    let m = start(&[
        "--port",
        "0",
        "--token",
        "t0k",
        "--fixtures",
        dir.to_str().unwrap(),
    ]);
    let (status, body) = get(&m.1, "/api/mind/customer/byCustomerId/42", "");
    assert_eq!(status, 401);
    assert!(body.contains("\"error\""));
    let (status, body) = get(
        &m.1,
        "/api/mind/customer/byCustomerId/42",
        "authorization: Bearer t0k\r\n",
    );
    assert_eq!(
        (status, body.as_str()),
        (200, "{\"id\": 42,  \"odd\" : true}"),
        "served verbatim"
    );
    let (status, body) = get(
        &m.1,
        "/api/mind/customer/byCustomerId/43",
        "authorization: Bearer t0k\r\n",
    );
    assert_eq!(status, 404);
    assert!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["message"].is_string());
}

#[test]
fn faults_by_header_query_and_prefix_and_the_request_log() {
    let m = start(&["--port", "0"]);
    assert_eq!(
        get(
            &m.1,
            "/api/mind/customer/byCustomerId/1",
            "x-mock-fault: status=418\r\n"
        )
        .0,
        418
    );
    assert_eq!(
        get(
            &m.1,
            "/api/mind/customer/byCustomerId/1?mock_fault=status%3D502",
            ""
        )
        .0,
        502
    );
    assert_eq!(
        get(
            &m.1,
            "/__fault/status=503;fail-first=1/api/mind/customer/byCustomerId/1",
            ""
        )
        .0,
        503
    );
    assert_eq!(
        get(
            &m.1,
            "/__fault/status=503;fail-first=1/api/mind/customer/byCustomerId/1",
            ""
        )
        .0,
        200
    );
    let (_, log) = get(&m.1, "/__mock/requests", "");
    let log: Vec<serde_json::Value> = serde_json::from_str(&log).unwrap();
    assert_eq!(log.len(), 4);
    assert_eq!(log[0]["headers"]["x-mock-fault"], "status=418");
    assert_eq!(
        log[1]["path"],
        "/api/mind/customer/byCustomerId/1?mock_fault=status%3D502"
    );
}
