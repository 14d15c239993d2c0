//! Test controls (JSON, no auth) under `/_test/`, for driving the emulator
//! from tests: paying, expiring, moving the clock, refunds and disputes as the
//! dashboard would make them, failing or forgetting sessions, holding back or
//! re-delivering events, and settings (`webhook_url`, `webhook_secret`,
//! `api_latency_ms`).
//!
//! The full table of endpoints, their fields and effects is in the crate's
//! `README.md` ("Test controls"); keep it in step with the routes below.
//!
//! State changes take `deliver=normal|twice|none` in the query string or the
//! body (JSON or form): `twice` delivers the event twice, `none` only records it.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::body::Bytes;
use axum::extract::{FromRequest, Path, RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::api::{RefundRequest, refund};
use crate::store::{Cause, DISPUTE_REASONS, Refusal, Store, dispute_json};
use crate::webhook::{deliver_manually, dispatch};
use crate::wire::ApiError;
use crate::{Deliver, Shared, new_id, split_secrets};

/// Every `/_test/` route (documented in `README.md`).
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_test/sessions", get(sessions))
        .route("/_test/sessions/{id}", get(session))
        .route("/_test/sessions/{id}/pay", post(pay))
        .route("/_test/sessions/{id}/async_payment", post(async_payment))
        .route("/_test/sessions/{id}/expire", post(expire))
        .route("/_test/sessions/{id}/break", post(break_session))
        .route("/_test/sessions/{id}/repair", post(repair_session))
        .route("/_test/sessions/{id}/forget", post(forget_session))
        .route("/_test/payments/{id}/refund", post(refund_payment))
        .route("/_test/payments/{id}/dispute", post(dispute_payment))
        .route("/_test/disputes", get(disputes))
        .route("/_test/disputes/{id}/close", post(close_dispute))
        .route("/_test/clock", get(clock).post(advance_clock))
        .route("/_test/events", get(events))
        .route("/_test/events/{id}", get(event))
        .route("/_test/events/{id}/deliver", post(deliver))
        .route("/_test/refunds", get(refunds))
        .route("/_test/config", post(config))
        .route("/_test/reset", post(reset))
}

/// A control's parameters: the query string and the body (JSON or form)
/// merged, the body winning.
struct Options(BTreeMap<String, String>);

impl<S: Send + Sync> FromRequest<S> for Options {
    type Rejection = std::convert::Infallible;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let query = req.uri().query().unwrap_or_default().to_string();
        let body = Bytes::from_request(req, state).await.unwrap_or_default();
        Ok(Self(options(&query, &body)))
    }
}

fn options(query: &str, body: &[u8]) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = form_urlencoded::parse(query.as_bytes())
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
        .complete(id, None, !settle_later, shared.now(), deliver);
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
        .expire(id, shared.now(), &Default::default(), deliver);
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
    Options(options): Options,
) -> Response {
    let settle_later = either(&options, "payment", ("card", false), "async");
    reply(settle_later.and_then(|settle_later| {
        let deliver = deliver_option(&options)?;
        pay_session(&shared, &id, deliver, settle_later)
    }))
}

