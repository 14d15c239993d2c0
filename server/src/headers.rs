//! Security headers on every answer, and no caching of personal pages.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Pages and calls that show one person's data: never stored by a browser or
/// proxy cache (a shared computer's back button, a CDN).
const PERSONAL: &[&str] = &[
    "/account",
    "/orders",
    "/passes",
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
    }
    response
}

#[cfg(test)]
mod tests {
    use super::is_personal;

    #[test]
    fn personal_pages_are_recognised_by_path() {
        for path in [
            "/account",
            "/orders",
            "/orders/1",
            "/passes/2",
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
