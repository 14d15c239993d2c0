//! Addresses that answer with another: old ones that links already mailed
//! still point to, and the icon browsers ask for by its conventional name.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

/// `/passes/{id}`: a ticket's address before tickets had one name
/// (confirmation mails sent before then carry it).
pub async fn pass(Path(id): Path<String>) -> Response {
    match Uuid::parse_str(&id) {
        Ok(id) => Redirect::permanent(&format!("/tickets/{id}")).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `/favicon.ico`: browsers ask for it on pages that name no icon (and for
/// non-HTML answers); the shop's icon is an SVG.
pub async fn favicon() -> Redirect {
    Redirect::permanent("/favicon.svg")
}
