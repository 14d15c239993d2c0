//! Serves event covers from the cover store. A cover's name is its content
//! hash, so a name always means the same bytes: cached for a year, anywhere.

use app::backend::AppState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error_status::plain_page;

pub async fn serve_cover(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    match state.covers.get(&key).await {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => plain_page(
            StatusCode::NOT_FOUND,
            "Not found",
            "There is no such image.",
        ),
        Err(err) => {
            tracing::error!(error = %err, key, "cover store failed");
            plain_page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Temporarily unavailable",
                "Images are temporarily unavailable. Please try again in a moment.",
            )
        }
    }
}
