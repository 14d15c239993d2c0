//! Writes come only from the shop's own pages. A state-changing request whose
//! `Origin` (or, without one, `Sec-Fetch-Site`, then `Referer`) names another
//! origin is refused with 403 before anything runs, so a page elsewhere cannot
//! sign a visitor in as someone else or check out in their name. SameSite=Lax
//! cookies alone do not stop a same-site origin (another port or subdomain).
//!
//! A request with none of the three headers is let through: browsers always send
//! at least one on a POST, so it comes from a program (curl, a test), which holds
//! no visitor's cookies and so cannot forge on anyone's behalf.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Stripe calls the webhook from its own servers; its signature is its proof.
const EXEMPT: &[&str] = &["/stripe/webhook"];

pub const REFUSAL: &str =
    "This request came from another website, so it was refused. Please use the shop's own pages.";

/// The shop's own origin (`scheme://host[:port]`) from its base URL.
pub fn origin_of(base_url: &str) -> Option<String> {
    let url = url::Url::parse(base_url).ok()?;
    let origin = url.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

/// Why a request must be refused, or `None` when it may go on.
pub fn cross_origin(method: &Method, path: &str, headers: &HeaderMap, own: &str) -> Option<String> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) || EXEMPT.contains(&path) {
        return None;
    }
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(origin) = headers.get(header::ORIGIN) {
        // "null" (a sandboxed frame, a redirect across origins) is never ours.
        return match origin.to_str() {
            Ok(origin) if origin.eq_ignore_ascii_case(own) => None,
            Ok(origin) => Some(format!("Origin {origin}")),
            Err(_) => Some("an unreadable Origin".into()),
        };
    }
    if let Some(site) = text("sec-fetch-site") {
        return (site != "same-origin").then(|| format!("Sec-Fetch-Site {site}"));
    }
    if let Some(referer) = headers.get(header::REFERER) {
        let from = referer.to_str().ok().and_then(origin_of);
        return match from {
            Some(from) if from.eq_ignore_ascii_case(own) => None,
            _ => Some("a Referer from another site".into()),
        };
    }
    None
}

/// The middleware: `own` is the shop's origin.
pub async fn refuse_cross_origin(State(own): State<String>, req: Request, next: Next) -> Response {
    if let Some(why) = cross_origin(req.method(), req.uri().path(), req.headers(), &own) {
        tracing::warn!(method = %req.method(), path = req.uri().path(), %why, "cross-origin write refused");
        return (StatusCode::FORBIDDEN, REFUSAL).into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const OWN: &str = "https://tickets.example";

    fn check(method: Method, path: &str, headers: &[(&'static str, &'static str)]) -> bool {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, HeaderValue::from_static(value));
        }
        cross_origin(&method, path, &map, OWN).is_none()
    }

    #[test]
    fn the_own_origin_is_read_from_the_base_url() {
        assert_eq!(origin_of("https://tickets.example/").as_deref(), Some(OWN));
        assert_eq!(
            origin_of("http://127.0.0.1:3000").as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(
            origin_of("https://tickets.example:443/shop").as_deref(),
            Some(OWN)
        );
        assert_eq!(origin_of("not a url"), None);
    }

    #[test]
    fn writes_from_the_shop_itself_pass() {
        assert!(check(Method::POST, "/api/auth/sign_in", &[("origin", OWN)]));
        assert!(check(
            Method::POST,
            "/api/cart/add",
            &[("sec-fetch-site", "same-origin")]
        ));
        assert!(check(
            Method::POST,
            "/api/cart/add",
            &[("referer", "https://tickets.example/cart")]
        ));
        // Not a browser: no visitor's cookies to abuse.
        assert!(check(Method::POST, "/api/cart/add", &[]));
    }

    #[test]
    fn writes_from_elsewhere_are_refused() {
        for origin in [
            "https://evil.example",
            "https://tickets.example:8443",
            "http://tickets.example",
            "https://shop.tickets.example",
            "null",
        ] {
            let headers = [("origin", origin)];
            assert!(
                !check(Method::POST, "/api/auth/sign_in", &headers),
                "{origin}"
            );
            assert!(!check(Method::DELETE, "/anything", &headers), "{origin}");
        }
        for site in ["cross-site", "same-site", "none"] {
            assert!(
                !check(
                    Method::POST,
                    "/api/checkout/start",
                    &[("sec-fetch-site", site)]
                ),
                "{site}"
            );
        }
        assert!(!check(
            Method::POST,
            "/api/checkout/start",
            &[("referer", "https://evil.example/page")]
        ));
        // Origin wins over a same-origin Sec-Fetch-Site.
        assert!(!check(
            Method::POST,
            "/api/auth/sign_in",
            &[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "same-origin")
            ]
        ));
    }

    #[test]
    fn reads_and_the_stripe_webhook_are_not_checked() {
        let elsewhere = [("origin", "https://evil.example")];
        assert!(check(Method::GET, "/api/orders/mine", &elsewhere));
        assert!(check(Method::HEAD, "/", &elsewhere));
        assert!(check(Method::POST, "/stripe/webhook", &elsewhere));
    }
}
