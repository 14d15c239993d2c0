//! Answers that would otherwise leave the user with a bare status: server
//! functions failing before their body runs, and the session store being down.

use app::error::AppError;
use app::i18n::{self, Locale};
use axum::body::{Body, HttpBody, to_bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use html_escape::encode_text;

/// The header server_fn puts on every error answer.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";

/// Server functions that fail before their body runs (a malformed argument,
/// say) are answered 500 by the server_fn crate: give such answers the status
/// their error stands for, so bad input is never a 500.
pub async fn map_server_fn_error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = to_bytes(body, 64 * 1024).await.unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The largest request body the shop reads: far more than any of its forms
/// (a listing's description included) ever sends.
pub const MAX_BODY_BYTES: u64 = 256 * 1024;
/// The cover upload's limit: the image (at most 8 MB, which its own check
/// says in words) and the form around it.
pub const MAX_UPLOAD_BODY_BYTES: u64 = 9 * 1024 * 1024;
const COVER_UPLOAD_PATH: &str = "/api/organizer/cover";

/// Refuses, before anything reads it, a body the server function could only
/// fail on as a 500: one larger than its path allows ([`MAX_BODY_BYTES`], or
/// [`MAX_UPLOAD_BODY_BYTES`] for the cover upload; 413), and a cover upload
/// that is not `multipart/form-data` with a boundary (415; server_fn panics on
/// it). Bodies of unknown length are cut off at the limit as they are read.
pub async fn refuse_unreadable_bodies(req: Request, next: Next) -> Response {
    let upload = req.uri().path() == COVER_UPLOAD_PATH;
    let limit = if upload {
        MAX_UPLOAD_BODY_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit) {
        return refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            "What was sent is far too large for any form of this shop.",
        );
    }
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|content_type| multer::parse_boundary(content_type).is_ok());
    if upload && !multipart {
        return refusal(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Upload the image with the form on the event's edit page.",
        );
    }
    if declared.is_some() {
        // Hyper stops a body at its declared length; the limit is belt and braces.
        let req = req.map(|body| Body::new(http_body_util::Limited::new(body, limit as usize)));
        return next.run(req).await;
    }
    // A body of unknown length (chunked) is read up to the limit here, so
    // that one too large is the same 413 as a declared one, never a server
    // function failing half-way through reading it.
    let (parts, body) = req.into_parts();
    match to_bytes(body, limit as usize).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(err) if is_length_limit(&err) => refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            "What was sent is far too large for any form of this shop.",
        ),
        Err(_) => refusal(
            StatusCode::BAD_REQUEST,
            "The request was cut off before it arrived whole; send it again.",
        ),
    }
}

/// Whether reading a body failed on the size limit (rather than a broken connection).
fn is_length_limit(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

/// A server function's error answer, given before the function runs.
fn refusal(status: StatusCode, message: &str) -> Response {
    let err = AppError::Invalid {
        field: None,
        message: message.into(),
    };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .header(SERVER_FN_ERROR_HEADER, "true")
        .body(Body::from(serde_json::to_vec(&err).unwrap_or_default()))
        .expect("static response")
}

/// axum-login answers an empty 500 when the session store (Valkey) cannot be
/// read. Say what is wrong instead: 503 with the user-facing sentence, as JSON
/// for server functions and as a small page for browsers. Sits directly
/// outside the auth layer; the shop's own handlers never answer an empty 500.
pub async fn explain_session_store_outage(req: Request, next: Next) -> Response {
    let server_fn = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    let empty = res.body().size_hint().exact() == Some(0);
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !empty {
        return res;
    }
    let err = AppError::SessionsUnavailable;
    if server_fn {
        Response::builder()
            .status(StatusCode::SERVICE_UNAVAILABLE)
            .header(header::CONTENT_TYPE, "application/json")
            .header(SERVER_FN_ERROR_HEADER, "true")
            .body(Body::from(serde_json::to_vec(&err).unwrap_or_default()))
            .expect("static response")
    } else {
        plain_page(
            StatusCode::SERVICE_UNAVAILABLE,
            "Temporarily unavailable",
            &err.to_string(),
        )
    }
}

/// A page that needs nothing (no session, no database, no wasm) to render.
pub fn plain_page(status: StatusCode, title: &str, text: &str) -> Response {
    plain_page_in(Locale::En, status, title, text)
}

/// [`plain_page`] in `locale` (`title` and `text` already in it).
pub fn plain_page_in(locale: Locale, status: StatusCode, title: &str, text: &str) -> Response {
    let (lang, back) = (locale.tag(), i18n::text(locale, "plain-back", &[]));
    let (title, text) = (encode_text(title), encode_text(text));
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header(header::RETRY_AFTER, "5")
        .body(Body::from(format!(
            "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"></head>\
             <body style=\"font-family:system-ui;max-width:36rem;margin:4rem auto;padding:0 1rem\">\
             <h1>{title}</h1><p>{text} <a href=\"/\">{back}</a></p></body></html>"
        )))
        .expect("static response")
}
