//! The `/v1` Stripe API: Checkout Sessions and refunds.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json};
use serde_json::{Value, json};

use crate::session_rules::build_session;
use crate::store::{Cause, Refusal, Replay, Store};
use crate::webhook::dispatch;
use crate::wire::{ApiError, Params};
use crate::{Deliver, Shared, new_id};

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/checkout/sessions", post(create_session))
        .route("/checkout/sessions/{id}", get(retrieve_session))
        .route("/checkout/sessions/{id}/expire", post(expire_session))
        .route("/refunds", post(create_refund))
        .route("/refunds/{id}", get(retrieve_refund))
        .fallback(unknown_route)
        .layer(middleware::from_fn(authenticate))
}

/// The request id of an API call (`Request-Id` header, `event.request.id`).
#[derive(Clone)]
struct RequestId(String);

/// Accepts `Authorization: Bearer sk_...` (any secret key), as Stripe's test mode would.
async fn authenticate(mut req: Request, next: Next) -> Response {
    let request_id = new_id("req_", 14);
    let auth = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    let refused = match auth {
        None | Some("") => Some(
            "You did not provide an API key. You need to provide your API key in the Authorization header, \
             using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). \
             See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/."
                .to_string(),
        ),
        Some(value) => match bearer_or_basic(value) {
            Some(key) if key.starts_with("sk_") && key.len() > 3 => None,
            Some(key) if key.starts_with("pk_") => Some(
                "This API call cannot be made with a publishable API key. Please use a secret API key. \
                 You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys."
                    .to_string(),
            ),
            Some(key) => Some(format!("Invalid API Key provided: {}", redact(&key))),
            None => Some(
                "Invalid Authorization header: use Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY') or Basic auth."
                    .to_string(),
            ),
        },
    };
    let mut response = match refused {
        Some(message) => ApiError::invalid(message)
            .status(StatusCode::UNAUTHORIZED)
            .into_response(),
        None => {
            req.extensions_mut().insert(RequestId(request_id.clone()));
            next.run(req).await
        }
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("request-id", value);
    }
    response
}

/// The key from `Bearer <key>` or `Basic base64(<key>:)` (as `curl -u sk_test_...:` sends).
fn bearer_or_basic(value: &str) -> Option<String> {
    if let Some(key) = value.strip_prefix("Bearer ") {
        return Some(key.trim().to_string());
    }
    let encoded = value.strip_prefix("Basic ")?.trim();
    let decoded = String::from_utf8(base64_decode(encoded)?).ok()?;
    Some(decoded.split(':').next().unwrap_or_default().to_string())
}

