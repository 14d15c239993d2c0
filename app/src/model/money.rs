/// Formats an amount in minor units (cents, pence) for display, e.g. `€25.00`.
pub fn format_money(amount_minor: i64, currency: &str) -> String {
    let exponent = minor_unit_exponent(currency);
    let sign = if amount_minor < 0 { "-" } else { "" };
    let abs = amount_minor.unsigned_abs();
    let number = if exponent == 0 {
        group_thousands(abs)
    } else {
        let scale = 10u64.pow(exponent);
        format!(
            "{}.{:0width$}",
            group_thousands(abs / scale),
            abs % scale,
            width = exponent as usize
        )
    };
    match symbol(currency) {
        Some(symbol) => format!("{sign}{symbol}{number}"),
        None => format!("{sign}{currency} {number}"),
    }
}

/// Digits after the decimal point, as ISO 4217 defines them for the currencies we expect.
fn minor_unit_exponent(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "ISK" | "CLP" | "VND" => 0,
        _ => 2,
    }
}

fn symbol(currency: &str) -> Option<&'static str> {
    match currency {
        "EUR" => Some("€"),
        "USD" => Some("$"),
        "GBP" => Some("£"),
        "JPY" => Some("¥"),
        _ => None,
    }
}

fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::format_money;

    #[test]
    fn formats_common_currencies() {
        assert_eq!(format_money(2500, "EUR"), "€25.00");
        assert_eq!(format_money(5, "USD"), "$0.05");
        assert_eq!(format_money(123_456_789, "GBP"), "£1,234,567.89");
        assert_eq!(format_money(1500, "JPY"), "¥1,500");
        assert_eq!(format_money(1999, "CHF"), "CHF 19.99");
        assert_eq!(format_money(0, "EUR"), "€0.00");
    }
}

/// Currencies organizers can sell in.
pub const CURRENCIES: &[&str] = &[
    "EUR", "GBP", "USD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY",
];

/// The smallest paid price Stripe can charge in `currency`, in minor units
/// (Stripe's "minimum and maximum charge amounts" for the currencies we sell in).
/// A paid price below it could never be checked out; 0 is a free ticket.
pub fn minimum_charge(currency: &str) -> i64 {
    match currency {
        "GBP" => 30,
        "DKK" => 250,
        "SEK" | "NOK" => 300,
        "PLN" => 200,
        "CZK" => 1500,
        "JPY" => 50,
        // EUR, USD, CHF and most others: 0.50.
        _ => 50,
    }
}

/// The largest amount Stripe charges in one payment: 999,999.99 in two-decimal
/// currencies (its 8-digit limit on `amount`), 99,999,999 in zero-decimal ones.
pub const MAXIMUM_CHARGE: i64 = 99_999_999;

/// Parses an amount as typed ("25", "25.5", "1,250.00") into minor units.
pub fn parse_money(raw: &str, currency: &str) -> Result<i64, String> {
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != ' ')
        .collect();
    if cleaned.is_empty() {
        return Err("Enter a price (0 for a free event).".into());
    }
    if cleaned.starts_with('-') {
        return Err("The price cannot be negative.".into());
    }
    let exponent = minor_unit_exponent(currency);
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let valid_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !valid_digits(whole) || !valid_digits(fraction) {
        return Err("Enter the price as a number, like 25.00.".into());
    }
    if fraction.len() > exponent as usize {
        return Err(if exponent == 0 {
            format!("{currency} has no decimal places.")
        } else {
            format!("Use at most {exponent} decimal places.")
        });
    }
    let scale = 10i64.pow(exponent);
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| "The price is too large.")?
    };
    let fraction: i64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse::<i64>().unwrap_or(0) * 10i64.pow(exponent - fraction.len() as u32)
    };
    whole
        .checked_mul(scale)
        .and_then(|v| v.checked_add(fraction))
        .filter(|v| *v <= 100_000_000 * scale)
        .ok_or_else(|| "The price is too large.".into())
}

/// An amount in minor units as the editor shows it: "25.00", no symbol.
pub fn format_amount_plain(amount_minor: i64, currency: &str) -> String {
    let exponent = minor_unit_exponent(currency);
    if exponent == 0 {
        return amount_minor.to_string();
    }
    let scale = 10i64.pow(exponent);
    format!(
        "{}.{:0width$}",
        amount_minor / scale,
        amount_minor % scale,
        width = exponent as usize
    )
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    #[test]
    fn parses_prices_into_minor_units() {
        assert_eq!(parse_money("25", "EUR"), Ok(2500));
        assert_eq!(parse_money("25.5", "EUR"), Ok(2550));
        assert_eq!(parse_money(" 1,250.05 ", "GBP"), Ok(125_005));
        assert_eq!(parse_money("0", "EUR"), Ok(0));
        assert_eq!(parse_money("1500", "JPY"), Ok(1500));
        assert!(parse_money("-1", "EUR").is_err());
        assert!(parse_money("2.505", "EUR").is_err());
        assert!(parse_money("12.5", "JPY").is_err());
        assert!(parse_money("abc", "EUR").is_err());
        assert!(parse_money("", "EUR").is_err());
        assert!(parse_money("99999999999999999999", "EUR").is_err());
        assert_eq!(format_amount_plain(2550, "EUR"), "25.50");
        assert_eq!(format_amount_plain(1500, "JPY"), "1500");
    }

    #[test]
    fn stripe_minimums_per_currency() {
        assert_eq!(minimum_charge("EUR"), 50);
        assert_eq!(minimum_charge("USD"), 50);
        assert_eq!(minimum_charge("GBP"), 30);
        assert_eq!(minimum_charge("JPY"), 50);
        for currency in CURRENCIES {
            assert!(minimum_charge(currency) > 0);
        }
    }
}
