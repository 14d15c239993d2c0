//! Error messages carried in URLs are signed. Without JavaScript, a form whose
//! server function fails is sent back to its page with the error in the query
//! (`?__path=…&__err=<base64>`, Leptos's convention), and the page shows it. Left
//! alone, anyone could craft such a link and make the shop show any sentence.
//! So the redirect the server makes gets `&__exp=…&__sig=…`: an HMAC-SHA256
//! under `APP_SECRET` of the path, the error, the expiry and a random value kept
//! in the browser's own `ts_msg` cookie. A page request whose error is not
//! signed, has expired (after [`MESSAGE_TTL_SECS`]) or was signed for another
//! browser is redirected to the same page without it: a program can have a
//! message signed for itself, but never hand it to somebody else.

use std::sync::Arc;

use app::api::auth::{ERROR_PARAMETERS, is_site_path, with_query_without};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

const ERROR: &str = "__err";
const ERROR_PATH: &str = "__path";
const EXPIRY: &str = "__exp";
const SIGNATURE: &str = "__sig";
/// How long a signed message may be shown: the redirect is followed at once.
pub const MESSAGE_TTL_SECS: i64 = 300;

/// The key error links are signed with, and the cookie that binds them to a browser.
#[derive(Clone)]
pub struct MessageKey {
    secret: Arc<Vec<u8>>,
    cookie: &'static str,
    https: bool,
}

impl MessageKey {
    pub fn new(secret: &[u8], https: bool) -> Self {
        Self {
            secret: Arc::new(secret.to_vec()),
            // Under https the `__Host-` prefix keeps sibling hosts from setting it.
            cookie: if https { "__Host-ts_msg" } else { "ts_msg" },
            https,
        }
    }

    fn mac(&self, message: &Message) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes keys of any size");
        for part in [
            message.path.as_str(),
            message.error.as_str(),
            &message.expires.to_string(),
        ] {
            mac.update(part.as_bytes());
            mac.update(b"\n");
        }
        mac.update(message.browser.as_bytes());
        mac
    }

    fn sign(&self, message: &Message) -> String {
        hex::encode(self.mac(message).finalize().into_bytes())
    }

    fn verify(&self, message: &Message, signature: &str, now: i64) -> bool {
        now <= message.expires
            && message.expires <= now + MESSAGE_TTL_SECS
            && !message.browser.is_empty()
            && hex::decode(signature).is_ok_and(|sig| self.mac(message).verify_slice(&sig).is_ok())
    }

    /// The browser's binding value, from its cookie, if it has a well-formed one.
    fn browser_of(&self, headers: &HeaderMap) -> Option<String> {
        app::backend::access::cookie_values(headers, self.cookie)
            .into_iter()
            .find(|value| value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit()))
    }

    fn set_cookie(&self, browser: &str) -> String {
        let secure = if self.https { "; Secure" } else { "" };
        format!(
            "{}={browser}; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax{secure}",
            self.cookie
        )
    }
}

/// What a signature covers.
struct Message {
    path: String,
    error: String,
    expires: i64,
    browser: String,
}

/// What a query says about an error it carries.
enum Carried {
    None,
    /// One error, with its path, and the expiry and signature it came with.
    One {
        path: String,
        error: String,
        expires: Option<i64>,
        signature: Option<String>,
    },
    /// More than one `__err` (or `__path`): never the server's own doing.
    Several,
}

fn error_in(query: &str) -> Carried {
    let (mut paths, mut errors, mut expires, mut signature) = (Vec::new(), Vec::new(), None, None);
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            ERROR_PATH => paths.push(value.into_owned()),
            ERROR => errors.push(value.into_owned()),
            EXPIRY => expires = value.parse().ok(),
            SIGNATURE => signature = Some(value.into_owned()),
            _ => {}
        }
    }
    match (paths.len(), errors.pop()) {
        (_, None) => Carried::None,
        (0 | 1, Some(error)) if errors.is_empty() => Carried::One {
            path: paths.pop().unwrap_or_default(),
            error,
            expires,
            signature,
        },
        _ => Carried::Several,
    }
}