fn base64_decode(input: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in input.bytes().filter(|c| *c != b'=') {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn redact(key: &str) -> String {
    let tail: String = key
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let head: String = key.chars().take(8).collect();
    format!(
        "{head}{}{tail}",
        "*".repeat(key.chars().count().saturating_sub(12).max(4))
    )
}

async fn unknown_route(method: Method, uri: Uri) -> Response {
    ApiError::invalid(format!(
        "Unrecognized request URL ({method}: {}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
        uri.path()
    ))
    .status(StatusCode::NOT_FOUND)
    .into_response()
}

/// What an API operation needs to know about the call.
pub(crate) struct Ctx {
    now: i64,
    cause: Cause,
}

/// Marks an idempotency key in flight; unmarks it when dropped (also when the
/// client goes away mid-request and the handler is cancelled).
struct InFlight {
    shared: Arc<Shared>,
    key: String,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.shared.store().in_flight.remove(&self.key);
    }
}

fn idempotency_error(status: StatusCode, code: Option<&'static str>, message: String) -> Response {
    ApiError {
        status,
        type_: "idempotency_error",
        message,
        code,
        param: None,
    }
    .into_response()
}

/// Runs `op` honouring `Idempotency-Key`, as Stripe does: a key seen before
/// with the same parameters replays the stored result; with other parameters
/// it is a 400 `idempotency_error`; a key whose first request is still being
/// processed is a 409 `idempotency_key_in_use`. The operation waits
/// `api_latency_ms` (a test control, 0 by default) while its key is in
/// flight, then runs under the store lock. Events `op` records are dispatched
/// once the lock is released. A request that fails is not stored under its key.
async fn idempotent(
    shared: &Arc<Shared>,
    request_id: &str,
    headers: &HeaderMap,
    endpoint: &str,
    params: &Params,
    op: impl FnOnce(&mut Store, &Ctx) -> Result<(Value, Vec<String>), ApiError>,
) -> Response {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string);
    if key.as_ref().is_some_and(|k| k.len() > 255) {
        return ApiError::invalid("Idempotency-Key must be at most 255 characters long.")
            .into_response();
    }
    let fingerprint = format!("{endpoint}?{}", params.fingerprint());
    // The moment the request is received (expires_at is measured from it).
    let ctx = Ctx {
        now: shared.now(),
        cause: Cause {
            request_id: Some(request_id.to_string()),
            idempotency_key: key.clone(),
        },
    };
    let _in_flight = match &key {
        None => None,
        Some(key) => {
            let mut store = shared.store();
            if let Some(replay) = store.idempotency.get(key) {
                if replay.fingerprint != fingerprint {
                    return idempotency_error(
                        StatusCode::BAD_REQUEST,
                        None,
                        format!(
                            "Keys for idempotent requests can only be used with the same parameters they were first used with. \
                             Try using a key other than '{key}' if you meant to execute a different request."
                        ),
                    );
                }
                let mut response = Json(replay.body.clone()).into_response();
                response
                    .headers_mut()
                    .insert("idempotent-replayed", HeaderValue::from_static("true"));
                if let Ok(value) = HeaderValue::from_str(key) {
                    response.headers_mut().insert("idempotency-key", value);
                }
                return response;
            }
            if !store.in_flight.insert(key.clone()) {
                return idempotency_error(
                    StatusCode::CONFLICT,
                    Some("idempotency_key_in_use"),
                    format!(
                        "There is currently another in-progress request using this Idempotent Key \
                         (that probably means you submitted twice, and the other request is still going through): {key}. \
                         Please try again later."
                    ),
                );
            }
            Some(InFlight {
                shared: shared.clone(),
                key: key.clone(),
            })
        }
    };
    let latency = shared.api_latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let (body, events) = {
        let mut store = shared.store();
        match op(&mut store, &ctx) {
            Ok((body, events)) => {
                if let Some(key) = &key {
                    store.idempotency.insert(
                        key.clone(),
                        Replay {
                            fingerprint,
                            body: body.clone(),
                        },
                    );
                }
                (body, events)
            }
            // Like Stripe, a request that failed validation is not saved under its key.
            Err(err) => return err.into_response(),
        }
    };
    for event in events {
        dispatch(shared, event, Deliver::Normal);
    }
    let mut response = Json(body).into_response();
    if let Some(value) = key.and_then(|k| HeaderValue::from_str(&k).ok()) {
        response.headers_mut().insert("idempotency-key", value);
    }
    response
}

async fn create_session(
    State(shared): State<Arc<Shared>>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = Params::parse(&body);
    idempotent(
        &shared,
        &request_id,
        &headers,
        "POST /v1/checkout/sessions",
        &params,
        |store, ctx| {
            let session = build_session(&params, ctx.now, &shared.public_url)?;
            let json = session.to_json();
            store.sessions.push(session);
            Ok((json, Vec::new()))
        },
    )
    .await
}

/// Whether the API may see this session: a forgotten one is unknown (404), a
/// broken one fails with its status (`/_test/sessions/{id}/...` controls).
fn visible(store: &Store, id: &str) -> Result<(), ApiError> {
    if store.forgotten.contains(id) {
        return Err(ApiError::no_such_session(id));
    }
    if let Some(status) = store.broken.get(id) {
        return Err(ApiError::broken_session(id, *status));
    }
    Ok(())
}

async fn retrieve_session(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let store = shared.store();
    if let Err(err) = visible(&store, &id) {
        return err.into_response();
    }
    match store.session(&id) {
        Some(session) => Json(session.to_json()).into_response(),
        None => ApiError::no_such_session(&id).into_response(),
    }
}

