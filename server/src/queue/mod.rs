//! The waiting room's pages (see `app::backend::queue`).
//!
//! - `GET /events/{id}/queue/join` (`join`) is the way to a place (the
//!   account's, or the guest session's; a few per client address): the
//!   browser check's page (`check`), whose solved challenge, posted to the
//!   same path, takes the place and hands back a signed cookie naming it by
//!   an opaque digest, with its number once drawn.
//! - `GET /queue/{id}` is the holding page: the position and the estimated
//!   wait. It is served outside the session and auth layers, from the signed
//!   cookie and this instance's copy of the queue's progress (at most a second
//!   old): no database, no Valkey, but once to learn the number after the
//!   draw and once to take the admission when the number has come. Then it
//!   hands the visitor a signed admission (a cookie bound to their account or
//!   session, until their turn ends) and sends them to the event's page.
//!   With JavaScript the page asks only `/queue/{id}/progress` every few
//!   seconds and reloads itself when the visitor's number has come; without,
//!   it reloads itself (a meta refresh).
//! - `GET /queue/{id}/progress` is that progress, the same for everyone:
//!   public JSON a CDN or the balancer may keep for a second.
//! - `GET /queue/{id}/status` answers the holding page's question as JSON,
//!   for scripts.

mod check;
mod join;
mod page;

pub use check::take as take_checked;
pub use join::join;

use std::sync::Arc;
use std::time::Duration;

use app::backend::AppState;
use app::backend::access;
use app::backend::queue::{self, Member, Place, Progress, QueueCookies, Turn};
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
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

/// The cookie naming the visitor's place and number.
fn place_cookie(state: &AppState, event: Uuid, member: &Member, number: Option<u64>) -> String {
    cookie(
        state,
        &queue::place_cookie(event),
        &cookies(state).place(event, member, number),
        Duration::from_secs(queue::KEEP_SECS as u64),
    )
}