/// `uri` without the error parameters.
fn without_error(uri: &Uri) -> String {
    with_query_without(uri.path(), uri.query().unwrap_or(""), ERROR_PARAMETERS)
}

/// Adds the expiry and signature to a redirect that carries an error, for
/// the browser bound by `browser`.
fn signed_location(location: &str, key: &MessageKey, browser: &str, now: i64) -> Option<String> {
    let query = location.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    let Carried::One { path, error, .. } = error_in(query) else {
        return None;
    };
    let expires = now + MESSAGE_TTL_SECS;
    let signature = key.sign(&Message {
        path,
        error,
        expires,
        browser: browser.to_string(),
    });
    let separator = if location.ends_with('&') { "" } else { "&" };
    Some(format!(
        "{location}{separator}{EXPIRY}={expires}&{SIGNATURE}={signature}"
    ))
}

/// A redirect back after a success: Leptos strips its error parameters from
/// the page's address but leaves an empty `?`, and our signature of the error
/// that was there before. Both go.
fn tidy_location(location: &str) -> Option<String> {
    let (path, rest) = location.split_once('?')?;
    let (query, fragment) = match rest.split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (rest, None),
    };
    // Anything else (a payment page's address) is passed on byte for byte.
    let stale = url::form_urlencoded::parse(query.as_bytes())
        .any(|(key, _)| key == SIGNATURE || key == EXPIRY);
    if !query.is_empty() && !stale {
        return None;
    }
    let mut tidy = with_query_without(path, query, &[EXPIRY, SIGNATURE]);
    if let Some(fragment) = fragment {
        tidy.push('#');
        tidy.push_str(fragment);
    }
    (tidy != location).then_some(tidy)
}

