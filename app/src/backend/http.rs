//! Glue between server functions and the HTTP response.

use crate::error::AppError;
use axum::http::StatusCode;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// Sets the HTTP status of the current server-function or page response to the
/// one the error stands for, so failures are never answered with 200 (or 500 for
/// user input).
pub fn set_error_status(err: &AppError) {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(
            StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
}

/// Runs the error side of a server function's result through [`set_error_status`].
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        set_error_status(err);
    }
    result
}
