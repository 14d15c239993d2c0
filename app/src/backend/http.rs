//! Glue between server functions and the HTTP response.

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
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        set_error_status(err);
    }
    result
}
