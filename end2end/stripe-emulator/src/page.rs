//! The hosted payment page: plain HTML, works without JavaScript.
//!
//! `GET /pay/{id}` shows the line items, the total, a "Card number" field, a
//! "Pay" button and a "Back" link to the session's `cancel_url`.
//! `POST /pay/{id}` with `card_number`:
//! - `4242 4242 4242 4242` pays (303 to `success_url`, `{CHECKOUT_SESSION_ID}` filled in);
//! - `4000 0000 0000 0002` is declined ("Your card was declined.");
//! - `4000 0000 0000 9995` has insufficient funds, `4000 0000 0000 0069` is expired;
//! - anything else: "Your card number is invalid.".

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::store::{Refusal, Session, Status};
use crate::webhook::dispatch;
use crate::wire::Params;
use crate::{Deliver, Shared};

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/", get(index))
        .route("/pay/{id}", get(show).post(pay))
}

async fn index() -> Html<&'static str> {
    Html(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Stripe emulator</title></head>\
         <body><h1>Stripe emulator</h1><p>API under <code>/v1</code>, payment pages under <code>/pay/{id}</code>, \
         test controls under <code>/_test</code>.</p></body></html>",
    )
}

pub(crate) const SUCCEEDS: &str = "4242424242424242";
const DECLINED: &str = "Your card was declined.";
const INVALID: &str = "Your card number is invalid.";
const EXPIRED_SESSION: &str = "This checkout session has expired.";
const ALREADY_PAID: &str = "This checkout session has already been paid.";

async fn show(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let Some(session) = shared.store().session(&id).cloned() else {
        return not_found();
    };
    let notice = match session.status {
        Status::Open => None,
        Status::Expired => Some(EXPIRED_SESSION),
        Status::Complete => Some(ALREADY_PAID),
    };
    render(&session, notice, "", "")
}

async fn pay(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let form = Params::parse(&body);
    let card: String = form
        .get("card_number")
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let email = form.get("email").unwrap_or_default().trim().to_string();
    let Some(session) = shared.store().session(&id).cloned() else {
        return not_found();
    };
    let typed = form.get("card_number").unwrap_or_default();
    // Past expires_at it can no longer be paid, even before the expiry task ran.
    if session.status == Status::Open && session.expires_at <= shared.now() {
        return render(&session, Some(EXPIRED_SESSION), typed, &email);
    }
    match session.status {
        Status::Expired => return render(&session, Some(EXPIRED_SESSION), typed, &email),
        // A second submit (double click, back button): just go on to the success page.
        Status::Complete => return success(&session),
        Status::Open => {}
    }
    let refusal = match card.as_str() {
        SUCCEEDS => None,
        "4000000000000002" => Some(DECLINED),
        "4000000000009995" => Some("Your card has insufficient funds."),
        "4000000000000069" => Some("Your card has expired."),
        _ => Some(INVALID),
    };
    if let Some(message) = refusal {
        return render(&session, Some(message), typed, &email);
    }
    let completed = shared.store().complete(
        &id,
        Some(email.clone()),
        true,
        shared.now(),
        Deliver::Normal,
    );
    match completed {
        Ok((_, event)) => {
            dispatch(&shared, event, Deliver::Normal);
            let session = shared.store().session(&id).cloned().unwrap_or(session);
            success(&session)
        }
        // It expired (or was paid) between the two looks.
        Err(Refusal::Not(Status::Complete)) => success(&session),
        Err(_) => render(&session, Some(EXPIRED_SESSION), typed, &email),
    }
}

fn success(session: &Session) -> Response {
    match &session.success_url {
        Some(url) => {
            let target = url.replace("{CHECKOUT_SESSION_ID}", &session.id);
            (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response()
        }
        None => Html(page(
            "Payment complete",
            "<h1>Thanks for your payment</h1><p>The payment succeeded. You can close this page.</p>",
        ))
        .into_response(),
    }
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(page(
            "Not found",
            "<h1>Something went wrong</h1><p role=\"alert\">This checkout session does not exist.</p>",
        )),
    )
        .into_response()
}