/// Adds a second cookie (the place with its number, just learnt) to an answer.
fn append_cookie(response: &mut Response, cookie: Option<String>) {
    if let Some(cookie) = cookie.and_then(|c| header::HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
}

/// This instance's copy of the event's progress, at most a second old (the
/// copy's load raises "admitted up to" when due: one Valkey call a second
/// per instance and event, however many visitors wait).
async fn progress_of(
    state: &AppState,
    event: Uuid,
) -> Result<Option<Arc<Progress>>, app::backend::BackendError> {
    state
        .queue_progress
        .get_or_load(&event, || async {
            Ok(queue::progress(&state.valkey, event, &state.config.queue)
                .await?
                .map(Arc::new))
        })
        .await
}

/// What the holding page (and its JSON) answers a visitor.
enum Answer {
    /// Waiting, with the number once drawn: `set_cookie` when it was just learnt.
    Waiting {
        number: Option<u64>,
        set_cookie: Option<String>,
        progress: Arc<Progress>,
    },
    /// Their turn: the admission cookie, until `until_ms` (and the place
    /// cookie with `number` when it was just learnt).
    Admitted {
        cookie: String,
        until_ms: i64,
        number: u64,
        set_cookie: Option<String>,
    },
    SoldOut(Arc<Progress>),
    /// No place (any more): join (again).
    Join,
    /// The queue knows nothing of the event (over, or never queued).
    NoQueue,
    Unavailable,
}

/// Where the visitor with this request's place cookie stands; `None` without one.
async fn answer(state: &AppState, event: Uuid, parts: &mut Parts) -> Option<Answer> {
    let name = queue::place_cookie(event);
    let cookies = cookies(state);
    let (member, number) = access::cookie_values(&parts.headers, &name)
        .iter()
        .find_map(|value| cookies.read_place(event, value))?;
    let address = cookies.address(&access::client_ip_of(parts, state).await);
    Some(
        match standing(state, event, &member, number, &address).await {
            Ok(answer) => answer,
            Err(err) => {
                tracing::warn!(%event, error = %err, "queue: standing not read");
                Answer::Unavailable
            }
        },
    )
}

async fn standing(
    state: &AppState,
    event: Uuid,
    member: &Member,
    number: Option<u64>,
    address: &str,
) -> Result<Answer, app::backend::BackendError> {
    let Some(progress) = progress_of(state, event).await? else {
        return Ok(Answer::NoQueue);
    };
    if progress.sold_out {
        return Ok(Answer::SoldOut(progress));
    }
    let (number, set_cookie) = match number {
        Some(number) => (number, None),
        None if !progress.drawn => {
            return Ok(Answer::Waiting {
                number: None,
                set_cookie: None,
                progress,
            });
        }
        // The draw is made: the visitor learns their number, once.
        None => match queue::number(&state.valkey, event, member).await? {
            Place::Numbered(n) => (n, Some(place_cookie(state, event, member, Some(n)))),
            Place::Undrawn | Place::InGeneralDraw => {
                return Ok(Answer::Waiting {
                    number: None,
                    set_cookie: None,
                    progress,
                });
            }
            Place::Absent => return Ok(Answer::Join),
        },
    };
    if !progress.has_come(number) {
        return Ok(Answer::Waiting {
            number: Some(number),
            set_cookie,
            progress,
        });
    }
    Ok(
        match queue::admit(
            &state.valkey,
            event,
            member,
            number,
            address,
            &state.config.queue,
        )
        .await?
        {
            Turn::Admitted { until_ms } => Answer::Admitted {
                cookie: admission_cookie(state, event, member, until_ms),
                until_ms,
                number,
                set_cookie,
            },
            Turn::NotYet => Answer::Waiting {
                number: Some(number),
                set_cookie,
                progress,
            },
            // Asked from too many addresses: a later number, unexplained.
            Turn::Moved(later) => Answer::Waiting {
                number: Some(later),
                set_cookie: Some(place_cookie(state, event, member, Some(later))),
                progress,
            },
            Turn::SoldOut => Answer::SoldOut(progress),
            Turn::RanOut | Turn::Absent => Answer::Join,
        },
    )
}

/// The admission cookie for a visitor whose turn has come.
fn admission_cookie(state: &AppState, event: Uuid, member: &Member, until_ms: i64) -> String {
    let left =
        Duration::from_millis((until_ms - chrono::Utc::now().timestamp_millis()).max(1000) as u64);
    cookie(
        state,
        &queue::admission_cookie(event),
        &cookies(state).admission(event, member, until_ms),
        left,
    )
}

/// `GET /queue/{id}`: the holding page.
pub async fn wait(
    State(state): State<AppState>,
    Path(id): Path<String>,
    locale: Option<axum::Extension<Locale>>,
    mut parts: Parts,
) -> Response {
    let locale = locale.map(|l| l.0).unwrap_or_default();
    let Ok(event) = Uuid::parse_str(&id) else {
        return no_such_queue(locale);
    };
    let join = || Redirect::to(&format!("/events/{event}/queue/join")).into_response();
    let Some(answer) = answer(&state, event, &mut parts).await else {
        return join();
    };
    let (body, progress, number, set_cookie) = match answer {
        Answer::Admitted {
            cookie, set_cookie, ..
        } => {
            let mut res = (
                [(header::SET_COOKIE, cookie)],
                Redirect::to(&format!("/events/{event}?admitted=1")),
            )
                .into_response();
            append_cookie(&mut res, set_cookie);
            return res;
        }
        Answer::Join => return join(),
        Answer::NoQueue => return Redirect::to(&format!("/events/{event}")).into_response(),
        Answer::Unavailable => return unavailable(locale),
        Answer::SoldOut(progress) => {
            let link = format!(
                "<a class=\"font-medium text-indigo-700 underline\" href=\"/events/{event}\">{}</a>",
                say(locale, "queue-sold-out-link", &[])
            );
            let body = format!(
                "<h1 class=\"text-2xl font-bold\">{}</h1><p data-testid=\"queue-sold-out\">{}</p>",
                say(locale, "queue-sold-out-title", &[]),
                say(locale, "queue-sold-out-text", &[("link", "\u{1}".into())])
                    .replace('\u{1}', &link)
            );
            (body, progress, None, None)
        }
        Answer::Waiting {
            number,
            set_cookie,
            progress,
        } => (
            page::waiting(locale, &progress, number),
            progress,
            number,
            set_cookie,
        ),
    };
    let mut page = page::document(&state, locale, event, &progress, number, &body);
    append_cookie(&mut page, set_cookie);
    page
}

/// `GET /queue/{id}/progress`: the event's progress, the same for every
/// visitor (no cookie is read), kept a second by whoever may keep it. Served
/// outside the shop's middleware (`lib::router`): it is the one answer every
/// waiting visitor asks for every few seconds, and it needs none of it.
pub async fn progress(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let answer = |status: StatusCode, cache: &'static str, body: axum::body::Body| {
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CACHE_CONTROL, cache)
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .body(body)
            .expect("static response")
    };
    let public = "public, max-age=1";
    let Ok(event) = Uuid::parse_str(&id) else {
        return answer(
            StatusCode::NOT_FOUND,
            public,
            r#"{"state":"absent"}"#.into(),
        );
    };
    // Any id may be asked for: only those of live queues cost a Valkey call
    // (once a second per instance), every other is refused from memory.
    let live = state
        .queue_events
        .get_or_load(&(), || async {
            Ok::<_, app::backend::BackendError>(Arc::new(
                queue::active_events(&state.valkey)
                    .await?
                    .into_iter()
                    .collect(),
            ))
        })
        .await;
    if live.as_ref().is_ok_and(|live| !live.contains(&event)) {
        return answer(
            StatusCode::NOT_FOUND,
            public,
            r#"{"state":"absent"}"#.into(),
        );
    }
    match progress_of(&state, event).await {
        Ok(Some(progress)) => answer(StatusCode::OK, public, progress.json.clone().into()),
        Ok(None) => answer(
            StatusCode::NOT_FOUND,
            public,
            r#"{"state":"absent"}"#.into(),
        ),
        Err(err) => {
            tracing::warn!(%event, error = %err, "queue progress not read");
            let mut res = answer(
                StatusCode::SERVICE_UNAVAILABLE,
                "no-store",
                r#"{"state":"unavailable"}"#.into(),
            );
            res.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
            res
        }
    }
}

