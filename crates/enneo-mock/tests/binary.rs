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
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("42.json"), "{\"id\": 42,  \"odd\" : true}").unwrap();
    let with_contract = r#"{"id":"C-7","contracts":[{"id":746839},{"id":"K/2"}]}"#;
    std::fs::write(dir.join("C-7.json"), with_contract).unwrap();
    std::fs::write(dir.join("C-7.tickets.json"), r#"[1200, "T-9"]"#).unwrap();
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

    // Contract ids come from the customer's contracts, ticket ids from its
    // `.tickets.json` sidecar, which is not itself a customer.
    let auth = "authorization: Bearer t0k\r\n";
    for path in [
        "byContractId/746839",
        "byContractId/K%2F2",
        "byTicketId/1200",
        "byTicketId/T-9",
        "byCustomerId/C-7",
    ] {
        let (status, body) = get(&m.1, &format!("/api/mind/customer/{path}"), auth);
        assert_eq!((status, body.as_str()), (200, with_contract), "{path}");
    }
    for path in [
        "byTicketId/1201",
        "byContractId/42",
        "byCustomerId/C-7.tickets",
    ] {
        let (status, _) = get(&m.1, &format!("/api/mind/customer/{path}"), auth);
        assert_eq!(status, 404, "{path}");
    }
    drop(m);
    drop(tmp);
}

#[test]
fn a_tickets_sidecar_without_its_customer_fails_to_start() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("9.tickets.json"), "[1]").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_enneo-mock"))
        .args(["--port", "0", "--fixtures", tmp.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("9.tickets.json") && err.contains("9.json"),
        "{err}"
    );
}

#[test]
fn faults_by_header_query_and_prefix_and_the_request_log() {
    let m = start(&["--port", "0"]);
    let (status, body) = get(
        &m.1,
        "/api/mind/customer/byCustomerId/1",
        "x-mock-fault: status=70000\r\n",
    );
    assert_eq!(
        status, 400,
        "an out-of-range status is refused, not truncated"
    );
    assert!(
        body.contains("100 to 599") && body.contains("70000"),
        "{body}"
    );
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
    assert_eq!(log.len(), 5);
    assert_eq!(log[1]["headers"]["x-mock-fault"], "status=418");
    assert_eq!(
        log[2]["path"],
        "/api/mind/customer/byCustomerId/1?mock_fault=status%3D502"
    );
}

/// Sends raw bytes and returns the whole answer.
fn raw(addr: &str, request: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn requests_the_spec_refuses_get_4xx_with_an_error_body() {
    let m = start(&["--port", "0"]);
    // Ids the spec's PathId refuses: control characters (C0, DEL, C1), over 255.
    for id in ["a%01b", "%7F", "x%C2%85y", &"9".repeat(256)] {
        let (status, body) = get(&m.1, &format!("/api/mind/customer/byContractId/{id}"), "");
        assert_eq!(status, 400, "{id}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["code"], 400);
        assert!(v["message"].as_str().unwrap().contains("id"), "{body}");
    }
    // Customer ids are at most 50 characters: a longer one names no customer.
    let (status, _) = get(
        &m.1,
        &format!("/api/mind/customer/byCustomerId/{}", "9".repeat(51)),
        "",
    );
    assert_eq!(status, 404);

    let out = raw(&m.1, b"DELETE /api/mind/customer/byCustomerId/1 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    assert!(out.starts_with("HTTP/1.1 405"), "{out}");
    assert!(
        out.to_ascii_lowercase().contains("\r\nallow: get\r\n"),
        "{out}"
    );

    // A body where the spec has none is refused; the request after it on
    // the same connection is read from where the body ended.
    let out = raw(
        &m.1,
        b"GET /api/mind/customer/byCustomerId/1 HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\n{}GET /api/mind/customer/byCustomerId/2 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    );
    assert!(out.starts_with("HTTP/1.1 400"), "{out}");
    assert!(
        out.contains("getCustomerByCustomerId takes no request body"),
        "{out}"
    );
    assert!(
        out.contains("HTTP/1.1 200") && out.contains("{\"id\":2,"),
        "{out}"
    );

    let out = raw(
        &m.1,
        b"GET /api/mind/customer/byCustomerId/1 HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    );
    assert!(out.starts_with("HTTP/1.1 400"), "{out}");
    assert!(out.contains("Transfer-Encoding"), "{out}");

    let mut big = b"GET /api/mind/customer/byCustomerId/1 HTTP/1.1\r\nhost: x\r\nx-big: ".to_vec();
    big.extend(std::iter::repeat_n(b'a', 70_000));
    big.extend_from_slice(b"\r\n\r\n");
    let out = raw(&m.1, &big);
    assert!(out.starts_with("HTTP/1.1 431"), "{out}");
}
