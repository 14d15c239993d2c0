//! What a Checkout Session request must carry, checked as Stripe checks it
//! (at least as strictly: the shop relies on each rule), and the open session
//! it makes.

use std::collections::BTreeMap;

use crate::new_id;
use crate::store::{LineItem, Session, Status};
use crate::wire::{ApiError, Params};

/// `expires_at` must be at least this many seconds after the request…
pub(crate) const MIN_EXPIRES_AFTER: i64 = 30 * 60;
/// …and at most this many (also the default).
pub(crate) const MAX_EXPIRES_AFTER: i64 = 24 * 3600;

/// Stripe's minimum charge amounts, in the currency's minor units (the API's
/// `amount` units), and how Stripe writes them in its refusal.
/// <https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts>
/// (HUF is a two-decimal currency in the API, JPY a zero-decimal one.)
pub(crate) const MINIMUM_CHARGE_AMOUNTS: &[(&str, i64, &str)] = &[
    ("usd", 50, "$0.50"),
    ("aed", 200, "2.00 د.إ"),
    ("aud", 50, "$0.50"),
    ("bgn", 100, "лв1.00"),
    ("brl", 50, "R$0.50"),
    ("cad", 50, "$0.50"),
    ("chf", 50, "0.50 Fr"),
    ("czk", 1500, "15.00Kč"),
    ("dkk", 250, "2.50-kr."),
    ("eur", 50, "€0.50"),
    ("gbp", 30, "£0.30"),
    ("hkd", 400, "$4.00"),
    ("huf", 17500, "175.00 Ft"),
    ("inr", 50, "₹0.50"),
    ("jpy", 50, "¥50"),
    ("mxn", 1000, "$10.00"),
    ("myr", 200, "RM 2.00"),
    ("nok", 300, "3.00-kr."),
    ("nzd", 50, "$0.50"),
    ("pln", 200, "2.00 zł"),
    ("ron", 200, "lei2.00"),
    ("sek", 300, "3.00-kr."),
    ("sgd", 50, "$0.50"),
    ("thb", 1000, "฿10.00"),
];

/// Refuses a total below the currency's minimum charge amount. A total of 0
/// is a no-cost order, which Stripe accepts (API versions from 2023-08-16).
/// The emulator assumes the account settles in the charge's currency; a
/// currency without a documented minimum is refused (Stripe would convert it to
/// the settlement currency, at a rate the emulator cannot know).
pub(crate) fn check_minimum_amount(amount_total: i64, currency: &str) -> Result<(), ApiError> {
    if amount_total == 0 {
        return Ok(());
    }
    let Some((_, minimum, display)) = MINIMUM_CHARGE_AMOUNTS
        .iter()
        .find(|(code, _, _)| *code == currency)
    else {
        return Err(ApiError::invalid(format!(
            "The Stripe emulator knows no minimum charge amount for {currency}; use one of the currencies of \
             https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts."
        ))
        .param("line_items[0][price_data][currency]"));
    };
    if amount_total < *minimum {
        return Err(ApiError::invalid(format!(
            "The Checkout Session's total amount due must add up to at least {display} {currency}"
        ))
        .code("amount_too_small"));
    }
    Ok(())
}

fn valid_url(url: &str) -> bool {
    (url.starts_with("http://") || url.starts_with("https://"))
        && url.len() > "https://".len()
        && url.len() <= 5000
}

/// The largest total one Checkout Session may charge: Stripe's `amount`
/// has at most 8 digits (999,999.99 in two-decimal currencies).
/// <https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts>
pub(crate) const MAXIMUM_AMOUNT: i64 = 99_999_999;

/// Refuses a total above [`MAXIMUM_AMOUNT`].
pub(crate) fn check_maximum_amount(amount_total: i64) -> Result<(), ApiError> {
    if amount_total > MAXIMUM_AMOUNT {
        return Err(ApiError::invalid(
            "The Checkout Session's total amount due must be no more than 99999999 in the currency's smallest unit.",
        )
        .code("amount_too_large"));
    }
    Ok(())
}

/// Validates the parameters like Stripe does and builds the open session.
pub(crate) fn build_session(
    params: &Params,
    now: i64,
    public_url: &str,
) -> Result<Session, ApiError> {
    check_mode(params)?;
    let (line_items, currency) = line_items(params)?;
    let amount_total = line_items
        .iter()
        .try_fold(0i64, |sum, l| {
            l.unit_amount
                .checked_mul(l.quantity)
                .and_then(|a| sum.checked_add(a))
        })
        .unwrap_or(i64::MAX);
    check_minimum_amount(amount_total, &currency)?;
    check_maximum_amount(amount_total)?;
    let success_url = redirect_url(params, "success_url")?;
    let cancel_url = redirect_url(params, "cancel_url")?;
    let client_reference_id = client_reference_id(params)?;
    let customer_email = customer_email(params)?;
    let metadata = metadata(params)?;
    let expires_at = expires_at(params, now)?;
    let id = new_id("cs_test_a1", 48);
    let url = format!("{public_url}pay/{id}");
    Ok(Session {
        id,
        created: now,
        expires_at,
        status: Status::Open,
        paid: false,
        line_items,
        currency,
        amount_total,
        client_reference_id,
        metadata,
        success_url,
        cancel_url,
        customer_email,
        paid_email: None,
        payment_intent: None,
        url,
    })
}