/// `GET /queue/{id}/status`: what the holding page answers, as JSON.
pub async fn status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    mut parts: Parts,
) -> Response {
    let private = || [(header::CACHE_CONTROL, "private, no-store")];
    let Ok(event) = Uuid::parse_str(&id) else {
        return (StatusCode::NOT_FOUND, private()).into_response();
    };
    let absent = || {
        (
            StatusCode::NOT_FOUND,
            private(),
            axum::Json(serde_json::json!({ "state": "absent" })),
        )
            .into_response()
    };
    let Some(answer) = answer(&state, event, &mut parts).await else {
        return absent();
    };
    match answer {
        Answer::Admitted {
            cookie,
            until_ms,
            number,
            set_cookie,
        } => {
            let mut res = (
                private(),
                [(header::SET_COOKIE, cookie)],
                axum::Json(serde_json::json!({
                    "state": "admitted", "until_ms": until_ms, "number": number,
                })),
            )
                .into_response();
            append_cookie(&mut res, set_cookie);
            res
        }
        Answer::Waiting {
            number,
            set_cookie,
            progress,
        } => {
            let mut json = match number {
                Some(number) => {
                    let (position, wait) = progress.position(number);
                    serde_json::json!({
                        "state": "waiting", "number": number, "position": position,
                        "waiting": progress.waiting, "wait_secs": wait.as_secs(),
                        "before_opening": false,
                    })
                }
                // No number once drawn: a place in the general sale's draw.
                None => serde_json::json!({
                    "state": "waiting", "waiting": progress.waiting,
                    "wait_secs": page::until_opening(&progress).as_secs(),
                    "before_opening": !progress.drawn,
                    "in_general_draw": progress.drawn,
                }),
            };
            json["admitted_to"] = progress.admitted_to.into();
            let mut response = (private(), axum::Json(json)).into_response();
            append_cookie(&mut response, set_cookie);
            response
        }
        Answer::SoldOut(_) => (
            private(),
            axum::Json(serde_json::json!({ "state": "sold_out" })),
        )
            .into_response(),
        Answer::Join | Answer::NoQueue => absent(),
        Answer::Unavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            private(),
            axum::Json(serde_json::json!({ "state": "unavailable" })),
        )
            .into_response(),
    }
}
