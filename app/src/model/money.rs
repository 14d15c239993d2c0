//! Money: integer minor units (cents, pence) in one currency, never floats.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Currencies organizers can sell in.
pub const CURRENCIES: &[&str] = &[
    "EUR", "GBP", "USD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY",
];

/// The largest amount Stripe charges in one payment: 999,999.99 in two-decimal
/// currencies (its 8-digit limit on `amount`), 99,999,999 in zero-decimal ones.
pub const MAXIMUM_CHARGE: i64 = 99_999_999;

/// An ISO 4217 currency code ("EUR"). Stored codes are three capital letters
/// (a CHECK in the schema); organizers choose from [`CURRENCIES`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
#[serde(transparent)]
pub struct Currency(String);

impl Currency {
    /// A code the database holds (checked by its constraint).
    pub fn from_stored(code: String) -> Self {
        Self(code)
    }

    /// A currency as Stripe writes it ("eur").
    pub fn from_stripe(code: &str) -> Self {
        Self(code.to_uppercase())
    }

    /// As Stripe's API takes it ("eur").
    pub fn stripe_code(&self) -> String {
        self.0.to_lowercase()
    }

    /// A currency organizers may sell in, as typed ("eur" is EUR).
    pub fn offered(typed: &str) -> Option<Self> {
        // Codes are ASCII; the Unicode tables stay out of the browser's bundle.
        let code = typed.trim().to_ascii_uppercase();
        CURRENCIES.contains(&code.as_str()).then_some(Self(code))
    }

    pub fn code(&self) -> &str {
        &self.0
    }

    /// Digits after the decimal point, as ISO 4217 defines them.
    pub fn exponent(&self) -> u32 {
        match self.code() {
            "JPY" | "KRW" | "ISK" | "CLP" | "VND" => 0,
            _ => 2,
        }
    }

    fn symbol(&self) -> Option<&'static str> {
        match self.code() {
            "EUR" => Some("€"),
            "USD" => Some("$"),
            "GBP" => Some("£"),
            "JPY" => Some("¥"),
            _ => None,
        }
    }

    /// The smallest paid price Stripe can charge (its "minimum and maximum
    /// charge amounts" for the currencies we sell in). A paid price below it
    /// could never be checked out; 0 is a free ticket.
    pub fn minimum_charge(&self) -> Money {
        let minor = match self.code() {
            "GBP" => 30,
            "DKK" => 250,
            "SEK" | "NOK" => 300,
            "PLN" => 200,
            "CZK" => 1500,
            "JPY" => 50,
            // EUR, USD, CHF and most others: 0.50.
            _ => 50,
        };
        self.amount(minor)
    }

    /// `minor` units of this currency.
    pub fn amount(&self, minor: i64) -> Money {
        Money {
            minor,
            currency: self.clone(),
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount of money, shown as buyers read it ("€25.00", "CHF 19.99").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// Minor units: cents, pence (yen for JPY).
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    /// Parses an amount as typed ("25", "25.5", "1,250.00").
    pub fn parse(raw: &str, currency: &Currency) -> Result<Self, String> {
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
        let exponent = currency.exponent();
        let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        let valid_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty()
            || !valid_digits(whole)
            || !valid_digits(fraction)
        {
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
            .map(|minor| currency.amount(minor))
            .ok_or_else(|| "The price is too large.".into())
    }

    /// As the editor shows it: "25.00", no symbol.
    pub fn plain(&self) -> String {
        let exponent = self.currency.exponent();
        if exponent == 0 {
            return self.minor.to_string();
        }
        let scale = 10i64.pow(exponent);
        format!(
            "{}.{:0width$}",
            self.minor / scale,
            self.minor % scale,
            width = exponent as usize
        )
    }
}

impl Money {
    /// The amount as a plain number a spreadsheet reads: "1234.50" (no
    /// currency, no thousands separator).
    pub fn decimal(&self) -> String {
        let exponent = self.currency.exponent();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if exponent == 0 {
            return format!("{sign}{abs}");
        }
        let scale = 10u64.pow(exponent);
        format!(
            "{sign}{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = exponent as usize
        )
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let exponent = self.currency.exponent();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
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
        match self.currency.symbol() {
            Some(symbol) => write!(f, "{sign}{symbol}{number}"),
            None => write!(f, "{sign}{} {number}", self.currency),
        }
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
    use super::*;

    fn money(minor: i64, code: &str) -> String {
        Currency::from_stored(code.into()).amount(minor).to_string()
    }

    fn parse(raw: &str, code: &str) -> Result<i64, String> {
        Money::parse(raw, &Currency::from_stored(code.into())).map(|m| m.minor)
    }

    #[test]
    fn decimals_are_plain_numbers() {
        let eur = Currency::from_stored("EUR".into());
        assert_eq!(eur.amount(123_456_789).decimal(), "1234567.89");
        assert_eq!(eur.amount(5).decimal(), "0.05");
        assert_eq!(eur.amount(-2505).decimal(), "-25.05");
        assert_eq!(
            Currency::from_stored("JPY".into()).amount(1500).decimal(),
            "1500"
        );
    }

    #[test]
    fn formats_common_currencies() {
        assert_eq!(money(2500, "EUR"), "€25.00");
        assert_eq!(money(5, "USD"), "$0.05");
        assert_eq!(money(123_456_789, "GBP"), "£1,234,567.89");
        assert_eq!(money(1500, "JPY"), "¥1,500");
        assert_eq!(money(1999, "CHF"), "CHF 19.99");
        assert_eq!(money(0, "EUR"), "€0.00");
        assert_eq!(money(-250, "EUR"), "-€2.50");
    }

    #[test]
    fn parses_prices_into_minor_units() {
        assert_eq!(parse("25", "EUR"), Ok(2500));
        assert_eq!(parse("25.5", "EUR"), Ok(2550));
        assert_eq!(parse(" 1,250.05 ", "GBP"), Ok(125_005));
        assert_eq!(parse("0", "EUR"), Ok(0));
        assert_eq!(parse("1500", "JPY"), Ok(1500));
        assert!(parse("-1", "EUR").is_err());
        assert!(parse("2.505", "EUR").is_err());
        assert!(parse("12.5", "JPY").is_err());
        assert!(parse("abc", "EUR").is_err());
        assert!(parse("", "EUR").is_err());
        assert!(parse("99999999999999999999", "EUR").is_err());
        let eur = Currency::offered("eur").unwrap();
        assert_eq!(eur.amount(2550).plain(), "25.50");
        assert_eq!(
            Currency::offered("JPY").unwrap().amount(1500).plain(),
            "1500"
        );
        assert_eq!(Currency::offered("XXX"), None);
    }

    #[test]
    fn stripe_minimums_per_currency() {
        let minimum = |code: &str| Currency::offered(code).unwrap().minimum_charge().minor;
        assert_eq!(minimum("EUR"), 50);
        assert_eq!(minimum("USD"), 50);
        assert_eq!(minimum("GBP"), 30);
        assert_eq!(minimum("JPY"), 50);
        for code in CURRENCIES {
            assert!(minimum(code) > 0);
        }
    }
}
