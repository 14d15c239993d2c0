//! The shop's HTTP interface as the hydrated app calls it: Leptos server functions
//! under `/api/`, form-encoded POSTs, the session in the `id` cookie. Each buyer
//! has its own client (own cookie jar and connections), as a browser would.

use std::time::Duration;

use uuid::Uuid;

use crate::BenchResult;
use crate::fixture::{PASSWORD, buyer_email};

/// One buyer, pinned to one server instance.
pub struct Buyer {
    pub index: usize,
    pub base_url: String,
    client: reqwest::Client,
    jar: std::sync::Arc<reqwest::cookie::Jar>,
}

/// How a checkout POST was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checkout {
    /// 200 with `Location: {emulator}pay/{session}`: seats held, session created.
    Reserved { session_id: String },
    /// 422 refusing the checkout as sold out (or with fewer seats left than asked).
    SoldOut,
    /// 422 refusing the buyer's code: its uses are all held or sold.
    CodeRefused,
    /// 422 refusing a queued sale's checkout without an admission of this
    /// account's: in `queued`'s attack, an account whose one admission of
    /// the sale is already spent.
    NotAdmitted,
    /// Anything else: status and body, reported verbatim.
    Error(String),
}

impl Buyer {
    pub fn new(index: usize, base_url: &str) -> BenchResult<Self> {
        Self::with_cookies(index, base_url, &[])
    }

    /// A buyer whose browser already holds `cookies` (name, value) for the shop.
    pub fn with_cookies(
        index: usize,
        base_url: &str,
        cookies: &[(String, String)],
    ) -> BenchResult<Self> {
        Self::from_address(index, base_url, cookies, None)
    }

    /// A buyer whose browser holds `cookies` and whose every request says it
    /// comes from `address` (`X-Forwarded-For`, which the shop believes when
    /// it runs with `CLIENT_IP_SOURCE=RightmostXForwardedFor`): the
    /// waiting room's limit of places per address then sees many clients.
    pub fn from_address(
        index: usize,
        base_url: &str,
        cookies: &[(String, String)],
        address: Option<&str>,
    ) -> BenchResult<Self> {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(address) = address {
            headers.insert(
                crate::waiting_room::FORWARDED_FOR,
                address.parse().map_err(|e| format!("{address}: {e}"))?,
            );
        }
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let url: reqwest::Url = base_url.parse().map_err(|e| format!("{base_url}: {e}"))?;
        for (name, value) in cookies {
            jar.add_cookie_str(&format!("{name}={value}; Path=/"), &url);
        }
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            // Idle connections are dropped before a balancer closes them
            // (HAProxy after 10 s): a POST sent on one it is closing fails
            // without an answer, and unlike a browser reqwest does not retry it.
            .pool_idle_timeout(Duration::from_secs(5))
            .build()?;
        Ok(Self {
            index,
            base_url: base_url.to_string(),
            client,
            jar,
        })
    }

    /// Puts a cookie the shop set elsewhere (an admission) in the buyer's browser.
    pub fn add_cookie(&self, name: &str, value: &str) {
        if let Ok(url) = self.base_url.parse::<reqwest::Url>() {
            self.jar
                .add_cookie_str(&format!("{name}={value}; Path=/"), &url);
        }
    }

    /// The cookies the buyer's browser holds for the shop (name, value).
    pub fn cookies(&self) -> Vec<(String, String)> {
        use reqwest::cookie::CookieStore;
        let Ok(url) = self.base_url.parse::<reqwest::Url>() else {
            return Vec::new();
        };
        let Some(header) = self.jar.cookies(&url) else {
            return Vec::new();
        };
        header
            .to_str()
            .unwrap_or_default()
            .split("; ")
            .filter_map(|pair| pair.split_once('='))
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    async fn call(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Result<reqwest::Response> {
        self.client
            .post(format!("{}/api/{endpoint}", self.base_url))
            .form(form)
            .send()
            .await
    }

    /// Signs in with the fixture password; the session cookie stays in the client.
    pub async fn sign_in(&self) -> BenchResult<()> {
        let email = buyer_email(self.index);
        let res = self
            .call("auth/sign_in", &[("email", &email), ("password", PASSWORD)])
            .await?;
        let status = res.status();
        if !status.is_success() {
            let body = res.text().await.unwrap_or_default();
            return Err(format!("sign-in of {email} answered {status}: {body}").into());
        }
        Ok(())
    }

    /// Puts `quantity` of the listing in the cart; an error's text otherwise.
    pub async fn add_to_cart(&self, ticket: Uuid, quantity: u32) -> Result<(), String> {
        let res = self
            .call(
                "cart/add",
                &[
                    ("picks[0][ticket_type_id]", &ticket.to_string()),
                    ("picks[0][quantity]", &quantity.to_string()),
                ],
            )
            .await
            .map_err(|err| format!("request failed: {err}"))?;
        let status = res.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(format!(
                "{status}: {}",
                res.text().await.unwrap_or_default()
            ))
        }
    }

    /// Enters `code` for `event` as its page does (`?code=`); whether the
    /// shop took it.
    pub async fn enter_code(&self, event: Uuid, code: &str) -> Result<bool, String> {
        let res = self
            .call(
                "catalogue/event",
                &[("id", &event.to_string()), ("code", code)],
            )
            .await
            .map_err(|err| format!("request failed: {err}"))?;
        let status = res.status();
        let body = res.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(format!("{status}: {body}"));
        }
        Ok(body.contains("\"Applied\""))
    }