fn render(session: &Session, message: Option<&str>, card: &str, email: &str) -> Response {
    let mut body = String::new();
    body.push_str("<p class=\"badge\">TEST MODE</p>");
    if let Some(cancel) = &session.cancel_url {
        body.push_str(&format!(
            "<p><a class=\"back\" href=\"{}\">Back</a></p>",
            escape(cancel)
        ));
    }
    body.push_str(&format!(
        "<h1>Checkout</h1><p class=\"amount\">{}</p>",
        escape(&money(session.amount_total, &session.currency))
    ));
    body.push_str("<table><thead><tr><th>Item</th><th>Qty</th><th>Amount</th></tr></thead><tbody>");
    for item in &session.line_items {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&item.name),
            item.quantity,
            escape(&money(item.unit_amount * item.quantity, &session.currency))
        ));
    }
    body.push_str(&format!(
        "</tbody><tfoot><tr><th colspan=\"2\">Total</th><th id=\"total\">{}</th></tr></tfoot></table>",
        escape(&money(session.amount_total, &session.currency))
    ));
    if let Some(message) = message {
        body.push_str(&format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            escape(message)
        ));
    }
    if session.status == Status::Open {
        let email = if email.is_empty() {
            session.customer_email.as_deref().unwrap_or_default()
        } else {
            email
        };
        // No action attribute: the form posts back to this very URL.
        body.push_str(&format!(
            "<form method=\"post\">\
             <label for=\"email\">Email</label>\
             <input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" value=\"{}\">\
             <label for=\"card_number\">Card number</label>\
             <input id=\"card_number\" name=\"card_number\" inputmode=\"numeric\" autocomplete=\"cc-number\" \
             placeholder=\"1234 1234 1234 1234\" value=\"{}\">\
             <button type=\"submit\">Pay</button>\
             </form>\
             <p class=\"hint\">Test cards: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined.</p>",
            escape(email),
            escape(card)
        ));
    } else if session.status == Status::Complete
        && let Some(url) = &session.success_url
    {
        body.push_str(&format!(
            "<p><a href=\"{}\">Continue</a></p>",
            escape(&url.replace("{CHECKOUT_SESSION_ID}", &session.id))
        ));
    }
    Html(page("Checkout", &body)).into_response()
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Stripe emulator</title><style>\
         body{{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1a1f36}}\
         .badge{{display:inline-block;background:#ffde92;color:#983705;font-size:.75rem;font-weight:600;padding:.1rem .4rem;border-radius:4px}}\
         .amount{{font-size:2rem;font-weight:600;margin:.25rem 0 1rem}}\
         table{{width:100%;border-collapse:collapse;margin-bottom:1rem}}td,th{{text-align:left;padding:.3rem 0;border-bottom:1px solid #e3e8ee}}\
         td:last-child,th:last-child{{text-align:right}}\
         label{{display:block;margin:.75rem 0 .25rem;font-size:.9rem}}\
         input{{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #c1c9d2;border-radius:6px}}\
         button{{margin-top:1rem;width:100%;padding:.7rem;font-size:1rem;background:#635bff;color:#fff;border:0;border-radius:6px;cursor:pointer}}\
         .error{{color:#df1b41;font-weight:600}}.hint{{color:#697386;font-size:.8rem}}\
         </style></head><body><main>{body}</main></body></html>"
    )
}

/// Minor units formatted as Stripe's page would, e.g. `€25.00` → `25.00 EUR`.
fn money(minor: i64, currency: &str) -> String {
    const ZERO_DECIMAL: &[&str] = &[
        "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
        "xaf", "xof", "xpf",
    ];
    let code = currency.to_uppercase();
    if ZERO_DECIMAL.contains(&currency) {
        return format!("{minor} {code}");
    }
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02} {code}", abs / 100, abs % 100)
}

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_escaping() {
        assert_eq!(money(6000, "eur"), "60.00 EUR");
        assert_eq!(money(5, "usd"), "0.05 USD");
        assert_eq!(money(500, "jpy"), "500 JPY");
        assert_eq!(
            escape("<b a=\"1\">&'"),
            "&lt;b a=&quot;1&quot;&gt;&amp;&#39;"
        );
    }
}
