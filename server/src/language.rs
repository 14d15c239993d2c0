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
    let chosen = app::backend::access::cookie_values(headers, COOKIE)
        .first()
        .and_then(|tag| Locale::from_tag(tag));
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
    headers: HeaderMap,
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
    // The page as the browser shows it now (an island may have changed its
    // address since it was rendered, as the catalogue's search does), else
    // the address the page was rendered at.
    let back = same_origin_referer(&headers, &state.config.app_base_url)
        .unwrap_or_else(|| local_path(&switch.back).to_string());
    let mut res = Redirect::to(&back).into_response();
    if let Ok(cookie) = HeaderValue::from_str(&i18n::cookie(locale, state.config.is_https())) {
        res.headers_mut().append(header::SET_COOKIE, cookie);
    }
    res
}

/// The path and query of the `Referer` when it is a page of this shop.
fn same_origin_referer(headers: &HeaderMap, base_url: &str) -> Option<String> {
    let referer = url::Url::parse(headers.get(header::REFERER)?.to_str().ok()?).ok()?;
    let own = url::Url::parse(base_url).ok()?;
    if referer.origin() != own.origin() {
        return None;
    }
    let path = match referer.query() {
        Some(query) => format!("{}?{query}", referer.path()),
        None => referer.path().to_string(),
    };
    Some(local_path(&path).to_string())
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
    fn the_referer_counts_only_from_this_shop() {
        let from = |referer: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::REFERER, HeaderValue::from_str(referer).unwrap());
            same_origin_referer(&headers, "https://shop.example")
        };
        assert_eq!(
            from("https://shop.example/?q=jazz").as_deref(),
            Some("/?q=jazz")
        );
        assert_eq!(from("https://evil.example/?q=jazz"), None);
        assert_eq!(from("http://shop.example/"), None);
        assert_eq!(from("not a url"), None);
    }

    #[test]
    fn the_switch_goes_back_only_to_this_shop() {
        assert_eq!(local_path("/events/1?x=2"), "/events/1?x=2");
        assert_eq!(local_path("//evil.example/"), "/");
        assert_eq!(local_path("https://evil.example/"), "/");
        assert_eq!(local_path("/\\evil.example"), "/");
        assert_eq!(local_path(""), "/");
    }
}
