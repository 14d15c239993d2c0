//! The organizer's CSV downloads of an event (`/organizer/events/{id}/orders.csv`
//! and `/attendees.csv`, `?bom=1` for spreadsheet programs), streamed.

use app::backend::AppState;
use app::backend::auth::AuthSession;
use app::backend::exports::{self, Export};
use app::model::Role;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use crate::error_status::plain_page;

pub async fn export_csv(
    State(state): State<AppState>,
    auth: AuthSession,
    Path((id, file)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let not_found = || {
        plain_page(
            StatusCode::NOT_FOUND,
            "Not found",
            "There is no such export.",
        )
    };
    let (Ok(event), Some(export)) = (Uuid::parse_str(&id), Export::parse(&file)) else {
        return not_found();
    };
    let Some(user) = auth.user else {
        return Redirect::to(&format!("/signin?next=/organizer/events/{event}/{file}"))
            .into_response();
    };
    if !matches!(user.role, Role::Organizer | Role::Admin) {
        return plain_page(
            StatusCode::FORBIDDEN,
            "Not for your account",
            "Only the event's organizer can download its lists.",
        );
    }
    // Buyers' data does not leave while an admin's suspension is in force.
    match app::backend::access::ensure_not_suspended(&state, &user).await {
        Ok(()) => {}
        Err(suspended @ app::error::AppError::Suspended { .. }) => {
            return plain_page(StatusCode::FORBIDDEN, "Suspended", &suspended.to_string());
        }
        Err(_) => {
            return plain_page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Temporarily unavailable",
                "The export could not be started. Please try again in a moment.",
            );
        }
    }
    let event = match exports::event_for(&state.db, &user, event).await {
        Ok(Some(event)) => event,
        Ok(None) => return not_found(),
        Err(err) => {
            tracing::error!(error = %err, "export not started");
            return plain_page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Temporarily unavailable",
                "The export could not be started. Please try again in a moment.",
            );
        }
    };
    let name = format!("{}-{}", slug(&event.title), file);
    let bom = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .any(|(key, value)| key == "bom" && (value == "1" || value == "true"));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        Body::from_stream(exports::csv(state.db.clone(), event, export, bom)),
    )
        .into_response()
}

/// The title as a file name: ASCII letters and digits joined by dashes.
fn slug(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() {
        "event".into()
    } else {
        words.join("-").chars().take(60).collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_are_plain_file_names() {
        assert_eq!(super::slug("Jazz on the Quay!"), "jazz-on-the-quay");
        assert_eq!(super::slug("Café \"quoted\""), "caf-quoted");
        assert_eq!(super::slug("…"), "event");
    }
}
