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
