//! Security headers on every answer, and caching: never for personal pages,
//! revalidated for every other page, for ever for content-hashed assets.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Pages and calls that show one person's data: never stored by a browser or
/// proxy cache (a shared computer's back button, a CDN).
const PERSONAL: &[&str] = &[
    "/account",
    "/orders",
    "/tickets",
    "/organizer",
    "/admin",
    "/cart",
    "/api/",
];

pub fn is_personal(path: &str) -> bool {
    PERSONAL.iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| prefix.ends_with('/') || rest.is_empty() || rest.starts_with('/'))
    })
}

/// Adds `X-Content-Type-Options`, `Referrer-Policy`, HSTS under https
/// (`https` is the state), and `Cache-Control: private, no-store` on personal
/// pages. The Content-Security-Policy is set per page by the shell (it carries
/// the page's nonce).
pub async fn security_headers(State(https): State<bool>, req: Request, next: Next) -> Response {
    let personal = is_personal(req.uri().path());
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    if personal {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    } else if is_html(headers) && !headers.contains_key(header::CACHE_CONTROL) {
        // Every page's header shows who is signed in and their cart.
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
    }
    response
}

fn is_html(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// The queue's browser check: its script, its worker and `pow.wasm`. Their
/// names carry no hash, and a copy older than the server's rule would fail
/// every check (and move the visitor to the back): revalidated each time.
const CHECK_FILES: &[&str] = &["/queue-check.js", "/pow-worker.js", "/pow.wasm"];

/// A worker's policy is the one its script is answered with: the check's
/// worker loads `pow.wasm` from here and compiles it, nothing else.
const WORKER_POLICY: &str =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";

/// How long a browser (or CDN) may keep a static file answered with 200.
/// `hashed`: the build put a content hash in every name under `/pkg/`
/// (cargo-leptos `hash-files`), so a name never changes meaning: cached for a
/// year, never revalidated. The browser check's files are revalidated every
/// time (a 304 when unchanged); other files (the favicon) kept for an hour.
pub fn static_cache_control(path: &str, hashed: bool) -> &'static str {
    if hashed && path.starts_with("/pkg/") && !path.contains("/snippets/") {
        "public, max-age=31536000, immutable"
    } else if CHECK_FILES.contains(&path) {
        "public, no-cache"
    } else {
        "public, max-age=3600"
    }
}

/// Sets [`static_cache_control`] on the static files the fallback serves
/// (the 404 page it renders keeps the page rule).
pub async fn static_cache(State(hashed): State<bool>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut response = next.run(req).await;
    if response.status() == axum::http::StatusCode::OK && !is_html(response.headers()) {
        let headers = response.headers_mut();
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(static_cache_control(&path, hashed)),
        );
        // The same URL is answered brotli, gzip or plain by what the browser accepts.
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if path == "/pow-worker.js" {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(WORKER_POLICY),
            );
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::{is_personal, static_cache_control};

    #[test]
    fn hashed_assets_are_kept_for_a_year_others_for_an_hour() {
        let forever = "public, max-age=31536000, immutable";
        assert_eq!(
            static_cache_control("/pkg/ticket-sales.Ab3_x.wasm", true),
            forever
        );
        assert_eq!(
            static_cache_control("/pkg/ticket-sales.Ab3_x.css", true),
            forever
        );
        // Without hashed names, a new build would reuse the same name.
        assert_eq!(
            static_cache_control("/pkg/ticket-sales.wasm", false),
            "public, max-age=3600"
        );
        assert_eq!(
            static_cache_control("/favicon.svg", true),
            "public, max-age=3600"
        );
        // The browser check's files must match the server's rule: asked again.
        for path in ["/pow.wasm", "/pow-worker.js", "/queue-check.js"] {
            assert_eq!(static_cache_control(path, true), "public, no-cache");
        }
        assert_eq!(
            static_cache_control("/pkg/snippets/x/inline0.js", true),
            "public, max-age=3600"
        );
    }

    #[test]
    fn personal_pages_are_recognised_by_path() {
        for path in [
            "/account",
            "/orders",
            "/orders/1",
            "/tickets/2",
            "/organizer/tickets/new",
            "/admin",
            "/cart",
            "/api/orders/mine",
        ] {
            assert!(is_personal(path), "{path}");
        }
        for path in [
            "/",
            "/events/1",
            "/signin",
            "/pkg/app.wasm",
            "/accounts-faq",
            "/ordersx",
        ] {
            assert!(!is_personal(path), "{path}");
        }
    }
}
