//! What a line costs and what an order totals: the one place money is added
//! up. The backend stores what it computes here (each line's amount on the
//! order, each ticket's price on the ticket) and everything after the sale
//! (refunds, sales figures, exports, mail) reads those, never the unit prices
//! again. Discounts, fees and taxes plug in here.

use super::money::{Currency, MAXIMUM_CHARGE, Money};

/// Why a set of lines cannot be one payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    #[error("The tickets are priced in different currencies.")]
    MixedCurrencies,
    #[error("The total is more than one payment can charge.")]
    TooLarge,
}

/// What `quantity` tickets at `ticket_price` cost. Prices are at most
/// [`MAXIMUM_CHARGE`] and quantities small, so this cannot overflow; it
/// saturates rather than wrap if it ever did, and [`total`] then refuses it.
pub fn line(ticket_price: &Money, quantity: i64) -> Money {
    ticket_price
        .currency
        .amount(ticket_price.minor.saturating_mul(quantity))
}

/// What an order of lines with these amounts totals, in their one currency,
/// if one payment can charge it.
pub fn total<'a>(
    currency: &Currency,
    amounts: impl IntoIterator<Item = &'a Money>,
) -> Result<Money, PriceError> {
    let mut minor: i64 = 0;
    for amount in amounts {
        if &amount.currency != currency {
            return Err(PriceError::MixedCurrencies);
        }
        minor = minor
            .checked_add(amount.minor)
            .filter(|m| *m <= MAXIMUM_CHARGE)
            .ok_or(PriceError::TooLarge)?;
    }
    Ok(currency.amount(minor))
}

/// What a code takes off each ticket of the types it covers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Discount {
    /// Nothing: a code that only unlocks hidden types.
    #[default]
    None,
    /// A percentage of the price, 1 to 100.
    Percent(i32),
    /// An amount in the event's currency's minor units.
    Fixed(i64),
}

impl Discount {
    /// From `event_codes.percent_off` / `amount_off_minor` (at most one is set).
    pub fn from_columns(percent_off: Option<i32>, amount_off_minor: Option<i64>) -> Self {
        match (percent_off, amount_off_minor) {
            (Some(percent), _) => Self::Percent(percent.clamp(0, 100)),
            (None, Some(amount)) => Self::Fixed(amount.max(0)),
            (None, None) => Self::None,
        }
    }
}

/// What `discount` takes off one ticket listed at `list`: never more than the
/// price, and never leaving a paid price under what Stripe can charge
/// ([`Currency::minimum_charge`]): such a price is raised to that minimum, and
/// a ticket made free stays free. A percentage is rounded down, so the buyer
/// pays at most one minor unit more than the exact figure.
pub fn off(list: &Money, discount: Discount) -> Money {
    let wanted = match discount {
        Discount::None => 0,
        Discount::Percent(percent) => list.minor.saturating_mul(i64::from(percent)) / 100,
        Discount::Fixed(amount) => amount,
    }
    .clamp(0, list.minor);
    let mut charged = list.minor - wanted;
    let minimum = list.currency.minimum_charge().minor;
    if charged > 0 && charged < minimum {
        charged = minimum.min(list.minor);
    }
    list.currency.amount(list.minor - charged)
}

/// Amounts added up per currency, in the order the currencies first appear:
/// what a cart with tickets of several events shows ("€10.00 + £5.00").
pub fn by_currency(amounts: impl IntoIterator<Item = Money>) -> Vec<Money> {
    let mut totals: Vec<Money> = Vec::new();
    for amount in amounts {
        match totals.iter_mut().find(|t| t.currency == amount.currency) {
            Some(total) => total.minor = total.minor.saturating_add(amount.minor),
            None => totals.push(amount),
        }
    }
    totals
}

#[cfg(test)]
mod discount_tests {
    use super::*;

    fn eur(minor: i64) -> Money {
        Currency::from_stored("EUR".into()).amount(minor)
    }

    #[test]
    fn what_a_code_takes_off_one_ticket() {
        let off = |list: i64, discount| off(&eur(list), discount).minor;
        assert_eq!(off(2550, Discount::Percent(10)), 255);
        assert_eq!(off(1000, Discount::Percent(33)), 330);
        assert_eq!(off(2500, Discount::Percent(100)), 2500, "free");
        assert_eq!(off(2500, Discount::Fixed(2000)), 2000);
        assert_eq!(off(2500, Discount::Fixed(9999)), 2500, "never below zero");
        assert_eq!(off(2500, Discount::None), 0);
        // €0.10 left is under Stripe's €0.50: the buyer pays €0.50.
        assert_eq!(off(2500, Discount::Fixed(2490)), 2450);
        // A price already under the minimum is not raised by a code.
        assert_eq!(off(30, Discount::Percent(10)), 0);
        let gbp = Currency::from_stored("GBP".into()).amount(1000);
        assert_eq!(
            super::off(&gbp, Discount::Fixed(990)).minor,
            970,
            "£0.30 is GBP's minimum"
        );
    }

    #[test]
    fn a_discount_from_its_columns() {
        assert_eq!(
            Discount::from_columns(Some(20), None),
            Discount::Percent(20)
        );
        assert_eq!(
            Discount::from_columns(None, Some(500)),
            Discount::Fixed(500)
        );
        assert_eq!(Discount::from_columns(None, None), Discount::None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(minor: i64) -> Money {
        Currency::from_stored("EUR".into()).amount(minor)
    }

    fn gbp(minor: i64) -> Money {
        Currency::from_stored("GBP".into()).amount(minor)
    }

    #[test]
    fn a_line_is_its_price_times_its_quantity() {
        assert_eq!(line(&eur(2550), 3), eur(7650));
        assert_eq!(line(&eur(0), 4), eur(0));
        assert_eq!(line(&eur(i64::MAX), 2), eur(i64::MAX));
    }

    #[test]
    fn a_total_adds_its_lines_in_one_currency() {
        let code = eur(0).currency;
        assert_eq!(total(&code, &[eur(100), eur(250)]), Ok(eur(350)));
        assert_eq!(total(&code, &[]), Ok(eur(0)));
        assert_eq!(
            total(&code, &[eur(100), gbp(100)]),
            Err(PriceError::MixedCurrencies)
        );
    }

    #[test]
    fn no_total_exceeds_one_payment() {
        let code = eur(0).currency;
        assert_eq!(
            total(&code, &[eur(MAXIMUM_CHARGE)]),
            Ok(eur(MAXIMUM_CHARGE))
        );
        assert_eq!(
            total(&code, &[eur(MAXIMUM_CHARGE), eur(1)]),
            Err(PriceError::TooLarge)
        );
        assert_eq!(
            total(&code, &[line(&eur(MAXIMUM_CHARGE), 2)]),
            Err(PriceError::TooLarge)
        );
        assert_eq!(
            total(&code, &[line(&eur(i64::MAX), 2)]),
            Err(PriceError::TooLarge)
        );
    }

    #[test]
    fn a_mixed_cart_shows_one_total_per_currency() {
        assert_eq!(
            by_currency([eur(100), gbp(50), eur(25)]),
            vec![eur(125), gbp(50)]
        );
        assert!(by_currency([]).is_empty());
    }
}
