//! Test controls (JSON, no auth), for driving the emulator from tests:
//!
//! | Endpoint | Effect |
//! |---|---|
//! | `GET  /_test/sessions` | every session (API shape), oldest first |
//! | `GET  /_test/sessions/{id}` | one session |
//! | `POST /_test/sessions/{id}/pay` | pay as card 4242 would: `complete` + `paid`, `checkout.session.completed`; returns the session. `payment=async`: complete but `unpaid` (a delayed payment method) |
//! | `POST /_test/sessions/{id}/async_payment` | settle an async payment: `outcome=succeeded` (default) or `failed`; sends `checkout.session.async_payment_succeeded` / `_failed` |
//! | `POST /_test/sessions/{id}/expire` | expire an open session now, `checkout.session.expired` |
//! | `GET  /_test/events` | every event (oldest first) with `payload` (the exact signed body), `delivery_status`, `attempts`; filter with `?type=` / `?session_id=` |
//! | `GET  /_test/events/{id}` | one event |
//! | `POST /_test/events/{id}/deliver` | deliver it once more now (no retries); returns `{"status": <endpoint's HTTP status>, "body": ...}` (502 if it could not be reached) |
//! | `GET  /_test/refunds` | every refund |
//! | `POST /_test/config` | `{"webhook_url": "..." | null}` changes the endpoint (comma-separated URLs take turns) |
//! | `POST /_test/reset` | forget all sessions, events, refunds and idempotency keys |
//!
//! State changes take `deliver=normal|twice|none` in the query string or the
//! body (JSON or form): `twice` delivers the event twice, `none` only records it.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::api::ApiError;
use crate::store::{Refusal, Store};
use crate::webhook::{deliver_manually, dispatch};
use crate::{Deliver, Shared, now};

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_test/sessions", get(sessions))
        .route("/_test/sessions/{id}", get(session))
        .route("/_test/sessions/{id}/pay", post(pay))
        .route("/_test/sessions/{id}/async_payment", post(async_payment))
        .route("/_test/sessions/{id}/expire", post(expire))
        .route("/_test/events", get(events))
        .route("/_test/events/{id}", get(event))
        .route("/_test/events/{id}/deliver", post(deliver))
        .route("/_test/refunds", get(refunds))
        .route("/_test/config", post(config))
        .route("/_test/reset", post(reset))
}

/// Query-string and body parameters merged (the body wins).
fn options(query: Option<String>, body: &[u8]) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> =
        form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let trimmed = body.trim_ascii();
    if trimmed.starts_with(b"{") {
        if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(trimmed) {
            for (k, v) in map {
                let v = match v {
                    Value::String(s) => s,
                    Value::Null => continue,
                    other => other.to_string(),
                };
                out.insert(k, v);
            }
        }
    } else {
        out.extend(form_urlencoded::parse(trimmed).into_owned());
    }
    out
}

fn deliver_option(options: &BTreeMap<String, String>) -> Result<Deliver, ApiError> {
    options
        .get("deliver")
        .map(|d| d.parse())
        .transpose()
        .map_err(ApiError::invalid)
        .map(Option::unwrap_or_default)
}

/// A two-way option: `name` absent, empty or `default_word` is `default`;
/// `other_word` is the other answer; anything else is refused.
fn either(
    options: &BTreeMap<String, String>,
    name: &str,
    (default_word, default): (&str, bool),
    other_word: &str,
) -> Result<bool, ApiError> {
    match options.get(name).map(String::as_str) {
        None | Some("") => Ok(default),
        Some(word) if word == default_word => Ok(default),
        Some(word) if word == other_word => Ok(!default),
        Some(word) => Err(ApiError::invalid(format!(
            "Invalid {name}: must be {default_word} or {other_word} (got {word:?})"
        ))),
    }
}

fn refusal(id: &str, refusal: Refusal, action: &str) -> ApiError {
    match refusal {
        Refusal::NotFound => ApiError::no_such_session(id),
        Refusal::Not(status) => ApiError::invalid(format!(
            "Cannot {action} checkout session {id}: its status is {}.",
            status.as_str()
        )),
    }
}