/// Only `mode=payment` in hosted Checkout.
fn check_mode(params: &Params) -> Result<(), ApiError> {
    match params.get("mode") {
        None | Some("") => return Err(ApiError::missing("mode")),
        Some("payment") => {}
        Some("subscription" | "setup") => {
            return Err(
                ApiError::invalid("The Stripe emulator only supports `mode=payment`.")
                    .param("mode"),
            );
        }
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "Invalid mode: must be one of payment, setup, or subscription (got {other:?})"
            ))
            .param("mode"));
        }
    }
    if let Some(ui_mode) = params.text("ui_mode")
        && ui_mode != "hosted"
        && ui_mode != "hosted_page"
    {
        return Err(ApiError::invalid(
            "The Stripe emulator only supports hosted Checkout (`ui_mode=hosted`).",
        )
        .param("ui_mode"));
    }
    Ok(())
}

/// 1 to 100 line items in sequence, all in one currency.
fn line_items(params: &Params) -> Result<(Vec<LineItem>, String), ApiError> {
    let indices = params.indices("line_items");
    if indices.is_empty() {
        return Err(
            ApiError::invalid("`line_items` is required in `payment` mode.")
                .code("parameter_missing")
                .param("line_items"),
        );
    }
    if indices.len() > 100 {
        return Err(
            ApiError::invalid("You may only specify up to 100 line items.").param("line_items"),
        );
    }
    let mut items = Vec::new();
    let mut currency: Option<String> = None;
    for (position, index) in indices.iter().enumerate() {
        if *index != position {
            return Err(ApiError::invalid(format!(
                "Invalid array: line_items[{index}] is out of sequence."
            ))
            .param("line_items"));
        }
        let (item, item_currency) = line_item(params, *index)?;
        match &currency {
            None => currency = Some(item_currency),
            Some(first) if *first != item_currency => {
                return Err(ApiError::invalid(
                    "Checkout does not support multiple currencies. All line items must have the same currency.",
                )
                .param(format!("line_items[{index}][price_data][currency]")));
            }
            Some(_) => {}
        }
        items.push(item);
    }
    Ok((items, currency.expect("at least one line item")))
}

/// One line item with `price_data` and `product_data` (no stored Prices or
/// Products here), and its currency.
fn line_item(params: &Params, index: usize) -> Result<(LineItem, String), ApiError> {
    let p = |field: &str| format!("line_items[{index}]{field}");
    if let Some(price) = params.text(&p("[price]")) {
        return Err(ApiError::invalid(format!(
            "No such price: '{price}' (the Stripe emulator knows no Prices; use `price_data`)"
        ))
        .code("resource_missing")
        .param(p("[price]")));
    }
    if !params.has_prefix(&p("[price_data]")) {
        return Err(ApiError::invalid(format!(
            "You must specify either `price` or `price_data` in `line_items[{index}]`."
        ))
        .param(p("")));
    }
    let quantity = quantity(params, &p("[quantity]"), index)?;
    let currency = params
        .text(&p("[price_data][currency]"))
        .ok_or_else(|| ApiError::missing(&p("[price_data][currency]")))?
        .to_lowercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_lowercase()) {
        return Err(ApiError::invalid(format!("Invalid currency: {currency}."))
            .code("parameter_invalid_string")
            .param(p("[price_data][currency]")));
    }
    if let Some(product) = params.text(&p("[price_data][product]")) {
        return Err(ApiError::invalid(format!(
            "No such product: '{product}' (the Stripe emulator knows no Products; use `product_data`)"
        ))
        .code("resource_missing")
        .param(p("[price_data][product]")));
    }
    let name = params
        .text(&p("[price_data][product_data][name]"))
        .ok_or_else(|| ApiError::missing(&p("[price_data][product_data][name]")))?;
    let unit_amount = unit_amount(params, &p("[price_data]"))?;
    Ok((
        LineItem {
            name,
            unit_amount,
            quantity,
        },
        currency,
    ))
}