async fn expire_session(
    State(shared): State<Arc<Shared>>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if Shared::take_fault(&shared.rate_limited_expires) {
        return ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            type_: "invalid_request_error",
            message: "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits (emulated with rate_limit_expires).".into(),
            code: Some("rate_limit"),
            param: None,
        }
        .into_response();
    }
    let params = Params::parse(&body);
    let endpoint = format!("POST /v1/checkout/sessions/{id}/expire");
    idempotent(
        &shared,
        &request_id,
        &headers,
        &endpoint,
        &params,
        |store, ctx| {
            visible(store, &id)?;
            match store.expire(&id, ctx.now, &ctx.cause, Deliver::Normal) {
                Ok((json, event)) => Ok((json, event.into_iter().collect())),
                Err(Refusal::NotFound) => Err(ApiError::no_such_session(&id)),
                Err(Refusal::Not(status)) => Err(ApiError::invalid(format!(
                    "Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of \"{}\".",
                    status.as_str()
                ))
                .code("checkout_session_not_open")),
            }
        },
    )
    .await
}

/// What a refund asks for (the API's parameters, or the dashboard control's).
pub(crate) struct RefundRequest {
    /// A PaymentIntent id, or a charge id (`param` says which was given).
    pub(crate) target: String,
    pub(crate) param: &'static str,
    pub(crate) amount: Option<i64>,
    pub(crate) reason: Option<String>,
    pub(crate) metadata: BTreeMap<String, String>,
}

/// Refunds (part of) a succeeded payment as Stripe does, and records the
/// `charge.refunded` event Stripe sends after every refund. Returns the
/// Refund object and the event id.
pub(crate) fn refund(
    store: &mut Store,
    request: RefundRequest,
    now: i64,
    cause: &Cause,
    deliver: Deliver,
) -> Result<(Value, String), ApiError> {
    let RefundRequest {
        target,
        param,
        amount,
        reason,
        metadata,
    } = request;
    let found = match param {
        "payment_intent" => store.payments.contains_key(&target).then(|| target.clone()),
        "charge" => store
            .payments
            .values()
            .find(|p| p.charge == target)
            .map(|p| p.payment_intent.clone()),
        _ => store.payment_id(&target),
    };
    let payment_intent = found.ok_or_else(|| {
        let kind = if param == "charge" {
            "charge"
        } else {
            "payment_intent"
        };
        ApiError::invalid(format!("No such {kind}: '{target}'"))
            .code("resource_missing")
            .param(param)
    })?;
    let payment = store
        .payments
        .get_mut(&payment_intent)
        .expect("payment_id found it");
    if !payment.succeeded {
        return Err(ApiError::invalid(format!(
            "This PaymentIntent ({payment_intent}) does not have a successful charge to refund."
        ))
        .code("charge_not_refundable"));
    }
    if payment.dispute.is_some() {
        return Err(ApiError::invalid(format!(
            "Charge {} has been charged back; cannot issue a refund.",
            payment.charge
        ))
        .code("charge_disputed"));
    }
    let remaining = payment.amount - payment.refunded;
    if remaining <= 0 {
        return Err(ApiError::invalid(format!(
            "Charge {} has already been refunded.",
            payment.charge
        ))
        .code("charge_already_refunded"));
    }
    let amount = match amount {
        None => remaining,
        Some(amount) if amount < 1 => {
            return Err(ApiError::invalid("Invalid positive integer")
                .code("parameter_invalid_integer")
                .param("amount"));
        }
        Some(amount) if amount > remaining => {
            return Err(ApiError::invalid(format!(
                "Refund amount ({amount}) is greater than unrefunded amount on charge ({remaining})"
            ))
            .code("amount_too_large")
            .param("amount"));
        }
        Some(amount) => amount,
    };
    if let Some(reason) = &reason
        && !matches!(
            reason.as_str(),
            "duplicate" | "fraudulent" | "requested_by_customer"
        )
    {
        return Err(ApiError::invalid(
            "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer",
        )
        .param("reason"));
    }
    payment.refunded += amount;
    let refund = json!({
        "id": new_id("re_3", 24),
        "object": "refund",
        "amount": amount,
        "balance_transaction": new_id("txn_3", 24),
        "charge": payment.charge,
        "created": now,
        "currency": payment.currency,
        "destination_details": null,
        "metadata": metadata,
        "payment_intent": payment_intent,
        "reason": reason,
        "receipt_number": null,
        "source_transfer_reversal": null,
        "status": "succeeded",
        "transfer_reversal": null,
    });
    let charge = payment.charge_json();
    let session_id = payment.session_id.clone();
    store.refunds.push(refund.clone());
    let event = store.record_object_event(
        "charge.refunded",
        charge,
        Some(session_id),
        now,
        cause,
        deliver,
    );
    Ok((refund, event))
}

