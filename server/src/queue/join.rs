//! Taking a place: `GET /events/{id}/queue/join` (the guest's session, then
//! the browser check) and what both it and the check's answer share: whether
//! the event is queued, who may not take a place yet, and the place itself.

use app::backend::AppState;
use app::backend::access;
use app::backend::auth::AuthSession;
use app::backend::cart::{self, store::CartOwner};
use app::backend::queue::{self, Joined, Visitor};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::{
    COOKIE_CHECK, address_full, check, cookies, keeps_no_cookies, locale_of, no_such_queue,
    place_cookie, plain, unavailable,
};
use app::i18n::Locale;

/// `GET /events/{id}/queue/join`: the way to a place for the account, or for
/// the guest's session. A guest's first request only gets the session (and
/// comes back): a place goes to a browser that keeps its cookies, never to
/// each request of a program that does not. Then the browser check
/// ([`check::page`]), whose answer takes the place ([`check::take`]); with
/// `QUEUE_PROOF_BITS=0` the place is taken here.
pub async fn join(
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
            Ok(_) if request.uri().query() == Some(COOKIE_CHECK) => {
                return keeps_no_cookies(locale);
            }
            Ok(_) => {
                // A session for the guest now; the place when they come back with it.
                return match cart::owner(&auth, true).await {
                    Ok(Some(_)) => {
                        Redirect::to(&format!("/events/{event}/queue/join?{COOKIE_CHECK}"))
                            .into_response()
                    }
                    _ => unavailable(locale),
                };
            }
            Err(_) => return unavailable(locale),
        },
    };
    if state.config.queue.proof_bits == 0 {
        let (mut parts, _) = request.into_parts();
        return take_place(&state, locale, event, visitor, switched_on, &mut parts).await;
    }
    check::page(&state, locale, event, visitor, switched_on).await
}

/// The event named by `id` and whether its organizer switched its queue on,
/// when this visitor may take a place in it now; else the page saying why
/// (no such queue, not yet, the database down). Both the check page and the
/// check's answer ask it.
pub(super) async fn open_to(
    state: &AppState,
    locale: Locale,
    auth: &AuthSession,
    id: &str,
) -> Result<(Uuid, bool), Response> {
    let event = Uuid::parse_str(id).map_err(|_| no_such_queue(locale))?;
    match queued(state, event).await {
        Ok(Some(queued)) => match not_yet(state, locale, auth, &queued) {
            Some(refused) => Err(refused),
            None => Ok((event, queued.switched_on)),
        },
        Ok(None) => Err(no_such_queue(locale)),
        Err(()) => Err(unavailable(locale)),
    }
}

/// A published event's queue as joining needs it.
struct Queued {
    /// The organizer switched the queue on (it may also be on by itself).
    switched_on: bool,
    /// Places are taken from then on (`None`: any time).
    register_from: Option<chrono::DateTime<chrono::Utc>>,
    time_zone: String,
}

/// The event's queue, when it is published; `Err` when the database did
/// not answer.
async fn queued(state: &AppState, event: Uuid) -> Result<Option<Queued>, ()> {
    sqlx::query_as!(
        Queued,
        r#"SELECT e.queue_enabled AS switched_on, e.time_zone,
                  (SELECT min(t.sale_starts_at) FROM ticket_types t WHERE t.event_id = e.id)
                    - make_interval(mins => e.queue_register_minutes) AS register_from
           FROM events e WHERE e.id = $1 AND e.status = 'published'"#,
        event
    )
    .fetch_optional(&state.db)
    .await
    .map_err(|err| tracing::error!(error = %err, "queue join: event not read"))
}

/// Why this visitor may take no place yet, as the page that says so: their
/// account's address is not confirmed (`QUEUE_VERIFIED_ACCOUNTS`), or places
/// are not taken yet (the organizer's registration window).
fn not_yet(
    state: &AppState,
    locale: Locale,
    auth: &AuthSession,
    queued: &Queued,
) -> Option<Response> {
    if state.config.queue.verified_accounts
        && auth.user.as_ref().is_some_and(|user| !user.email_verified)
    {
        return Some(plain(
            locale,
            StatusCode::FORBIDDEN,
            "queue-verify-first-title",
            "queue-verify-first-text",
            &[],
        ));
    }
    let from = queued
        .register_from
        .filter(|from| *from > chrono::Utc::now())?;
    let at = app::backend::zones::venue_time(from, &queued.time_zone);
    Some(plain(
        locale,
        StatusCode::FORBIDDEN,
        "queue-not-open-title",
        "queue-not-open-text",
        &[("time", app::i18n::format::venue_time(locale, &at).into())],
    ))
}

/// Gives `visitor` their place in `event`'s queue (at most a few per client
/// address) and a signed cookie naming it, then sends them to the holding page.
pub(super) async fn take_place(
    state: &AppState,
    locale: Locale,
    event: Uuid,
    visitor: Visitor,
    switched_on: bool,
    parts: &mut axum::http::request::Parts,
) -> Response {
    let cookies = cookies(state);
    let member = cookies.member(visitor);
    let address = cookies.address(&access::client_ip_of(parts, state).await);
    let per_address = state.config.queue.places_per_address;
    let joined = async {
        if !queue::is_on(&state.valkey, event, switched_on).await? {
            return Ok(None);
        }
        if !queue::has_facts(&state.valkey, event).await? {
            queue::refresh_one(&state.db, &state.valkey, event).await?;
        }
        // A presale takes accounts that entered a usable code for the event.
        let code_holder = match visitor {
            Visitor::Account(user) => {
                cart::code::kept(&state.db, &state.valkey, Some(CartOwner::User(user)), event)
                    .await?
                    .is_some()
            }
            Visitor::Guest(_) => false,
        };
        Ok::<_, app::backend::BackendError>(Some(
            queue::join(
                &state.valkey,
                event,
                &member,
                &address,
                &state.config.queue,
                code_holder,
            )
            .await?,
        ))
    }
    .await;
    match joined {
        Ok(Some(Joined::Placed(place))) => (
            [(
                header::SET_COOKIE,
                place_cookie(state, event, &member, place.number()),
            )],
            Redirect::to(&format!("/queue/{event}")),
        )
            .into_response(),
        Ok(Some(Joined::AddressFull)) => address_full(locale, per_address),
        // No queue (any more): straight to the sale.
        Ok(None) => Redirect::to(&format!("/events/{event}")).into_response(),
        Err(err) => {
            tracing::warn!(%event, error = %err, "queue join failed");
            unavailable(locale)
        }
    }
}