/// Pays an open session as card 4242 would (`settle_later`: as a delayed payment method).
pub(crate) fn pay_session(
    shared: &Arc<Shared>,
    id: &str,
    deliver: Deliver,
    settle_later: bool,
) -> Result<Value, ApiError> {
    let completed = shared
        .store()
        .complete(id, None, !settle_later, now(), deliver);
    let (session, event) = completed.map_err(|r| refusal(id, r, "pay"))?;
    dispatch(shared, event, deliver);
    Ok(session)
}

/// Expires an open session now (an expired one is returned as is).
pub(crate) fn expire_session(
    shared: &Arc<Shared>,
    id: &str,
    deliver: Deliver,
) -> Result<Value, ApiError> {
    let expired = shared
        .store()
        .expire(id, now(), &Default::default(), deliver);
    let (session, event) = expired.map_err(|r| refusal(id, r, "expire"))?;
    if let Some(event) = event {
        dispatch(shared, event, deliver);
    }
    Ok(session)
}

fn reply(result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(value) => Json(value).into_response(),
        Err(err) => err.into_response(),
    }
}

async fn sessions(State(shared): State<Arc<Shared>>) -> Json<Vec<Value>> {
    Json(
        shared
            .store()
            .sessions
            .iter()
            .map(|s| s.to_json())
            .collect(),
    )
}

async fn session(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let found = shared.store().session(&id).map(|s| s.to_json());
    reply(found.ok_or_else(|| ApiError::no_such_session(&id)))
}

async fn pay(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let options = options(query, &body);
    let settle_later = either(&options, "payment", ("card", false), "async");
    reply(settle_later.and_then(|settle_later| {
        let deliver = deliver_option(&options)?;
        pay_session(&shared, &id, deliver, settle_later)
    }))
}

async fn async_payment(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let options = options(query, &body);
    let succeeded = either(&options, "outcome", ("succeeded", true), "failed");
    reply(succeeded.and_then(|succeeded| {
        let deliver = deliver_option(&options)?;
        let settled = shared.store().settle_async(&id, succeeded, now(), deliver);
        let (session, event) = settled.map_err(|r| match r {
            Refusal::NotFound => ApiError::no_such_session(&id),
            Refusal::Not(_) => ApiError::invalid(format!(
                "Checkout session {id} has no pending asynchronous payment (pay it with payment=async first)."
            )),
        })?;
        dispatch(&shared, event, deliver);
        Ok(session)
    }))
}

async fn expire(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let options = options(query, &body);
    reply(deliver_option(&options).and_then(|deliver| expire_session(&shared, &id, deliver)))
}

async fn events(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Json<Vec<Value>> {
    let filter = options(query, b"");
    let store = shared.store();
    Json(
        store
            .events
            .iter()
            .filter(|e| filter.get("type").is_none_or(|t| *t == e.type_))
            .filter(|e| {
                filter
                    .get("session_id")
                    .is_none_or(|s| e.session_id.as_ref() == Some(s))
            })
            .map(|e| e.to_json())
            .collect(),
    )
}

fn no_such_event(id: &str) -> ApiError {
    let mut err = ApiError::invalid(format!("No such event: '{id}'"));
    err.status = StatusCode::NOT_FOUND;
    err
}

async fn event(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let found = shared
        .store()
        .events
        .iter()
        .find(|e| e.id == id)
        .map(|e| e.to_json());
    reply(found.ok_or_else(|| no_such_event(&id)))
}

async fn deliver(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    if !shared.store().events.iter().any(|e| e.id == id) {
        return no_such_event(&id).into_response();
    }
    match deliver_manually(&shared, &id).await {
        Ok((status, body)) => {
            Json(json!({ "id": id, "status": status, "body": body })).into_response()
        }
        Err(error) => (
            StatusCode::BAD_GATEWAY,
            Json(json!({ "id": id, "status": null, "error": error })),
        )
            .into_response(),
    }
}

async fn refunds(State(shared): State<Arc<Shared>>) -> Json<Vec<Value>> {
    Json(shared.store().refunds.clone())
}

async fn config(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let options = options(None, &body);
    let url = options
        .get("webhook_url")
        .filter(|u| !u.trim().is_empty())
        .cloned();
    *shared.webhook_url.lock().unwrap_or_else(|e| e.into_inner()) = url.clone();
    Json(json!({ "webhook_url": url })).into_response()
}

async fn reset(State(shared): State<Arc<Shared>>) -> Json<Value> {
    *shared.store() = Store::default();
    Json(json!({ "reset": true }))
}