async fn async_payment(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Options(options): Options,
) -> Response {
    let succeeded = either(&options, "outcome", ("succeeded", true), "failed");
    reply(succeeded.and_then(|succeeded| {
        let deliver = deliver_option(&options)?;
        let settled = shared
            .store()
            .settle_async(&id, succeeded, shared.now(), deliver);
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
    Options(options): Options,
) -> Response {
    reply(deliver_option(&options).and_then(|deliver| expire_session(&shared, &id, deliver)))
}

async fn events(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Json<Vec<Value>> {
    let filter = options(query.as_deref().unwrap_or_default(), b"");
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

/// The current settings (what `POST /_test/config` answers).
fn config_json(shared: &Shared) -> Value {
    json!({
        "webhook_url": shared.webhook_url(),
        "webhook_secret": shared.secret(),
        "api_latency_ms": shared.api_latency().as_millis() as u64,
        "rate_limit_refunds": shared.rate_limited_refunds.load(Ordering::SeqCst),
        "lose_refund_responses": shared.lost_refund_responses.load(Ordering::SeqCst),
        "rate_limit_expires": shared.rate_limited_expires.load(Ordering::SeqCst),
    })
}

/// `POST /_test/config`: changes only the fields given (JSON or form):
/// `webhook_url` (string, `null` or empty: none), `webhook_secret` (one or
/// several comma-separated secrets), `api_latency_ms` (0..=60000).
async fn config(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let trimmed = body.trim_ascii();
    let fields: serde_json::Map<String, Value> = if trimmed.starts_with(b"{") {
        match serde_json::from_slice(trimmed) {
            Ok(fields) => fields,
            Err(err) => {
                return ApiError::invalid(format!("Invalid JSON body: {err}")).into_response();
            }
        }
    } else {
        form_urlencoded::parse(trimmed)
            .into_owned()
            .map(|(k, v)| (k, Value::String(v)))
            .collect()
    };
    let mut latency = None;
    let mut faults: Vec<(String, u64)> = Vec::new();
    let mut secret = None;
    let mut url = None;
    for (name, value) in &fields {
        match name.as_str() {
            "webhook_url" => match value {
                Value::Null => url = Some(None),
                Value::String(u) => {
                    url = Some(Some(u.trim().to_string()).filter(|u| !u.is_empty()))
                }
                _ => {
                    return ApiError::invalid("webhook_url must be a string or null")
                        .param(name)
                        .into_response();
                }
            },
            "webhook_secret" => {
                match value.as_str() {
                    Some(s) if !split_secrets(s).is_empty() => secret = Some(s.to_string()),
                    _ => {
                        return ApiError::invalid("webhook_secret must hold at least one secret (several: comma-separated)")
                        .param(name)
                        .into_response();
                    }
                }
            }
            "api_latency_ms" => {
                let ms = match value {
                    Value::Number(n) => n.as_u64(),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                };
                match ms {
                    Some(ms) if ms <= 60_000 => latency = Some(ms),
                    _ => {
                        return ApiError::invalid(
                            "api_latency_ms must be an integer from 0 to 60000",
                        )
                        .param(name)
                        .into_response();
                    }
                }
            }
            "rate_limit_refunds" | "lose_refund_responses" | "rate_limit_expires" => {
                let count = match value {
                    Value::Number(n) => n.as_u64(),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                };
                match count {
                    Some(count) if count <= 100_000 => faults.push((name.clone(), count)),
                    _ => {
                        return ApiError::invalid(format!(
                            "{name} must be an integer from 0 to 100000"
                        ))
                        .param(name)
                        .into_response();
                    }
                }
            }
            other => {
                return ApiError::invalid(format!(
                    "Unknown config field {other:?} (known: webhook_url, webhook_secret, api_latency_ms, rate_limit_refunds, lose_refund_responses, rate_limit_expires)"
                ))
                .param(other)
                .into_response();
            }
        }
    }
    if let Some(url) = url {
        *shared.webhook_url.lock().unwrap_or_else(|e| e.into_inner()) = url;
    }
    if let Some(secret) = secret {
        *shared.secret.lock().unwrap_or_else(|e| e.into_inner()) = secret;
    }
    if let Some(ms) = latency {
        shared.api_latency_ms.store(ms, Ordering::SeqCst);
    }
    for (name, count) in faults {
        let counter = match name.as_str() {
            "rate_limit_refunds" => &shared.rate_limited_refunds,
            "rate_limit_expires" => &shared.rate_limited_expires,
            _ => &shared.lost_refund_responses,
        };
        counter.store(count, Ordering::SeqCst);
    }
    Json(config_json(&shared)).into_response()
}

fn clock_json(shared: &Shared) -> Value {
    json!({
        "now": shared.now(),
        "offset_secs": shared.clock_offset.load(Ordering::SeqCst),
    })
}

async fn clock(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(clock_json(&shared))
}

/// `POST /_test/clock` `{"advance_secs": N}`: moves the emulator's clock
/// forward; open sessions now past `expires_at` expire at once (events sent).
async fn advance_clock(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let options = options("", &body);
    let secs = match options.get("advance_secs").map(|v| v.trim().parse::<u64>()) {
        Some(Ok(secs)) => secs,
        Some(Err(_)) => {
            return ApiError::invalid(
                "advance_secs must be a non-negative integer (the clock only moves forward)",
            )
            .param("advance_secs")
            .into_response();
        }
        None => return ApiError::missing("advance_secs").into_response(),
    };
    let expired = shared.advance_clock(secs);
    let mut answer = clock_json(&shared);
    answer["expired"] = json!(expired);
    Json(answer).into_response()
}

/// Makes API calls on a session fail with `status` (500..=599, `api_error`).
pub(crate) fn break_session_now(shared: &Shared, id: &str, status: u16) -> Result<(), ApiError> {
    if !(500..=599).contains(&status) {
        return Err(
            ApiError::invalid(format!("status must be from 500 to 599 (got {status})"))
                .param("status"),
        );
    }
    let mut store = shared.store();
    if store.session(id).is_none() {
        return Err(ApiError::no_such_session(id));
    }
    store.broken.insert(id.to_string(), status);
    Ok(())
}

/// Undoes `break` and `forget`.
pub(crate) fn repair_session_now(shared: &Shared, id: &str) -> Result<(), ApiError> {
    let mut store = shared.store();
    if store.session(id).is_none() {
        return Err(ApiError::no_such_session(id));
    }
    store.broken.remove(id);
    store.forgotten.remove(id);
    Ok(())
}

/// Makes the API answer 404 `resource_missing` for a session, as for one of another account.
pub(crate) fn forget_session_now(shared: &Shared, id: &str) -> Result<(), ApiError> {
    let mut store = shared.store();
    if store.session(id).is_none() {
        return Err(ApiError::no_such_session(id));
    }
    store.forgotten.insert(id.to_string());
    Ok(())
}

fn session_state(shared: &Shared, id: &str) -> Value {
    let store = shared.store();
    json!({
        "id": id,
        "broken_status": store.broken.get(id),
        "forgotten": store.forgotten.contains(id),
    })
}

async fn break_session(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Options(options): Options,
) -> Response {
    let status = match options.get("status").map(|s| s.trim().parse::<u16>()) {
        None => Ok(500),
        Some(Ok(status)) => Ok(status),
        Some(Err(_)) => {
            Err(ApiError::invalid("status must be an HTTP status from 500 to 599").param("status"))
        }
    };
    reply(
        status
            .and_then(|status| break_session_now(&shared, &id, status))
            .map(|()| session_state(&shared, &id)),
    )
}

async fn repair_session(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    reply(repair_session_now(&shared, &id).map(|()| session_state(&shared, &id)))
}

async fn forget_session(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    reply(forget_session_now(&shared, &id).map(|()| session_state(&shared, &id)))
}

/// Refunds a payment as the Stripe dashboard would (`amount`: default the
/// rest) and sends `charge.refunded`; returns the Refund.
pub(crate) fn refund_payment_now(
    shared: &Arc<Shared>,
    payment: &str,
    amount: Option<i64>,
    deliver: Deliver,
) -> Result<Value, ApiError> {
    let request = RefundRequest {
        target: payment.to_string(),
        param: "payment_intent",
        amount,
        reason: Some("requested_by_customer".into()),
        metadata: BTreeMap::new(),
    };
    let (refund, event) = refund(
        &mut shared.store(),
        request,
        shared.now(),
        &Cause::default(),
        deliver,
    )?;
    dispatch(shared, event, deliver);
    Ok(refund)
}

/// Opens a dispute (chargeback) on a succeeded payment and sends
/// `charge.dispute.created`; returns the Dispute.
pub(crate) fn dispute_payment_now(
    shared: &Arc<Shared>,
    payment: &str,
    reason: Option<&str>,
    deliver: Deliver,
) -> Result<Value, ApiError> {
    let reason = reason.unwrap_or("fraudulent");
    if !DISPUTE_REASONS.contains(&reason) {
        return Err(ApiError::invalid(format!(
            "Invalid reason: must be one of {}",
            DISPUTE_REASONS.join(", ")
        ))
        .param("reason"));
    }
    let now = shared.now();
    let (dispute, event) = {
        let mut store = shared.store();
        let pi = store
            .payment_id(payment)
            .ok_or_else(|| no_such_payment(payment))?;
        let record = store.payments.get_mut(&pi).expect("payment_id found it");
        if !record.succeeded {
            return Err(ApiError::invalid(format!(
                "PaymentIntent {pi} has no succeeded charge to dispute."
            )));
        }
        if let Some(existing) = &record.dispute {
            return Err(ApiError::invalid(format!(
                "Charge {} is already disputed ({existing}).",
                record.charge
            )));
        }
        let id = new_id("dp_1", 24);
        record.dispute = Some(id.clone());
        let dispute = dispute_json(&id, record, record.amount, reason, now);
        let session_id = record.session_id.clone();
        store.disputes.push(dispute.clone());
        let event = store.record_object_event(
            "charge.dispute.created",
            dispute.clone(),
            Some(session_id),
            now,
            &Cause::default(),
            deliver,
        );
        (dispute, event)
    };
    dispatch(shared, event, deliver);
    Ok(dispute)
}

/// Closes an open dispute as the bank decided (`outcome`: `won` or `lost`)
/// and sends `charge.dispute.closed`; returns the Dispute.
pub(crate) fn close_dispute_now(
    shared: &Arc<Shared>,
    dispute: &str,
    won: bool,
    deliver: Deliver,
) -> Result<Value, ApiError> {
    let now = shared.now();
    let (closed, event) = {
        let mut store = shared.store();
        let Some(found) = store
            .disputes
            .iter_mut()
            .find(|d| d["id"].as_str() == Some(dispute))
        else {
            return Err(ApiError::invalid(format!("No such dispute: '{dispute}'"))
                .code("resource_missing")
                .status(StatusCode::NOT_FOUND));
        };
        if matches!(found["status"].as_str(), Some("won" | "lost")) {
            return Err(ApiError::invalid(format!(
                "Dispute {dispute} is already closed ({}).",
                found["status"].as_str().unwrap_or_default()
            )));
        }
        found["status"] = json!(if won { "won" } else { "lost" });
        let closed = found.clone();
        let session_id = closed["payment_intent"]
            .as_str()
            .and_then(|pi| store.payment_id(pi))
            .and_then(|pi| store.payments.get(&pi).map(|p| p.session_id.clone()));
        let event = store.record_object_event(
            "charge.dispute.closed",
            closed.clone(),
            session_id,
            now,
            &Cause::default(),
            deliver,
        );
        (closed, event)
    };
    dispatch(shared, event, deliver);
    Ok(closed)
}

async fn close_dispute(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Options(options): Options,
) -> Response {
    let won = either(&options, "outcome", ("won", true), "lost");
    reply(won.and_then(|won| {
        let deliver = deliver_option(&options)?;
        close_dispute_now(&shared, &id, won, deliver)
    }))
}

fn no_such_payment(id: &str) -> ApiError {
    ApiError::invalid(format!("No such payment_intent: '{id}'"))
        .code("resource_missing")
        .param("payment_intent")
        .status(StatusCode::NOT_FOUND)
}

async fn refund_payment(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Options(options): Options,
) -> Response {
    let amount = match options.get("amount").map(|a| a.trim().parse::<i64>()) {
        None => Ok(None),
        Some(Ok(amount)) => Ok(Some(amount)),
        Some(Err(_)) => Err(ApiError::invalid("Invalid integer")
            .code("parameter_invalid_integer")
            .param("amount")),
    };
    reply(amount.and_then(|amount| {
        let deliver = deliver_option(&options)?;
        refund_payment_now(&shared, &id, amount, deliver)
    }))
}

async fn dispute_payment(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Options(options): Options,
) -> Response {
    reply(deliver_option(&options).and_then(|deliver| {
        dispute_payment_now(
            &shared,
            &id,
            options.get("reason").map(String::as_str),
            deliver,
        )
    }))
}

async fn disputes(State(shared): State<Arc<Shared>>) -> Json<Vec<Value>> {
    Json(shared.store().disputes.clone())
}

async fn reset(State(shared): State<Arc<Shared>>) -> Json<Value> {
    *shared.store() = Store::default();
    shared.clock_offset.store(0, Ordering::SeqCst);
    Json(json!({ "reset": true }))
}