async fn create_refund(
    State(shared): State<Arc<Shared>>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if Shared::take_fault(&shared.rate_limited_refunds) {
        return ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            type_: "invalid_request_error",
            message: "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits (emulated with rate_limit_refunds).".into(),
            code: Some("rate_limit"),
            param: None,
        }
        .into_response();
    }
    let params = Params::parse(&body);
    let response = idempotent(
        &shared,
        &request_id,
        &headers,
        "POST /v1/refunds",
        &params,
        |store, ctx| {
            let (target, param) = match (params.text("payment_intent"), params.text("charge")) {
                (Some(pi), _) => (pi, "payment_intent"),
                (None, Some(charge)) => (charge, "charge"),
                (None, None) => {
                    return Err(ApiError::invalid(
                        "One of the following params should be provided for this request: payment_intent or charge.",
                    )
                    .code("parameter_missing"));
                }
            };
            let request = RefundRequest {
                target,
                param,
                amount: params.int("amount")?,
                reason: params.text("reason"),
                metadata: params
                    .map("metadata")
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty())
                    .collect(),
            };
            let (refund, event) = refund(store, request, ctx.now, &ctx.cause, Deliver::Normal)?;
            Ok((refund, vec![event]))
        },
    )
    .await;
    if response.status().is_success() && Shared::take_fault(&shared.lost_refund_responses) {
        return lost_response(response);
    }
    response
}

/// The answer's headers, then a cut connection instead of its body: the
/// client cannot tell whether the request was carried out.
fn lost_response(response: Response) -> Response {
    let (parts, _) = response.into_parts();
    let cut = futures::stream::once(async {
        Err::<Bytes, _>(std::io::Error::other(
            "connection lost (emulated with lose_refund_responses)",
        ))
    });
    Response::from_parts(parts, axum::body::Body::from_stream(cut))
}

async fn retrieve_refund(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match shared
        .store()
        .refunds
        .iter()
        .find(|r| r["id"] == id.as_str())
    {
        Some(refund) => Json(refund.clone()).into_response(),
        None => ApiError::invalid(format!("No such refund: '{id}'"))
            .code("resource_missing")
            .param("id")
            .status(StatusCode::NOT_FOUND)
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_from_bearer_or_basic_auth() {
        assert_eq!(
            bearer_or_basic("Bearer sk_test_1").as_deref(),
            Some("sk_test_1")
        );
        // base64("sk_test_123:")
        assert_eq!(
            bearer_or_basic("Basic c2tfdGVzdF8xMjM6").as_deref(),
            Some("sk_test_123")
        );
        assert_eq!(bearer_or_basic("Token x"), None);
    }

    #[test]
    fn bracket_parameters() {
        let params = Params::parse(
            b"line_items%5B1%5D%5Bquantity%5D=2&line_items[0][quantity]=1&metadata[order_id]=o+1&metadata[a][b]=x",
        );
        assert_eq!(
            params.indices("line_items").into_iter().collect::<Vec<_>>(),
            [0, 1]
        );
        assert_eq!(params.get("line_items[1][quantity]"), Some("2"));
        assert_eq!(
            params.map("metadata"),
            BTreeMap::from([("order_id".to_string(), "o 1".to_string())])
        );
    }
}