pub async fn sign_error_links(State(key): State<MessageKey>, req: Request, next: Next) -> Response {
    let now = chrono::Utc::now().timestamp();
    let browser = key.browser_of(req.headers());
    let genuine = match req.uri().query().map_or(Carried::None, error_in) {
        Carried::None => true,
        Carried::One {
            path,
            error,
            expires: Some(expires),
            signature: Some(signature),
        } => browser.clone().is_some_and(|browser| {
            let message = Message {
                path,
                error,
                expires,
                browser,
            };
            key.verify(&message, &signature, now)
        }),
        Carried::One { .. } | Carried::Several => false,
    };
    if matches!(*req.method(), Method::GET | Method::HEAD) && !genuine {
        tracing::warn!(
            path = req.uri().path(),
            "unsigned, expired or foreign error message in a link; dropped"
        );
        // `//evil.example/?__err=x` is no page of ours: never redirect to it.
        if !is_site_path(req.uri().path()) {
            return StatusCode::NOT_FOUND.into_response();
        }
        let to = without_error(req.uri());
        return match HeaderValue::from_str(&to) {
            Ok(to) => (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response(),
            Err(_) => StatusCode::BAD_REQUEST.into_response(),
        };
    }
    let mut response = next.run(req).await;
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Some(location) = location else {
        return response;
    };
    let new_browser = browser
        .is_none()
        .then(|| uuid::Uuid::new_v4().simple().to_string());
    let bound = browser
        .as_deref()
        .or(new_browser.as_deref())
        .unwrap_or_default();
    let signed = signed_location(&location, &key, bound, now);
    let set_cookie = signed.is_some().then_some(new_browser).flatten();
    let rewritten = signed
        .or_else(|| tidy_location(&location))
        .and_then(|location| HeaderValue::from_str(&location).ok());
    if let Some(location) = rewritten {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if let Some(cookie) = set_cookie.and_then(|b| HeaderValue::from_str(&key.set_cookie(&b)).ok()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

#[cfg(test)]
mod tidy_tests {
    use super::tidy_location;

    #[test]
    fn an_empty_query_and_a_stale_signature_are_dropped_from_redirects() {
        assert_eq!(
            tidy_location("http://shop.example/cart?").as_deref(),
            Some("http://shop.example/cart")
        );
        assert_eq!(
            tidy_location("/signin?next=%2Forders&__exp=1&__sig=abc").as_deref(),
            Some("/signin?next=%2Forders")
        );
        assert_eq!(tidy_location("/?q=jazz&sort=price"), None);
        assert_eq!(tidy_location("/cart"), None);
        let stripe = "https://checkout.stripe.com/c/pay/cs_test_a1?x=a%20b#fid";
        assert_eq!(tidy_location(stripe), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn carried(location: &str) -> Message {
        let Carried::One {
            path,
            error,
            expires,
            ..
        } = error_in(location.split_once('?').unwrap().1)
        else {
            panic!("one error");
        };
        Message {
            path,
            error,
            expires: expires.unwrap(),
            browser: String::new(),
        }
    }

    fn signature(location: &str) -> String {
        let Carried::One { signature, .. } = error_in(location.split_once('?').unwrap().1) else {
            panic!("one error");
        };
        signature.unwrap()
    }

    #[test]
    fn a_signed_error_link_verifies_only_for_its_browser_and_until_it_expires() {
        let key = MessageKey::new(b"secret", false);
        let location = "http://shop.example/signin?next=%2Forders&__path=%2Fapi%2Fauth%2Fsign_in&__err=eyJ4Ijp7fX0%3D";
        let now = 1_000_000;
        let signed = signed_location(location, &key, "ab".repeat(16).as_str(), now).unwrap();
        let sig = signature(&signed);
        let mut message = carried(&signed);
        assert_eq!(message.path, "/api/auth/sign_in");
        assert_eq!(message.expires, now + MESSAGE_TTL_SECS);
        message.browser = "ab".repeat(16);
        assert!(key.verify(&message, &sig, now));
        assert!(key.verify(&message, &sig, now + MESSAGE_TTL_SECS));
        // Too late.
        assert!(!key.verify(&message, &sig, now + MESSAGE_TTL_SECS + 1));
        // Another browser (a link signed for an attacker's program, replayed).
        let theirs = Message {
            browser: "cd".repeat(16),
            ..carried(&signed)
        };
        assert!(!key.verify(&theirs, &sig, now));
        // Another message, another key, a moved expiry.
        let other = Message {
            error: "eyJ5Ijp7fX0=".into(),
            browser: "ab".repeat(16),
            ..carried(&signed)
        };
        assert!(!key.verify(&other, &sig, now));
        let later = Message {
            expires: now + 10 * MESSAGE_TTL_SECS,
            browser: "ab".repeat(16),
            ..carried(&signed)
        };
        assert!(
            !key.verify(&later, &key.sign(&later), now),
            "expiry too far ahead"
        );
        assert!(!MessageKey::new(b"other", false).verify(&message, &sig, now));
        assert_eq!(signed_location("/orders?x=1", &key, "x", now), None);
        // A second error smuggled in beside the server's own is never signed.
        assert_eq!(
            signed_location(
                "/signin?__path=%2Fx&__err=Zm9v&__path=%2Fx&__err=YmFy",
                &key,
                "x",
                now
            ),
            None
        );
    }

    #[test]
    fn the_error_is_stripped_and_the_rest_kept() {
        let uri: Uri = "/signin?next=%2Forders&__path=%2Fx&__err=abc&__exp=1&__sig=00"
            .parse()
            .unwrap();
        assert_eq!(without_error(&uri), "/signin?next=%2Forders");
        let uri: Uri = "/signin?__err=abc".parse().unwrap();
        assert_eq!(without_error(&uri), "/signin");
    }
}
