//! Old addresses that links already mailed still point to.

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
