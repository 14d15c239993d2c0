//! Which language each request is answered in, and the header's switch.

use app::backend::AppState;
use app::backend::accounts;
use app::backend::auth::AuthSession;
use app::i18n::{self, COOKIE, Locale};
use axum::Form;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// Puts the request's [`Locale`] on it: the `lang` cookie (the switch's or the
/// account's choice), else the browser's `Accept-Language`, else English.
pub async fn choose_locale(mut req: Request, next: Next) -> Response {
    let locale = of_headers(req.headers());
    req.extensions_mut().insert(locale);
    let mut res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        // A cache must not hand one visitor's language to another.
        res.headers_mut().append(
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
    }
    res
}

/// The language a request's headers ask for.
pub fn of_headers(headers: &HeaderMap) -> Locale {
    let chosen = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, tag)| Locale::from_tag(tag));
    chosen.unwrap_or_else(|| {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(i18n::negotiate)
            .unwrap_or_default()
    })
}

#[derive(Deserialize)]
pub struct Switch {
    lang: String,
    #[serde(default)]
    back: String,
}

/// `POST /language`: the header's switch. Keeps the choice in a cookie (and on
/// the account when signed in) and goes back to the page it was made on.
pub async fn switch(
    State(state): State<AppState>,
    auth: AuthSession,
    Form(switch): Form<Switch>,
) -> Response {
    let Some(locale) = Locale::from_tag(&switch.lang) else {
        return (
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "This shop is written in English, German and French only.",
        )
            .into_response();
    };
    if let Some(user) = &auth.user
        && let Err(err) = accounts::set_locale(&state.db, user.id, locale).await
    {
        // The cookie still carries the choice on this device.
        tracing::warn!(%err, "could not keep the account's language");
    }
    let mut res = Redirect::to(local_path(&switch.back)).into_response();
    if let Ok(cookie) = HeaderValue::from_str(&i18n::cookie(locale, state.config.is_https())) {
        res.headers_mut().append(header::SET_COOKIE, cookie);
    }
    res
}

/// `back` when it is a path on this shop, else the home page: the switch never
/// sends anyone elsewhere.
fn local_path(back: &str) -> &str {
    let local = back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains('\\')
        && !back.chars().any(char::is_control);
    if local { back } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_goes_back_only_to_this_shop() {
        assert_eq!(local_path("/events/1?x=2"), "/events/1?x=2");
        assert_eq!(local_path("//evil.example/"), "/");
        assert_eq!(local_path("https://evil.example/"), "/");
        assert_eq!(local_path("/\\evil.example"), "/");
        assert_eq!(local_path(""), "/");
    }
}
