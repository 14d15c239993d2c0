//! Signed webhook delivery with retries, and the expiry task.

use std::sync::Arc;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::store::Attempt;
use crate::{Deliver, EXPIRY_CHECK_INTERVAL, MAX_DELIVERY_ATTEMPTS, Shared, wall_now};

/// The `Stripe-Signature` header Stripe sends:
/// `t=<timestamp>,v1=<hex(HMAC-SHA256(secret, "<timestamp>.<payload>"))>`.
pub fn sign(payload: &str, secret: &str, timestamp: i64) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any size");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload.as_bytes());
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// The `Stripe-Signature` header during a secret rotation: one `v1=` signature
/// per active secret, `t=<timestamp>,v1=<with secrets[0]>,v1=<with secrets[1]>,...`
/// (with one secret, exactly [`sign`]).
pub fn sign_all<S: AsRef<str>>(payload: &str, secrets: &[S], timestamp: i64) -> String {
    let mut header = format!("t={timestamp}");
    for secret in secrets {
        let signed = sign(payload, secret.as_ref(), timestamp);
        if let Some((_, v1)) = signed.split_once(',') {
            header.push(',');
            header.push_str(v1);
        }
    }
    header
}

/// Starts delivering an event as `deliver` says.
pub(crate) fn dispatch(shared: &Arc<Shared>, event_id: String, deliver: Deliver) {
    let times = match deliver {
        Deliver::None => return,
        Deliver::Normal => 1,
        Deliver::Twice => 2,
    };
    let shared = shared.clone();
    tokio::spawn(async move {
        for _ in 0..times {
            deliver_with_retries(&shared, &event_id).await;
        }
    });
}

enum Sent {
    /// The endpoint answered with this status and body.
    Answered(u16, String),
    NoEndpoint,
    Failed(String),
    UnknownEvent,
}

/// One signed POST of the event to the webhook endpoint (signed afresh, as Stripe does).
async fn send(shared: &Shared, event_id: &str) -> Sent {
    let Some(url) = shared.next_webhook_url() else {
        return Sent::NoEndpoint;
    };
    let Some(payload) = shared
        .store()
        .events
        .iter()
        .find(|e| e.id == event_id)
        .map(|e| e.payload.clone())
    else {
        return Sent::UnknownEvent;
    };
    let signature = sign_all(&payload, &shared.secrets(), wall_now());
    let response = shared
        .http
        .post(&url)
        .header("content-type", "application/json; charset=utf-8")
        .header("stripe-signature", signature)
        .body(payload)
        .send()
        .await;
    match response {
        Ok(response) => {
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            Sent::Answered(status, body)
        }
        Err(err) => Sent::Failed(err.to_string()),
    }
}

/// Records an attempt's outcome; `last` says whether no retry follows.
fn record(shared: &Shared, event_id: &str, sent: &Sent, manual: bool, last: bool) {
    let mut store = shared.store();
    let Some(event) = store.events.iter_mut().find(|e| e.id == event_id) else {
        return;
    };
    let (status, error) = match sent {
        Sent::Answered(status, _) => (Some(*status), None),
        Sent::Failed(err) => (None, Some(err.clone())),
        Sent::NoEndpoint => {
            if event.status != "delivered" {
                event.status = "no_endpoint";
            }
            return;
        }
        Sent::UnknownEvent => return,
    };
    let ok = status.is_some_and(|s| (200..300).contains(&s));
    event.attempts.push(Attempt {
        at: wall_now(),
        status,
        error,
        manual,
    });
    if ok {
        event.status = "delivered";
    } else if event.status != "delivered" {
        event.status = if last { "failed" } else { "retrying" };
    }
}

async fn deliver_with_retries(shared: &Arc<Shared>, event_id: &str) {
    for attempt in 0..MAX_DELIVERY_ATTEMPTS {
        if attempt > 0 {
            tokio::time::sleep(shared.retry_base.saturating_mul(1 << (attempt - 1))).await;
        }
        let sent = send(shared, event_id).await;
        let last = attempt + 1 == MAX_DELIVERY_ATTEMPTS;
        record(shared, event_id, &sent, false, last);
        match &sent {
            Sent::Answered(status, _) if (200..300).contains(status) => return,
            Sent::Answered(status, _) => {
                tracing::warn!(
                    event_id,
                    status,
                    attempt = attempt + 1,
                    "webhook endpoint refused the event"
                );
            }
            Sent::Failed(err) => {
                tracing::warn!(event_id, %err, attempt = attempt + 1, "webhook delivery failed");
            }
            Sent::NoEndpoint | Sent::UnknownEvent => return,
        }
    }
}

/// Delivers an event once more, now, without retries: the endpoint's status and body.
pub(crate) async fn deliver_manually(
    shared: &Shared,
    event_id: &str,
) -> Result<(u16, String), String> {
    let sent = send(shared, event_id).await;
    record(shared, event_id, &sent, true, true);
    match sent {
        Sent::Answered(status, body) => Ok((status, body)),
        Sent::Failed(err) => Err(format!("delivery failed: {err}")),
        Sent::NoEndpoint => Err("no webhook_url is configured".into()),
        Sent::UnknownEvent => Err(format!("No such event: '{event_id}'")),
    }
}

/// Expires open sessions whose `expires_at` has passed and sends `checkout.session.expired`.
pub(crate) async fn expiry_loop(shared: Arc<Shared>) {
    let mut interval = tokio::time::interval(EXPIRY_CHECK_INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let due = shared.store().expire_due(shared.now());
        for (_, event) in due {
            dispatch(&shared, event, Deliver::Normal);
        }
    }
}
