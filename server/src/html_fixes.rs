//! What Leptos 0.8 writes that is not valid HTML, mended on the way out so
//! that every page passes the Nu HTML checker (`end2end/tests/html.spec.ts`).
//! Each mend leaves the document a browser builds as it was:
//!
//! - `<!>`, the hydration marker, is a "bogus comment": written `<!---->`,
//!   the same empty comment node.
//! - `<link rel="modulepreload" crossorigin="{nonce}">` (the nonce in the
//!   wrong attribute): an unknown `crossorigin` value means anonymous, so it
//!   becomes `crossorigin=""`, which says the same validly.
//! - Streaming puts the resolved parts' `<script>`s after `</html>`, where a
//!   browser moves them into `<body>` anyway: `</body></html>` goes after them.
//!
//! Pages are whole before they are mended (a page is tens of kilobytes; the
//! shop's pages render in a few milliseconds).

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest page mended (far above any page of the shop); larger answers
/// pass unchanged.
const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;
const END: &str = "</body></html>";

pub async fn mend_pages(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let encoded = res.headers().contains_key(header::CONTENT_ENCODING);
    if !html || encoded {
        return res;
    }
    let nonce = res
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(nonce_of)
        .map(str::to_string);
    let (mut parts, body) = res.into_parts();
    let bytes = match to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(error = %err, "a page could not be read whole to be mended");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let Ok(page) = std::str::from_utf8(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(mend(page, nonce.as_deref())))
}

/// The nonce of a Content-Security-Policy (`'nonce-…'`).
fn nonce_of(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let len = policy[start..].find('\'')?;
    Some(&policy[start..start + len])
}

fn mend(page: &str, nonce: Option<&str>) -> String {
    let mut page = page.replace("<!>", "<!---->");
    if let Some(nonce) = nonce {
        page = page.replace(&format!("crossorigin=\"{nonce}\""), "crossorigin=\"\"");
    }
    if let Some(at) = page.find(END)
        && at + END.len() < page.trim_end().len()
    {
        page.replace_range(at..at + END.len(), "");
        page.push_str(END);
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_mends() {
        let page = "<!DOCTYPE html><html><head><link rel=\"modulepreload\" href=\"/a.js\" crossorigin=\"N0nce\"></head>\
                    <body><p>a<!>b</p></body></html><script nonce=\"N0nce\">x()</script>";
        assert_eq!(
            mend(page, Some("N0nce")),
            "<!DOCTYPE html><html><head><link rel=\"modulepreload\" href=\"/a.js\" crossorigin=\"\"></head>\
             <body><p>a<!---->b</p><script nonce=\"N0nce\">x()</script></body></html>"
        );
        // A page that ends where it should is left as it is.
        let whole = "<html><body><p>a</p></body></html>\n";
        assert_eq!(mend(whole, None), whole);
        assert_eq!(
            nonce_of("default-src 'self'; script-src 'nonce-abc' 'strict-dynamic'"),
            Some("abc")
        );
    }
}
