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