    /// Starts checkout for the cart.
    pub async fn checkout(&self) -> Checkout {
        let res = match self.call("checkout/start", &[]).await {
            Ok(res) => res,
            Err(err) => return Checkout::Error(format!("request failed: {err}")),
        };
        let status = res.status();
        let location = res
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = res.text().await.unwrap_or_default();
        classify(status.as_u16(), location.as_deref(), &body)
    }
}

/// Sorts a checkout answer into the outcomes the bench counts.
pub fn classify(status: u16, location: Option<&str>, body: &str) -> Checkout {
    if (200..300).contains(&status)
        && let Some(session) = location
            .and_then(|l| l.rsplit_once("/pay/"))
            .map(|(_, id)| id)
        && session.starts_with("cs_")
    {
        return Checkout::Reserved {
            session_id: session.to_string(),
        };
    }
    // The shop's `AppError::Refused(CheckoutRefusal::SoldOut | OnlyLeft { .. })`
    // as it serialises: `{"Refused":{"SoldOut":{...}}}`.
    let refusal = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|error| error.get("Refused").cloned());
    let sold_out = refusal
        .as_ref()
        .and_then(|r| r.as_object())
        .is_some_and(|r| r.contains_key("SoldOut") || r.contains_key("OnlyLeft"));
    if status == 422 && sold_out {
        return Checkout::SoldOut;
    }
    let refused_for = |name: &str| {
        status == 422
            && refusal
                .as_ref()
                .and_then(|r| r.as_object())
                .is_some_and(|r| r.contains_key(name))
    };
    if refused_for("CodeNotAccepted") {
        return Checkout::CodeRefused;
    }
    // `{"Refused":{"NotAdmitted":{"title":...}}}`.
    if refused_for("NotAdmitted") {
        return Checkout::NotAdmitted;
    }
    Checkout::Error(format!("{status}: {}", body.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_answers() {
        assert_eq!(
            classify(200, Some("http://127.0.0.1:9/pay/cs_test_abc"), ""),
            Checkout::Reserved {
                session_id: "cs_test_abc".into()
            }
        );
        assert_eq!(
            classify(
                422,
                None,
                r#"{"Refused":{"SoldOut":{"title":"Rush · Standing"}}}"#
            ),
            Checkout::SoldOut
        );
        assert_eq!(
            classify(
                422,
                None,
                r#"{"Refused":{"OnlyLeft":{"title":"Rush · Standing","left":1}}}"#
            ),
            Checkout::SoldOut
        );
        assert_eq!(
            classify(
                422,
                None,
                r#"{"Refused":{"NotAdmitted":{"title":"Rush · Standing"}}}"#
            ),
            Checkout::NotAdmitted
        );
        // Any other refusal is an error the bench reports.
        assert!(matches!(
            classify(422, None, r#"{"Refused":"EmptyCart"}"#),
            Checkout::Error(_)
        ));
        assert!(matches!(
            classify(
                422,
                None,
                r#"{"Invalid":{"field":null,"message":"Rush is sold out."}}"#
            ),
            Checkout::Error(_)
        ));
        assert!(matches!(
            classify(429, None, "slow down"),
            Checkout::Error(_)
        ));
        assert!(matches!(classify(200, None, ""), Checkout::Error(_)));
    }
}
