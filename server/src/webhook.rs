//! `POST /stripe/webhook`: Stripe's (or the emulator's) events, signature-checked.
//! A bad or missing signature is 400 and changes nothing; an event that could not
//! be applied is 500, so Stripe delivers it again.

use app::backend::orders::webhook::apply_event;
use app::backend::{AppState, metrics};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

pub async fn stripe_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    let Some(payments) = state.payments.as_deref() else {
        return StatusCode::SERVICE_UNAVAILABLE;
    };
    let Some(signature) = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
    else {
        metrics::webhook_refused("no_signature");
        return StatusCode::BAD_REQUEST;
    };
    let event = match payments.verify_event(&body, signature) {
        Ok(event) => event,
        Err(err) => {
            tracing::warn!(error = %err, "webhook rejected");
            metrics::webhook_refused("bad_signature");
            return StatusCode::BAD_REQUEST;
        }
    };
    let kind = event.kind();
    match apply_event(&state.db, &state.valkey, payments, event).await {
        Ok(()) => {
            metrics::webhook(kind, "applied");
            StatusCode::OK
        }
        Err(err) => {
            metrics::webhook(kind, "failed");
            tracing::error!(error = %err, kind, "webhook event not applied; Stripe will retry");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}
