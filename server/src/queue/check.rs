//! The browser check before a place (`app::backend::queue::challenge`).
//!
//! `GET /events/{id}/queue/join` answers a page carrying a fresh challenge
//! for the visitor; its script (`public/queue-check.js`) has a worker
//! (`public/pow-worker.js`, running `pow.wasm`) solve it, showing progress,
//! then posts the solution to `POST /events/{id}/queue/join`, which spends
//! it and takes the place. Without JavaScript the page says the queue needs
//! it: there is no fair way to hand out places to programs that do not pay.

use app::backend::auth::AuthSession;
use app::backend::cart::{self, store::CartOwner};
use app::backend::error::BackendError;
use app::backend::queue::challenge::{self, Challenge, ProofRefusal};
use app::backend::queue::{self, Member, Visitor};
use app::backend::{AppState, rate_limit};
use app::error::AppError;
use axum::extract::{FromRequest, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use html_escape::encode_double_quoted_attribute;
use serde::Deserialize;
use uuid::Uuid;

use super::join::{open_to, take_place};
use super::page::{Frame, frame, say};
use super::{cookies, keeps_no_cookies, locale_of, plain, unavailable};
use app::i18n::Locale;

/// The check page's requests: its script and worker, `pow.wasm` (compiled
/// by the browser, hence `wasm-unsafe-eval`), and its one form, posted here.
const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// The check page for `visitor`, with a challenge for them alone.
pub async fn page(
    state: &AppState,
    locale: Locale,
    event: Uuid,
    visitor: Visitor,
    switched_on: bool,
) -> Response {
    let ready = async {
        if !queue::is_on(&state.valkey, event, switched_on).await? {
            return Ok(None);
        }
        if !queue::has_facts(&state.valkey, event).await? {
            queue::refresh_one(&state.db, &state.valkey, event).await?;
        }
        // Read here, not from this instance's copy: the copy would then
        // predate the place taken a moment later.
        let Some(progress) = queue::progress(&state.valkey, event, &state.config.queue).await?
        else {
            return Ok(None);
        };
        let bits = challenge::work_bits(&state.valkey, event, &state.config.queue).await?;
        Ok::<_, app::backend::BackendError>(Some((progress, bits)))
    }
    .await;
    let (progress, bits) = match ready {
        Ok(Some(ready)) => ready,
        // No queue (any more): straight to the sale.
        Ok(None) => return Redirect::to(&format!("/events/{event}")).into_response(),
        Err(err) => {
            tracing::warn!(%event, error = %err, "queue check: queue not read");
            return unavailable(locale);
        }
    };
    let member = cookies(state).member(visitor);
    let now_ms = chrono::Utc::now().timestamp_millis();
    let challenge = cookies(state).challenge(event, &member, bits, now_ms);
    let data = format!(
        " data-challenge=\"{}\" data-bits=\"{}\" data-parts=\"{}\" data-checked=\"{}\" data-failed=\"{}\"",
        encode_double_quoted_attribute(&challenge.text),
        challenge.bits,
        challenge.parts,
        encode_double_quoted_attribute(&say(locale, "queue-check-progress", &[])),
        encode_double_quoted_attribute(&say(locale, "queue-check-broken", &[])),
    );
    frame(
        state,
        locale,
        event,
        &progress,
        Frame {
            script: "/queue-check.js",
            policy: POLICY,
            refresh: false,
            data: &data,
            body: &body(locale, event, &challenge),
        },
    )
}

fn body(locale: Locale, event: Uuid, challenge: &Challenge) -> String {
    format!(
        "<h1 class=\"text-2xl font-bold\">{heading}</h1>\
         <noscript><p class=\"rounded-lg bg-amber-50 p-3 text-amber-900\" data-testid=\"queue-needs-js\">{needs_js}</p></noscript>\
         <div class=\"space-y-2\" data-testid=\"queue-check\">\
         <p>{text}</p>\
         <progress class=\"w-full\" max=\"100\" value=\"0\" aria-labelledby=\"check-status\"></progress>\
         <p id=\"check-status\" class=\"text-sm text-slate-600\" role=\"status\" data-testid=\"queue-check-status\">{starting}</p></div>\
         <form method=\"post\" action=\"/events/{event}/queue/join\" data-testid=\"queue-check-form\">\
         <input type=\"hidden\" name=\"challenge\" value=\"{challenge}\">\
         <input type=\"hidden\" name=\"solution\" value=\"\"></form>",
        heading = say(locale, "queue-check-heading", &[]),
        needs_js = say(locale, "queue-needs-js", &[]),
        text = say(locale, "queue-check-text", &[]),
        starting = say(locale, "queue-check-starting", &[]),
        challenge = encode_double_quoted_attribute(&challenge.text),
    )
}

/// The check page's answer.
#[derive(Deserialize)]
pub struct Proof {
    challenge: String,
    solution: String,
}

/// `POST /events/{id}/queue/join`: the solved challenge, spent, then the
/// place. A refused one (forged, reused, expired, for another event or
/// visitor, unsolved) gets a new check, and no place ([`failed`]).
pub async fn take(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let locale = locale_of(request.extensions());
    let (event, switched_on) = match open_to(&state, locale, &auth, &id).await {
        Ok(open) => open,
        Err(refused) => return refused,
    };
    let visitor = match &auth.user {
        Some(user) => Visitor::Account(user.id),
        None => match cart::owner(&auth, false).await {
            Ok(Some(CartOwner::Guest(id))) => Visitor::Guest(id),
            Ok(_) => return keeps_no_cookies(locale),
            Err(_) => return unavailable(locale),
        },
    };
    let (mut parts, body) = request.into_parts();
    let form = axum::extract::Request::from_parts(parts.clone(), body);
    let member = cookies(&state).member(visitor);
    let Ok(axum::Form(proof)) = axum::Form::<Proof>::from_request(form, &state).await else {
        if let Some(refused) = failed(
            &state,
            locale,
            event,
            &member,
            ProofRefusal::Malformed,
            &mut parts,
        )
        .await
        {
            return refused;
        }
        return page(&state, locale, event, visitor, switched_on).await;
    };
    match challenge::redeem(
        &state.valkey,
        &cookies(&state),
        event,
        &member,
        &proof.challenge,
        &proof.solution,
    )
    .await
    {
        Ok(Ok(())) => {
            let answer = take_place(&state, locale, event, visitor, switched_on, &mut parts).await;
            let placed = answer
                .headers()
                .get(axum::http::header::LOCATION)
                .is_some_and(|to| to.as_bytes() == format!("/queue/{event}").as_bytes());
            let counted = if placed {
                challenge::count_passed(&state.valkey, event, &state.config.queue).await
            } else {
                // No place bought (the address is full, Valkey failed): the
                // work stays the visitor's for another try.
                challenge::unspend(&state.valkey, event, &proof.challenge).await
            };
            if let Err(err) = counted {
                tracing::warn!(%event, error = %err, "queue check not counted");
            }
            answer
        }
        // Their own, posted again (a reload after a lost answer, a double
        // submit): to the holding page, which shows the place it bought (or,
        // its cookie lost, sends them to be checked again). Nothing more: a
        // spent check never takes a place again.
        Ok(Err(ProofRefusal::Reused)) => Redirect::to(&format!("/queue/{event}")).into_response(),
        Ok(Err(refusal)) => {
            match failed(&state, locale, event, &member, refusal, &mut parts).await {
                Some(refused) => refused,
                None => page(&state, locale, event, visitor, switched_on).await,
            }
        }
        Err(err) => {
            tracing::warn!(%event, error = %err, "queue check: proof not spent");
            unavailable(locale)
        }
    }
}

/// The check did not pass. Unless it only ran out (a slow phone's) or was
/// another visitor's (the same browser signed in meanwhile), it is counted
/// for the organizer and the visitor's place, if they hold one, moves to the
/// back (once). They are not told why: the answer is a new check, or, past
/// 30 failures from their address in ten minutes, a 429 (the answer here).
async fn failed(
    state: &AppState,
    locale: Locale,
    event: Uuid,
    member: &Member,
    refusal: ProofRefusal,
    parts: &mut axum::http::request::Parts,
) -> Option<Response> {
    tracing::info!(%event, why = %refusal, "queue check refused");
    app::backend::metrics::check_refused(refusal.label());
    if matches!(refusal, ProofRefusal::Expired | ProofRefusal::OtherVisitor) {
        return None;
    }
    let address = cookies(state).address(&app::backend::access::client_ip_of(parts, state).await);
    let limited =
        rate_limit::limit(state, rate_limit::Bucket::CheckFailedFromAddress(&address)).await;
    if let Err(err) = challenge::count_refused(&state.valkey, event).await {
        tracing::warn!(%event, error = %err, "refused check not counted");
    }
    if let Err(err) = queue::to_back(&state.valkey, event, member).await {
        tracing::warn!(%event, error = %err, "place not moved to the back");
    }
    match limited {
        Err(BackendError::User(AppError::RateLimited { retry_after_secs })) => Some(plain(
            locale,
            StatusCode::TOO_MANY_REQUESTS,
            "queue-check-too-many-title",
            "queue-check-too-many-text",
            &[("minutes", (retry_after_secs.div_ceil(60) as i64).into())],
        )),
        // Valkey's trouble is the next step's to say.
        _ => None,
    }
}