/// A line's quantity: required, 1 to 999,999.
fn quantity(params: &Params, key: &str, index: usize) -> Result<i64, ApiError> {
    let quantity = params.int(key)?.ok_or_else(|| {
        ApiError::invalid(format!(
            "Quantity is required. Add `quantity` to `line_items[{index}]`."
        ))
        .code("parameter_missing")
        .param(key)
    })?;
    if quantity < 1 {
        return Err(
            ApiError::invalid("This value must be greater than or equal to 1.")
                .code("parameter_invalid_integer")
                .param(key),
        );
    }
    if quantity > 999_999 {
        return Err(
            ApiError::invalid("This value must be less than or equal to 999999.")
                .code("parameter_invalid_integer")
                .param(key),
        );
    }
    Ok(quantity)
}

/// `unit_amount` (or a whole `unit_amount_decimal`) under `price_data`: 0 to
/// 99,999,999 minor units.
fn unit_amount(params: &Params, price_data: &str) -> Result<i64, ApiError> {
    let key = |field: &str| format!("{price_data}[{field}]");
    let unit_amount = match params.int(&key("unit_amount"))? {
        Some(amount) => amount,
        None => match params.text(&key("unit_amount_decimal")) {
            Some(decimal) => {
                let value: f64 = decimal.parse().map_err(|_| {
                    ApiError::invalid(format!("Invalid decimal: {decimal}"))
                        .code("parameter_invalid_string")
                        .param(key("unit_amount_decimal"))
                })?;
                if value.fract() != 0.0 {
                    return Err(ApiError::invalid(
                        "The Stripe emulator only supports whole minor units in `unit_amount_decimal`.",
                    )
                    .param(key("unit_amount_decimal")));
                }
                value as i64
            }
            None => return Err(ApiError::missing(&key("unit_amount"))),
        },
    };
    if unit_amount < 0 {
        return Err(ApiError::invalid("Invalid non-negative integer")
            .code("parameter_invalid_integer")
            .param(key("unit_amount")));
    }
    if unit_amount > MAXIMUM_AMOUNT {
        return Err(
            ApiError::invalid("This value must be less than or equal to 99999999.")
                .code("parameter_invalid_integer")
                .param(key("unit_amount")),
        );
    }
    Ok(unit_amount)
}

/// `success_url` or `cancel_url`, if given: an http(s) URL.
fn redirect_url(params: &Params, key: &str) -> Result<Option<String>, ApiError> {
    let url = params.text(key);
    if let Some(url) = &url
        && !valid_url(url)
    {
        return Err(ApiError::invalid("Not a valid URL")
            .code("url_invalid")
            .param(key));
    }
    Ok(url)
}

/// At most 200 characters.
fn client_reference_id(params: &Params) -> Result<Option<String>, ApiError> {
    let id = params.text("client_reference_id");
    if id.as_ref().is_some_and(|id| id.chars().count() > 200) {
        return Err(
            ApiError::invalid("Invalid string: must be at most 200 characters")
                .code("parameter_invalid_string_too_long")
                .param("client_reference_id"),
        );
    }
    Ok(id)
}

/// Something with an `@` inside and no space.
fn customer_email(params: &Params) -> Result<Option<String>, ApiError> {
    let email = params.text("customer_email");
    if let Some(email) = &email
        && (!email.contains('@')
            || email.starts_with('@')
            || email.ends_with('@')
            || email.contains(' '))
    {
        return Err(ApiError::invalid(format!("Invalid email address: {email}"))
            .code("email_invalid")
            .param("customer_email"));
    }
    Ok(email)
}

/// Up to 50 keys of up to 40 characters, values up to 500; an empty value
/// unsets its key.
fn metadata(params: &Params) -> Result<BTreeMap<String, String>, ApiError> {
    let metadata = params.map("metadata");
    if metadata.len() > 50 {
        return Err(
            ApiError::invalid("You can only specify up to 50 metadata keys.").param("metadata"),
        );
    }
    for (key, value) in &metadata {
        if key.chars().count() > 40 {
            return Err(ApiError::invalid(format!(
                "Metadata keys can have a maximum length of 40 characters. The key `{key}` is too long."
            ))
            .param(format!("metadata[{key}]")));
        }
        if value.chars().count() > 500 {
            return Err(ApiError::invalid(format!(
                "Metadata values can have up to 500 characters, but you passed in a value that is {} characters.",
                value.chars().count()
            ))
            .param(format!("metadata[{key}]")));
        }
    }
    Ok(metadata
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect())
}

/// Stripe: "The value must be between 30 minutes and 24 hours after the
/// current time" (the moment the request is received); the default is 24 hours.
fn expires_at(params: &Params, now: i64) -> Result<i64, ApiError> {
    Ok(match params.int("expires_at")? {
        None => now + MAX_EXPIRES_AFTER,
        Some(at) if at < now + MIN_EXPIRES_AFTER => {
            return Err(ApiError::invalid(
                "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.",
            )
            .param("expires_at"));
        }
        Some(at) if at > now + MAX_EXPIRES_AFTER => {
            return Err(ApiError::invalid(
                "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.",
            )
            .param("expires_at"));
        }
        Some(at) => at,
    })
}
