//! A small HTTP/1.1 server: enough for GET with keep-alive, and able to
//! break the protocol on purpose.

use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::routes::{self, Action, Response};
use crate::{LoggedRequest, State, TlsIdentity};

/// Longer request heads get 431, as common servers answer (nginx: 8 KB a line).
const MAX_HEAD: usize = 16 * 1024;
/// The largest request body read; a larger one is refused with 413.
const MAX_BODY: usize = 1024 * 1024;

/// The TLS server configuration for a certificate and key.
pub(crate) fn tls_acceptor(identity: &TlsIdentity) -> std::io::Result<TlsAcceptor> {
    let invalid = |what: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, what);
    let certs = CertificateDer::pem_slice_iter(&identity.cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid(format!("TLS certificate: {e}")))?;
    if certs.is_empty() {
        return Err(invalid("TLS certificate: no certificate in the PEM".into()));
    }
    let key = PrivateKeyDer::from_pem_slice(&identity.key_pem)
        .map_err(|e| invalid(format!("TLS key: {e}")))?;
    let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(format!("TLS: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| invalid(format!("TLS certificate and key: {e}")))?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

pub(crate) async fn serve(listener: TcpListener, tls: Option<TlsAcceptor>, state: Arc<State>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let state = state.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                Some(acceptor) => {
                    if let Ok(mut stream) = acceptor.accept(stream).await {
                        let _ = connection(&mut stream, &state).await;
                    }
                }
                None => {
                    let mut stream = stream;
                    if let Ok(Ended::Reset) = connection(&mut stream, &state).await {
                        // Closing with a zero linger sends RST instead of FIN.
                        let _ = stream.set_zero_linger();
                    }
                }
            }
        });
    }
}

/// How a connection ended: closed, or to be reset (`reset` fault).
enum Ended {
    Closed,
    Reset,
}

async fn connection<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    state: &State,
) -> std::io::Result<Ended> {
    let mut buf = BytesMut::with_capacity(4096);
    loop {
        let head_len = loop {
            if let Some(pos) = find_head_end(&buf) {
                break pos;
            }
            if buf.len() > MAX_HEAD {
                return refuse(stream, 431, "request headers are too large")
                    .await
                    .map(|()| Ended::Closed);
            }
            if stream.read_buf(&mut buf).await? == 0 {
                return Ok(Ended::Closed);
            }
        };
        if head_len > MAX_HEAD {
            return refuse(stream, 431, "request headers are too large")
                .await
                .map(|()| Ended::Closed);
        }
        let head = buf.split_to(head_len);
        let Some((req, content_length, close)) = parse_head(&head) else {
            return refuse(stream, 400, "malformed request")
                .await
                .map(|()| Ended::Closed);
        };
        // A chunked body would need decoding to find the next request, so
        // it is refused rather than misread; clients send a length.
        if req.header("transfer-encoding").is_some() {
            return refuse(
                stream,
                400,
                "Transfer-Encoding request bodies are not accepted",
            )
            .await
            .map(|()| Ended::Closed);
        }
        if content_length > MAX_BODY {
            return refuse(stream, 413, "the request body is larger than 1 MiB")
                .await
                .map(|()| Ended::Closed);
        }
        // The request body, read whole: the route checks it against the
        // operation's schema.
        let mut req = req;
        while buf.len() < content_length {
            if stream.read_buf(&mut buf).await? == 0 {
                return Ok(Ended::Closed);
            }
        }
        req.body = buf.split_to(content_length).freeze();
        match routes::handle(state, req).await {
            Action::Respond(r) => write_response(stream, &r, close).await?,
            Action::Truncate(r) => {
                let head = head_bytes(&r, false);
                stream.write_all(&head).await?;
                stream.write_all(&r.body[..r.body.len() / 2]).await?;
                stream.flush().await?;
                return Ok(Ended::Closed);
            }
            Action::Drop => return Ok(Ended::Closed),
            Action::SlowBody(r, pause) => {
                let half = r.body.len() / 2;
                stream.write_all(&head_bytes(&r, close)).await?;
                stream.write_all(&r.body[..half]).await?;
                stream.flush().await?;
                tokio::time::sleep(pause).await;
                stream.write_all(&r.body[half..]).await?;
                stream.flush().await?;
            }
            Action::Reset(r) => {
                stream.write_all(&head_bytes(&r, false)).await?;
                stream.write_all(&r.body[..r.body.len() / 2]).await?;
                stream.flush().await?;
                return Ok(Ended::Reset);
            }
        }
        if close {
            return Ok(Ended::Closed);
        }
    }
}

/// Answers with an error and closes the connection.
async fn refuse<S: AsyncWrite + Unpin>(
    stream: &mut S,
    status: u16,
    message: &str,
) -> std::io::Result<()> {
    write_response(stream, &Response::error(status, message), true).await
}

fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4)
}

/// The path and query of a request target. A client sending through a
/// proxy writes the absolute form (`http://host/path`); a server must accept
/// it (RFC 9112, 3.2.2), which lets the mock stand in for a forward proxy.
fn origin_form(target: &str) -> &str {
    match target.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => {
            rest.find('/').map_or("/", |i| &rest[i..])
        }
        _ => target,
    }
}

fn parse_head(head: &[u8]) -> Option<(LoggedRequest, usize, bool)> {
    let text = std::str::from_utf8(head).ok()?;
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = origin_form(first.next()?).to_owned();
    let version = first.next()?;
    let mut headers = Vec::new();
    let mut content_length = 0;
    let mut close = version == "HTTP/1.0";
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':')?;
        let name = name.trim().to_ascii_lowercase();
        let value = value.trim().to_owned();
        match name.as_str() {
            "content-length" => content_length = value.parse().ok()?,
            "connection" if value.eq_ignore_ascii_case("close") => close = true,
            "connection" if value.eq_ignore_ascii_case("keep-alive") => close = false,
            _ => {}
        }
        headers.push((name, value));
    }
    Some((
        LoggedRequest {
            method,
            path: target,
            headers,
            received: crate::since_start(),
            body: Bytes::new(),
        },
        content_length,
        close,
    ))
}

fn head_bytes(r: &Response, close: bool) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
        r.status,
        routes::reason(r.status),
        r.body.len()
    );
    for (k, v) in &r.headers {
        head.push_str(k);
        head.push_str(": ");
        head.push_str(v);
        head.push_str("\r\n");
    }
    head.push_str(if close {
        "connection: close\r\n\r\n"
    } else {
        "\r\n"
    });
    head.into_bytes()
}

async fn write_response<S: AsyncWrite + Unpin>(
    stream: &mut S,
    r: &Response,
    close: bool,
) -> std::io::Result<()> {
    let mut out = head_bytes(r, close);
    out.extend_from_slice(&r.body);
    stream.write_all(&out).await?;
    stream.flush().await
}
