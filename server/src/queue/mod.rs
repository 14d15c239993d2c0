//! The waiting room's pages (see `app::backend::queue`).
//!
//! - `GET /events/{id}/queue/join` takes a place (the account's, or the guest
//!   session's; a few per client address) and hands back a signed cookie
//!   naming it by an opaque digest.
//! - `GET /queue/{id}` is the holding page: the position and the estimated
//!   wait, refreshed every few seconds by the page itself (a meta refresh, so
//!   the same with or without JavaScript). It is served outside the session
//!   and auth layers: a refresh reads the signed cookie and runs one Valkey
//!   script, never the database. When the visitor's turn comes it hands them
//!   a signed admission (a cookie bound to their account or session, valid
//!   `QUEUE_ADMISSION_SECS`) and sends them to the event's page.
//! - `GET /queue/{id}/status` answers the same as JSON, for scripts.

mod page;

use std::time::Duration;

use app::backend::AppState;
use app::backend::access;
use app::backend::auth::AuthSession;
use app::backend::cart::{self, store::CartOwner};
use app::backend::queue::{self, Joined, Member, QueueCookies, Standing, Visitor};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use secrecy::ExposeSecret;
use uuid::Uuid;

use crate::error_status::plain_page_in;
use app::i18n::{Arg, Locale};
use page::say;

/// How often the holding page asks again.
const REFRESH_SECS: u64 = 3;

fn cookies(state: &AppState) -> QueueCookies {
    QueueCookies::new(state.config.app_secret.expose_secret().as_bytes())
}

fn cookie(state: &AppState, name: &str, value: &str, max_age: Duration) -> String {
    let secure = if state.config.is_https() {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{name}={value}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
        max_age.as_secs().max(1)
    )
}

/// The request's language (set by the language layer around every route).
fn locale_of(req: &axum::http::Extensions) -> Locale {
    req.get::<Locale>().copied().unwrap_or_default()
}

fn plain(
    locale: Locale,
    status: StatusCode,
    title: &str,
    text: &str,
    args: &[(&str, Arg)],
) -> Response {
    plain_page_in(
        locale,
        status,
        &app::i18n::text(locale, title, &[]),
        &app::i18n::text(locale, text, args),
    )
}

fn unavailable(locale: Locale) -> Response {
    let mut page = plain(
        locale,
        StatusCode::SERVICE_UNAVAILABLE,
        "queue-unavailable-title",
        "queue-unavailable-text",
        &[],
    );
    page.headers_mut()
        .insert(header::REFRESH, header::HeaderValue::from_static("5"));
    page
}

fn no_such_queue(locale: Locale) -> Response {
    plain(
        locale,
        StatusCode::NOT_FOUND,
        "queue-not-found-title",
        "queue-not-found-text",
        &[],
    )
}

/// The query the join link adds when it has just given a guest a session:
/// coming back without that session means the browser keeps no cookies.
const COOKIE_CHECK: &str = "cookies=1";

fn keeps_no_cookies(locale: Locale) -> Response {
    plain(
        locale,
        StatusCode::BAD_REQUEST,
        "queue-no-cookies-title",
        "queue-no-cookies-text",
        &[],
    )
}

fn address_full(locale: Locale, per_address: u64) -> Response {
    plain(
        locale,
        StatusCode::TOO_MANY_REQUESTS,
        "queue-address-full-title",
        "queue-address-full-text",
        &[("count", (per_address as i64).into())],
    )
}

