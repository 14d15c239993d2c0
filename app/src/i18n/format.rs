//! Dates, times, numbers and money as each language writes them, from ICU4X's
//! CLDR data: "Sat, 5 Dec 2026, 19:30", "Sa., 05.12.2026, 19:30";
//! "€1,234.50", "1.234,50 €", "1 234,50 €".

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use fixed_decimal::Decimal;
use icu_datetime::fieldsets;
use icu_datetime::input::{Date, DateTime, Time};
use icu_datetime::{DateTimeFormatter, NoCalendarFormatter};
use icu_decimal::DecimalFormatter;
use icu_experimental::dimension::currency::CurrencyType;
use icu_experimental::dimension::currency::formatter::CurrencyFormatter;
use icu_locale_core::{Locale as IcuLocale, locale};
use writeable::Writeable;

use super::Locale;
use crate::model::Money;

/// The CLDR locale each language is written in (British English: the shop's
/// English has always put the day before the month).
fn cldr(locale: Locale) -> IcuLocale {
    match locale {
        Locale::En => locale!("en-GB"),
        Locale::De => locale!("de"),
        Locale::Fr => locale!("fr"),
    }
}

/// "€85.00", "85,00 €" (a currency without data shows its code).
pub fn money(locale: Locale, amount: &Money) -> String {
    let mut value = Decimal::from(amount.minor);
    value.multiply_pow10(-(amount.currency.exponent() as i16));
    let formatted = CurrencyType::try_from_str(&amount.currency.code().to_ascii_lowercase())
        .ok()
        .and_then(|code| {
            CurrencyFormatter::try_new_symbol((&cldr(locale)).into(), code, Default::default()).ok()
        })
        .map(|formatter| {
            formatter
                .format_fixed_decimal(&value)
                .write_to_string()
                .into_owned()
        });
    formatted.unwrap_or_else(|| {
        format!(
            "{} {}",
            number_decimal(locale, &value),
            amount.currency.code()
        )
    })
}

/// "1,234", "1.234", "1 234".
pub fn number(locale: Locale, n: i64) -> String {
    number_decimal(locale, &Decimal::from(n))
}

fn number_decimal(locale: Locale, value: &Decimal) -> String {
    match DecimalFormatter::try_new((&cldr(locale)).into(), Default::default()) {
        Ok(formatter) => formatter.format(value).write_to_string().into_owned(),
        Err(_) => value.to_string(),
    }
}

fn icu_date(at: &impl Datelike) -> Option<Date<icu_calendar::Iso>> {
    Date::try_new_iso(at.year(), at.month() as u8, at.day() as u8).ok()
}

fn icu_time(at: &impl Timelike) -> Option<Time> {
    Time::try_new(at.hour() as u8, at.minute() as u8, 0, 0).ok()
}

/// "Sat, 5 Dec 2026, 19:30" (the zone is the caller's to add).
pub fn date_time(locale: Locale, at: &NaiveDateTime) -> String {
    let (Some(date), Some(time)) = (icu_date(at), icu_time(at)) else {
        return at.to_string();
    };
    DateTimeFormatter::try_new(
        (&cldr(locale)).into(),
        fieldsets::YMDE::medium().with_time_hm(),
    )
    .map(|f| f.format(&DateTime { date, time }).to_string())
    .unwrap_or_else(|_| at.to_string())
}

/// "Sat, 5 Dec 2026, 19:30 CET": a time at the venue, with its zone.
pub fn venue_time(locale: Locale, at: &crate::model::VenueTime) -> String {
    format!("{} {}", date_time(locale, &at.local), at.zone)
}

/// "Sat, 5 Dec 2026".
pub fn date(locale: Locale, at: &NaiveDate) -> String {
    let Some(date) = icu_date(at) else {
        return at.to_string();
    };
    DateTimeFormatter::try_new((&cldr(locale)).into(), fieldsets::YMDE::medium())
        .map(|f| f.format(&date).to_string())
        .unwrap_or_else(|_| at.to_string())
}

/// "5 Dec", "5. Dez.".
pub fn day_month(locale: Locale, at: &impl Datelike) -> String {
    let Some(date) = icu_date(at) else {
        return format!("{}-{}", at.month(), at.day());
    };
    DateTimeFormatter::try_new((&cldr(locale)).into(), fieldsets::MD::medium())
        .map(|f| f.format(&date).to_string())
        .unwrap_or_else(|_| format!("{}-{}", at.month(), at.day()))
}

/// "19:30".
pub fn clock(locale: Locale, at: &impl Timelike) -> String {
    let Some(time) = icu_time(at) else {
        return format!("{:02}:{:02}", at.hour(), at.minute());
    };
    NoCalendarFormatter::try_new((&cldr(locale)).into(), fieldsets::T::hm())
        .map(|f| f.format(&time).to_string())
        .unwrap_or_else(|_| format!("{:02}:{:02}", at.hour(), at.minute()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Currency;

    fn eur(minor: i64) -> Money {
        Money {
            minor,
            currency: Currency::from_stored("EUR".into()),
        }
    }

    #[test]
    fn money_is_written_as_each_language_writes_it() {
        assert_eq!(money(Locale::En, &eur(123_450)), "€1,234.50");
        assert_eq!(money(Locale::De, &eur(123_450)), "1.234,50\u{a0}€");
        assert_eq!(money(Locale::Fr, &eur(123_450)), "1\u{202f}234,50\u{a0}€");
        let yen = Money {
            minor: 5000,
            currency: Currency::from_stored("JPY".into()),
        };
        assert_eq!(money(Locale::De, &yen), "5.000\u{a0}¥");
        assert_eq!(number(Locale::De, 20_000), "20.000");
    }

    #[test]
    fn dates_and_times_are_written_as_each_language_writes_them() {
        let at = NaiveDate::from_ymd_opt(2026, 12, 5)
            .unwrap()
            .and_hms_opt(19, 30, 0)
            .unwrap();
        assert_eq!(date_time(Locale::En, &at), "Sat, 5 Dec 2026, 19:30");
        assert_eq!(date_time(Locale::De, &at), "Sa., 05.12.2026, 19:30");
        assert_eq!(date_time(Locale::Fr, &at), "sam. 5 déc. 2026, 19:30");
        assert_eq!(day_month(Locale::De, &at), "5. Dez.");
        assert_eq!(clock(Locale::Fr, &at), "19:30");
        assert_eq!(date(Locale::En, &at.date()), "Sat, 5 Dec 2026");
    }
}
