//! The catalogue's search: filter state as it lives in the URL, and the results.

use serde::{Deserialize, Serialize};

use super::event::EventCard;

pub const PAGE_SIZE: u32 = 12;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Date,
    Price,
}

/// The filter exactly as it stands in the URL query (`?q=jazz&sort=price&page=2`),
/// so a search can be shared and the back button works. Values stay as typed;
/// the server ignores what it cannot read rather than failing the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CatalogueQuery {
    pub q: String,
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    pub to: String,
    /// In the event's currency, major units (e.g. 25 or 25.50).
    pub min_price: String,
    pub max_price: String,
    pub available: bool,
    pub sort: SortOrder,
    /// 1-based.
    pub page: u32,
}

/// A price filter as hundredths ("25" is 2500, "25.5" is 2550); `None` when
/// it is not such a number. Integers, so the browser's bundle carries no
/// float parser for it.
fn hundredths(raw: &str) -> Option<i64> {
    let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: i64 = format!("{fraction:0<2}").get(..2)?.parse().ok()?;
    whole.checked_mul(100)?.checked_add(fraction)
}

impl CatalogueQuery {
    /// Both prices are given and the lowest is above the highest.
    pub fn prices_reversed(&self) -> bool {
        let price = |raw: &str| hundredths(raw.trim());
        matches!(
            (price(&self.min_price), price(&self.max_price)),
            (Some(min), Some(max)) if min > max
        )
    }

    /// Both dates are given and "from" is after "to" (ISO dates compare as text).
    pub fn dates_reversed(&self) -> bool {
        let (from, to) = (self.from.trim(), self.to.trim());
        !from.is_empty() && !to.is_empty() && from > to
    }

    /// A date or price filter is set (the phone layout shows them unfolded).
    pub fn has_filters(&self) -> bool {
        [&self.from, &self.to, &self.min_price, &self.max_price]
            .iter()
            .any(|f| !f.trim().is_empty())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |key: &str| get(key).unwrap_or_default().trim().to_string();
        Self {
            q: text("q"),
            from: text("from"),
            to: text("to"),
            min_price: text("min_price"),
            max_price: text("max_price"),
            available: matches!(text("available").as_str(), "1" | "true" | "on"),
            sort: if text("sort") == "price" {
                SortOrder::Price
            } else {
                SortOrder::Date
            },
            page: text("page").parse().ok().filter(|p| *p >= 1).unwrap_or(1),
        }
    }

    /// The URL query for this filter, without defaults (so `/` stays `/`).
    pub fn to_query_string(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("q", self.q.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
            ("min_price", self.min_price.as_str()),
            ("max_price", self.max_price.as_str()),
        ] {
            if !value.is_empty() {
                query.append_pair(key, value);
            }
        }
        if self.available {
            query.append_pair("available", "1");
        }
        if self.sort == SortOrder::Price {
            query.append_pair("sort", "price");
        }
        if self.page > 1 {
            query.append_pair("page", &self.page.to_string());
        }
        query.finish()
    }

    /// The catalogue URL for this filter.
    pub fn href(&self) -> String {
        let query = self.to_query_string();
        if query.is_empty() {
            "/".to_string()
        } else {
            format!("/?{query}")
        }
    }

    /// The same filter on another page.
    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub items: Vec<EventCard>,
    pub total: i64,
    pub page: u32,
    /// "12 events", written by the server in the visitor's language.
    #[serde(default)]
    pub summary: String,
    /// "Page 1 of 3".
    #[serde(default)]
    pub page_label: String,
}

impl SearchResults {
    pub fn pages(&self) -> u32 {
        (self.total.max(0) as u32).div_ceil(PAGE_SIZE).max(1)
    }

    /// The results' words in `locale`: the count, the page, each card.
    #[cfg(feature = "ssr")]
    pub fn written(mut self, locale: crate::i18n::Locale, sort: SortOrder) -> Self {
        use crate::i18n::{Arg, text};
        let now = chrono::Utc::now();
        // Prices in different currencies do not compare: each is sorted on its own.
        let mut currencies: Vec<&str> = Vec::new();
        for event in &self.items {
            if !currencies.contains(&event.price.currency.code()) {
                currencies.push(event.price.currency.code());
            }
        }
        let count = ("count", Arg::Number(self.total));
        self.summary = if self.total == 0 {
            String::new()
        } else if sort == SortOrder::Price && currencies.len() > 1 {
            let then = format!("{} ", text(locale, "results-currency-then", &[]));
            text(
                locale,
                "results-by-currency",
                &[count, ("currencies", currencies.join(&then).into())],
            )
        } else {
            text(locale, "results-count", &[count])
        };
        self.page_label = text(
            locale,
            "page-of",
            &[("page", self.page.into()), ("pages", self.pages().into())],
        );
        self.items = self
            .items
            .into_iter()
            .map(|card| card.written(locale, now))
            .collect();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reversed_ranges_are_recognised() {
        let query = |min: &str, max: &str, from: &str, to: &str| CatalogueQuery {
            min_price: min.into(),
            max_price: max.into(),
            from: from.into(),
            to: to.into(),
            ..Default::default()
        };
        assert!(query("30", "10", "", "").prices_reversed());
        assert!(!query("10", "30", "", "").prices_reversed());
        assert!(!query("30", "", "", "").prices_reversed());
        assert!(!query("abc", "10", "", "").prices_reversed());
        assert!(query("25.5", "25.49", "", "").prices_reversed());
        assert!(!query("10.5", "10.50", "", "").prices_reversed());
        assert!(!query(".5", "1", "", "").prices_reversed());
        assert!(!query(".", "1", "", "").prices_reversed());
        assert!(query("", "", "2027-02-01", "2027-01-01").dates_reversed());
        assert!(!query("", "", "2027-01-01", "2027-02-01").dates_reversed());
        assert!(query("", "", "2027-01-01", "").has_filters());
        assert!(!query("", "", "", "").has_filters());
    }
    use std::collections::HashMap;

    fn query(pairs: &[(&str, &str)]) -> CatalogueQuery {
        let map: HashMap<&str, &str> = pairs.iter().copied().collect();
        CatalogueQuery::from_lookup(|k| map.get(k).map(|v| v.to_string()))
    }

    #[test]
    fn round_trips_through_the_url() {
        let q = query(&[
            ("q", "jazz & blues"),
            ("sort", "price"),
            ("available", "1"),
            ("page", "2"),
        ]);
        assert_eq!(
            q.to_query_string(),
            "q=jazz+%26+blues&available=1&sort=price&page=2"
        );
        let parsed: HashMap<String, String> =
            form_urlencoded::parse(q.to_query_string().as_bytes())
                .into_owned()
                .collect();
        assert_eq!(CatalogueQuery::from_lookup(|k| parsed.get(k).cloned()), q);
        assert_eq!(CatalogueQuery::default().href(), "/");
        assert_eq!(query(&[("page", "0")]).page, 1);
        assert_eq!(query(&[("page", "x")]).page, 1);
    }
}