/// `GET /events/{id}/queue/join`: a place for the account, or for the guest's
/// session. A guest's first request only gets the session (and comes back):
/// a place goes to a browser that keeps its cookies, never to each request of
/// a program that does not.
pub async fn join(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let locale = locale_of(request.extensions());
    let Ok(event) = Uuid::parse_str(&id) else {
        return no_such_queue(locale);
    };
    let switched_on = match sqlx::query_scalar!(
        "SELECT queue_enabled FROM events WHERE id = $1 AND status = 'published'",
        event
    )
    .fetch_optional(&state.db)
    .await
    {
        Ok(Some(on)) => on,
        Ok(None) => return no_such_queue(locale),
        Err(err) => {
            tracing::error!(error = %err, "queue join: event not read");
            return unavailable(locale);
        }
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
    let (mut parts, _) = request.into_parts();
    let cookies = cookies(&state);
    let member = cookies.member(visitor);
    let address = cookies.address(&access::client_ip_of(&mut parts, &state).await);
    let per_address = state.config.queue.places_per_address;
    let joined = async {
        if !queue::is_on(&state.valkey, event, switched_on).await? {
            return Ok(None);
        }
        if !queue::has_facts(&state.valkey, event).await? {
            queue::refresh_one(&state.db, &state.valkey, event).await?;
        }
        Ok::<_, app::backend::BackendError>(Some(
            queue::join(&state.valkey, event, &member, &address, per_address).await?,
        ))
    }
    .await;
    match joined {
        Ok(Some(Joined::Placed)) => (
            [(
                header::SET_COOKIE,
                cookie(
                    &state,
                    &queue::place_cookie(event),
                    &cookies.place(event, &member),
                    Duration::from_secs(2 * 24 * 3600),
                ),
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

/// Where the visitor stands, from their place cookie; `None` without one.
async fn standing(
    state: &AppState,
    event: Uuid,
    headers: &HeaderMap,
) -> Option<(Member, Result<Standing, app::backend::BackendError>)> {
    let name = queue::place_cookie(event);
    let cookies = cookies(state);
    let member = access::cookie_values(headers, &name)
        .iter()
        .find_map(|value| cookies.read_place(event, value))?;
    let standing = queue::poll(
        &state.valkey,
        event,
        &member,
        state.config.queue.admit_per_sec,
        state.config.queue.admission,
    )
    .await;
    Some((member, standing))
}

/// The admission cookie for a visitor whose turn has come.
fn admission(state: &AppState, event: Uuid, member: &Member, until_ms: i64) -> String {
    let left =
        Duration::from_millis((until_ms - chrono::Utc::now().timestamp_millis()).max(1000) as u64);
    cookie(
        state,
        &queue::admission_cookie(event),
        &cookies(state).admission(event, member, until_ms),
        left,
    )
}

/// The estimated wait in words, in the unit a visitor plans by (minutes
/// rounded up, hours and days to the nearest).
fn estimate(locale: Locale, wait: Duration) -> String {
    let secs = wait.as_secs();
    let (key, count) = match secs {
        0..=59 => ("queue-wait-under-minute", 0),
        60..=119 => ("queue-wait-minute", 1),
        120..=5399 => ("queue-wait-minutes", secs.div_ceil(60)),
        5400..=129_599 => ("queue-wait-hours", (secs + 1800) / 3600),
        _ => ("queue-wait-days", (secs + 43_200) / 86_400),
    };
    say(locale, key, &[("count", (count as i64).into())])
}

/// `GET /queue/{id}`: the holding page.
pub async fn wait(
    State(state): State<AppState>,
    Path(id): Path<String>,
    locale: Option<axum::Extension<Locale>>,
    headers: HeaderMap,
) -> Response {
    let locale = locale.map(|l| l.0).unwrap_or_default();
    let Ok(event) = Uuid::parse_str(&id) else {
        return no_such_queue(locale);
    };
    let Some((member, standing)) = standing(&state, event, &headers).await else {
        return Redirect::to(&format!("/events/{event}/queue/join")).into_response();
    };
    let body = match standing {
        Ok(Standing::Admitted { until_ms }) => {
            return (
                [(
                    header::SET_COOKIE,
                    admission(&state, event, &member, until_ms),
                )],
                Redirect::to(&format!("/events/{event}?admitted=1")),
            )
                .into_response();
        }
        Ok(Standing::Absent) => {
            return Redirect::to(&format!("/events/{event}/queue/join")).into_response();
        }
        Ok(Standing::SoldOut) => {
            let link = format!(
                "<a class=\"font-medium text-indigo-700 underline\" href=\"/events/{event}\">{}</a>",
                say(locale, "queue-sold-out-link", &[])
            );
            format!(
                "<h1 class=\"text-2xl font-bold\">{}</h1><p data-testid=\"queue-sold-out\">{}</p>",
                say(locale, "queue-sold-out-title", &[]),
                say(locale, "queue-sold-out-text", &[("link", "\u{1}".into())])
                    .replace('\u{1}', &link)
            )
        }
        Ok(Standing::Waiting {
            position,
            waiting,
            wait,
            before_opening,
        }) => {
            let note = say(
                locale,
                if before_opening {
                    "queue-before-opening"
                } else {
                    "queue-letting-through"
                },
                &[],
            );
            // Values that are HTML go in after the words are escaped.
            let place = say(
                locale,
                "queue-place",
                &[
                    ("position", "\u{1}".into()),
                    ("waiting", waiting.to_string().into()),
                ],
            )
            .replace(
                '\u{1}',
                &format!("<strong data-testid=\"queue-position\">{position}</strong>"),
            );
            let wait = say(locale, "queue-estimated-wait", &[("wait", "\u{1}".into())]).replace(
                '\u{1}',
                &format!(
                    "<strong data-testid=\"queue-wait\">{}</strong>",
                    estimate(locale, wait)
                ),
            );
            format!(
                "<h1 class=\"text-2xl font-bold\">{}</h1>\
                 <p class=\"text-2xl\">{place}</p><p>{wait}</p><p>{note}</p>\
                 <p class=\"text-sm text-slate-600\">{}</p>",
                say(locale, "queue-in-queue", &[]),
                say(locale, "queue-keep-open", &[]),
            )
        }
        Err(err) => {
            tracing::warn!(%event, error = %err, "queue poll failed");
            return unavailable(locale);
        }
    };
    // The names are decoration: without them the page still says where the visitor stands.
    let sign = queue::sign(&state.valkey, event, locale)
        .await
        .unwrap_or_default();
    page::document(&state, locale, event, &sign, &body)
}

/// `GET /queue/{id}/status`: the same as JSON.
pub async fn status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(event) = Uuid::parse_str(&id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some((member, standing)) = standing(&state, event, &headers).await else {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({ "state": "absent" })),
        )
            .into_response();
    };
    match standing {
        Ok(Standing::Admitted { until_ms }) => (
            [(
                header::SET_COOKIE,
                admission(&state, event, &member, until_ms),
            )],
            axum::Json(serde_json::json!({ "state": "admitted", "until_ms": until_ms })),
        )
            .into_response(),
        Ok(Standing::Waiting {
            position,
            waiting,
            wait,
            before_opening,
        }) => axum::Json(serde_json::json!({
            "state": "waiting", "position": position, "waiting": waiting,
            "wait_secs": wait.as_secs(), "before_opening": before_opening,
        }))
        .into_response(),
        Ok(Standing::SoldOut) => {
            axum::Json(serde_json::json!({ "state": "sold_out" })).into_response()
        }
        Ok(Standing::Absent) => {
            axum::Json(serde_json::json!({ "state": "absent" })).into_response()
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "state": "unavailable" })),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_reads_in_the_unit_a_visitor_plans_by() {
        let said = |secs| estimate(Locale::En, Duration::from_secs(secs));
        assert_eq!(said(30), "less than a minute");
        assert_eq!(said(61), "about a minute");
        assert_eq!(said(20 * 60), "about 20 minutes");
        assert_eq!(said(90 * 60), "about 2 hours");
        assert_eq!(said(3 * 3600 + 60), "about 3 hours");
        assert_eq!(said(2 * 86_400 + 60), "about 2 days");
    }
}
