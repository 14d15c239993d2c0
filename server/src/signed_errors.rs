//! Error messages carried in URLs are signed. Without JavaScript, a form whose
//! server function fails is sent back to its page with the error in the query
//! (`?__path=…&__err=<base64>`, Leptos's convention), and the page shows it. Left
//! alone, anyone could craft such a link and make the shop show any sentence.
//! So the redirect the server makes gets `&__sig=` (HMAC-SHA256 of the path and
//! the error under `APP_SECRET`), and a page request whose error is not signed
//! is redirected to the same page without it.

use std::sync::Arc;

use app::api::auth::{ERROR_PARAMETERS, with_query_without};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

const ERROR: &str = "__err";
const ERROR_PATH: &str = "__path";
const SIGNATURE: &str = "__sig";

/// The key error links are signed with.
#[derive(Clone)]
pub struct MessageKey(Arc<Vec<u8>>);

impl MessageKey {
    pub fn new(secret: &[u8]) -> Self {
        Self(Arc::new(secret.to_vec()))
    }

    fn mac(&self, path: &str, error: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any size");
        mac.update(path.as_bytes());
        mac.update(b"\n");
        mac.update(error.as_bytes());
        mac
    }

    fn sign(&self, path: &str, error: &str) -> String {
        hex::encode(self.mac(path, error).finalize().into_bytes())
    }

    fn verify(&self, path: &str, error: &str, signature: &str) -> bool {
        hex::decode(signature).is_ok_and(|sig| self.mac(path, error).verify_slice(&sig).is_ok())
    }
}

/// What a query says about an error it carries.
enum Carried {
    None,
    /// One error, with its path and the signature it came with.
    One(String, String, Option<String>),
    /// More than one `__err` (or `__path`): never the server's own doing.
    Several,
}

fn error_in(query: &str) -> Carried {
    let (mut paths, mut errors, mut signature) = (Vec::new(), Vec::new(), None);
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            ERROR_PATH => paths.push(value.into_owned()),
            ERROR => errors.push(value.into_owned()),
            SIGNATURE => signature = Some(value.into_owned()),
            _ => {}
        }
    }
    match (paths.len(), errors.pop()) {
        (_, None) => Carried::None,
        (0 | 1, Some(error)) if errors.is_empty() => {
            Carried::One(paths.pop().unwrap_or_default(), error, signature)
        }
        _ => Carried::Several,
    }
}

/// `uri` without the error parameters.
fn without_error(uri: &Uri) -> String {
    with_query_without(uri.path(), uri.query().unwrap_or(""), ERROR_PARAMETERS)
}

/// Adds the signature to a redirect that carries an error.
fn signed_location(location: &str, key: &MessageKey) -> Option<String> {
    let query = location.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    let Carried::One(path, error, _) = error_in(query) else {
        return None;
    };
    let separator = if location.ends_with('&') { "" } else { "&" };
    Some(format!(
        "{location}{separator}{SIGNATURE}={}",
        key.sign(&path, &error)
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
    let stale = url::form_urlencoded::parse(query.as_bytes()).any(|(key, _)| key == SIGNATURE);
    if !query.is_empty() && !stale {
        return None;
    }
    let mut tidy = with_query_without(path, query, &[SIGNATURE]);
    if let Some(fragment) = fragment {
        tidy.push('#');
        tidy.push_str(fragment);
    }
    (tidy != location).then_some(tidy)
}

pub async fn sign_error_links(State(key): State<MessageKey>, req: Request, next: Next) -> Response {
    let genuine = match req.uri().query().map_or(Carried::None, error_in) {
        Carried::None => true,
        Carried::One(path, error, signature) => {
            signature.is_some_and(|sig| key.verify(&path, &error, &sig))
        }
        Carried::Several => false,
    };
    if matches!(*req.method(), Method::GET | Method::HEAD) && !genuine {
        tracing::warn!(
            path = req.uri().path(),
            "unsigned error message in a link; dropped"
        );
        let to = without_error(req.uri());
        return match HeaderValue::from_str(&to) {
            Ok(to) => (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response(),
            Err(_) => StatusCode::BAD_REQUEST.into_response(),
        };
    }
    let mut response = next.run(req).await;
    let signed = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|location| signed_location(location, &key).or_else(|| tidy_location(location)))
        .and_then(|location| HeaderValue::from_str(&location).ok());
    if let Some(location) = signed {
        response.headers_mut().insert(header::LOCATION, location);
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
            tidy_location("/signin?next=%2Forders&__sig=abc").as_deref(),
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

    #[test]
    fn a_signed_error_link_verifies_and_a_forged_one_does_not() {
        let key = MessageKey::new(b"secret");
        let location = "http://shop.example/signin?next=%2Forders&__path=%2Fapi%2Fauth%2Fsign_in&__err=eyJ4Ijp7fX0%3D";
        let signed = signed_location(location, &key).unwrap();
        let Carried::One(path, error, sig) = error_in(signed.split_once('?').unwrap().1) else {
            panic!("one signed error");
        };
        assert_eq!(path, "/api/auth/sign_in");
        assert!(key.verify(&path, &error, &sig.unwrap()));
        assert!(!key.verify(&path, "eyJ5Ijp7fX0=", &key.sign(&path, &error)));
        assert!(!MessageKey::new(b"other").verify(&path, &error, &key.sign(&path, &error)));
        assert_eq!(signed_location("/orders?x=1", &key), None);
        // A second error smuggled in beside the server's own is never signed.
        assert_eq!(
            signed_location(
                "/signin?__path=%2Fx&__err=Zm9v&__path=%2Fx&__err=YmFy",
                &key
            ),
            None
        );
    }

    #[test]
    fn the_error_is_stripped_and_the_rest_kept() {
        let uri: Uri = "/signin?next=%2Forders&__path=%2Fx&__err=abc&__sig=00"
            .parse()
            .unwrap();
        assert_eq!(without_error(&uri), "/signin?next=%2Forders");
        let uri: Uri = "/signin?__err=abc".parse().unwrap();
        assert_eq!(without_error(&uri), "/signin");
    }
}
