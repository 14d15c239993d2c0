//! Glue between server functions and the HTTP response.

use crate::backend::state::AppState;
use crate::error::AppError;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// Sets the HTTP status of the current server-function or page response to the
/// one the error stands for, so failures are never answered with 200 (or 500 for
/// user input).
///
/// A plain HTML form post (no JavaScript yet) is left alone: it must stay a
/// redirect back to the form, which then shows the error from the URL.
pub fn set_error_status(err: &AppError) {
    let Some(response) = use_context::<ResponseOptions>() else {
        return;
    };
    if use_context::<Parts>().is_some_and(|parts| is_plain_form_post(&parts)) {
        return;
    }
    response.set_status(
        StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
    );
    if let AppError::RateLimited { retry_after_secs } = err {
        response.insert_header(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
    }
}

fn is_plain_form_post(parts: &Parts) -> bool {
    parts.method == Method::POST
        && parts
            .headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
}

/// Runs the error side of a server function's result through [`set_error_status`].
/// The opening every server function shares: the shop's state from the
/// request's context, then the body, then the answer's status set from its
/// error (see [`respond`]). Who may call is the body's first line
/// (`access::require_user`, `access::require_role`).
pub async fn serve<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let result = match AppState::from_context() {
        Ok(state) => body(state).await,
        Err(err) => Err(err),
    };
    respond(result)
}

pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        set_error_status(err);
    }
    // Written in the visitor's language here, where the messages are.
    result.map_err(|err| err.in_language(crate::i18n::use_locale()))
}

/// The Content-Security-Policy of every page, with the nonce leptos_axum made
/// for this response (the hydration script carries it). Scripts run only from
/// that nonce and what it loads (`'strict-dynamic'`: the app's JS and its lazy
/// wasm chunks), WebAssembly may compile, nothing is framed, and everything
/// else comes from the shop itself.
pub fn content_security_policy(nonce: &str) -> String {
    // Under `cargo leptos watch` (`make dev`) the page also keeps a websocket
    // to the watcher, which reloads it after each rebuild.
    let reload = if std::env::var_os("LEPTOS_WATCH").is_some() {
        " ws:"
    } else {
        ""
    };
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: blob:; connect-src 'self'{reload}; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'none'"
    )
}

/// Puts the policy on the page being rendered (called from the shell).
pub fn set_content_security_policy() {
    let (Some(response), Some(nonce)) =
        (use_context::<ResponseOptions>(), leptos::nonce::use_nonce())
    else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}
