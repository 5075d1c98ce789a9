//! The API's error envelope for the requests hyper itself refuses before any handler runs: a
//! request line or headers it cannot parse (400), a URL over its 65534-byte limit (414), headers
//! over its buffer (431). Hyper answers those with a bare status line and an empty body, with
//! no hook to change it; this wrapper around each connection recognises that answer on its way
//! out (a 4xx head with `content-length: 0` and no content type, which no handler of ours ever
//! sends) and writes the envelope (RequestId, HostId, Code, Message) in its place. Hyper closes
//! the connection after such an answer, so nothing follows it on the wire.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use acs_api::{ApiError, ErrorDef};
use acs_protocol::{encode_error, new_request_id, Format};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

pub const MALFORMED_REQUEST: ErrorDef = ErrorDef::new(400, "MalformedRequest", "The HTTP request could not be parsed.");
pub const HEADERS_TOO_LARGE: ErrorDef =
    ErrorDef::new(431, "RequestHeaderFieldsTooLarge", "The request headers are larger than the server accepts.");

/// A connection whose automatic error answers are rewritten into the envelope.
pub struct EnvelopeIo<S> {
    inner: S,
    /// The envelope being written in place of hyper's answer, and how much of it is out.
    replacing: Option<(Vec<u8>, usize)>,
}

impl<S> EnvelopeIo<S> {
    pub fn new(inner: S) -> Self {
        Self { inner, replacing: None }
    }
}

/// The envelope answer standing for hyper's automatic answer in `buf`, if `buf` is one.
fn replacement(buf: &[u8]) -> Option<Vec<u8>> {
    let head_end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&buf[..head_end]).ok()?.to_ascii_lowercase();
    let status: u16 = head.strip_prefix("http/1.1 ")?.get(..3)?.parse().ok()?;
    if head.contains("content-type") || !head.contains("content-length: 0\r\n") {
        return None;
    }
    let error: ApiError = match status {
        400 => MALFORMED_REQUEST.into(),
        414 => crate::rpc::URI_TOO_LONG
            .with_message("The request URL is longer than the HTTP layer accepts (65534 bytes)."),
        431 => HEADERS_TOO_LARGE.into(),
        _ => return None,
    };
    let reason = axum::http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error");
    Some(raw_answer(status, reason, &error))
}

/// A whole HTTP/1.1 answer carrying `error` in the envelope, with `connection: close`: for
/// answers written straight to a socket (see also `connections::refuse`).
pub fn raw_answer(status: u16, reason: &str, error: &ApiError) -> Vec<u8> {
    let request_id = new_request_id();
    let body = encode_error(Format::Json, error, &request_id, "vpc.aliyuncs.com", "Vpc");
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: {}\r\ncontent-length: {}\r\nx-acs-request-id: {request_id}\r\nconnection: close\r\n\r\n",
        body.content_type,
        body.body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body.body);
    out
}

impl<S: AsyncRead + Unpin> AsyncRead for EnvelopeIo<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for EnvelopeIo<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if self.replacing.is_none() && buf.starts_with(b"HTTP/1.1 4") {
            if let Some(envelope) = replacement(buf) {
                self.replacing = Some((envelope, 0));
            }
        }
        let this = &mut *self;
        let Some((envelope, written)) = this.replacing.as_mut() else {
            return Pin::new(&mut this.inner).poll_write(cx, buf);
        };
        // Hyper retries the same buffer while this is pending, and closes the connection after
        // this answer: once the envelope is out, whatever it hands over counts as written.
        while *written < envelope.len() {
            match Pin::new(&mut this.inner).poll_write(cx, &envelope[*written..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => *written += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    // Hyper then hands over each answer as one buffer, which `poll_write` can recognise.
    fn is_write_vectored(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hyper_automatic_answers_are_replaced() {
        let auto = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: Sat, 05 Dec 2026 08:00:00 GMT\r\n\r\n";
        let text = String::from_utf8(replacement(auto).expect("replaced")).expect("utf-8");
        assert!(text.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{text}");
        assert!(text.contains("\"Code\":\"RequestURITooLong\""), "{text}");
        let ours = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 0\r\n\r\n";
        assert!(replacement(ours).is_none());
        let with_body = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\n\r\n";
        assert!(replacement(with_body).is_none());
    }
}
