//! The end-of-run checks (nothing oversold, nothing lost) and small printing helpers.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::settle::Stock;

/// The invariants a rush must end with, from the database and the emulator.
#[derive(Debug, Clone)]
pub struct Checks {
    pub stock: i64,
    pub sold: i64,
    pub tickets: i64,
    /// `max(0, sold - stock)`, and tickets beyond the stock count too.
    pub oversold: i64,
    /// Sessions the emulator says were paid whose order is not `paid` in the database.
    pub paid_not_in_db: i64,
    /// Orders still `pending` once everything has settled.
    pub stuck_pending: i64,
    /// Seats counted as reserved that no pending order holds.
    pub orphan_reserved: i64,
}

impl Checks {
    pub fn new(state: &Stock, paid_at_emulator: i64, paid_in_db: i64) -> Self {
        Self {
            stock: state.stock,
            sold: state.sold,
            tickets: state.tickets,
            oversold: (state.sold - state.stock)
                .max(state.tickets - state.stock)
                .max(0),
            paid_not_in_db: (paid_at_emulator - paid_in_db).max(0),
            stuck_pending: state.pending_orders,
            orphan_reserved: (state.reserved - state.pending_quantity).max(0),
        }
    }

    /// Paid-but-unrecorded orders + stuck orders + orphaned seats.
    pub fn lost(&self) -> i64 {
        self.paid_not_in_db + self.stuck_pending + self.orphan_reserved
    }

    pub fn passed(&self) -> bool {
        self.oversold == 0 && self.lost() == 0
    }

    pub fn to_json(&self) -> Value {
        json!({
            "stock": self.stock,
            "sold": self.sold,
            "tickets": self.tickets,
            "oversold": self.oversold,
            "lost": self.lost(),
            "lost_detail": {
                "paid_at_emulator_not_paid_in_db": self.paid_not_in_db,
                "orders_stuck_pending": self.stuck_pending,
                "seats_reserved_without_pending_order": self.orphan_reserved,
            },
        })
    }
}

/// Distinct error texts (cut to 160 characters) and how often each occurred.
pub fn error_counts<'a>(errors: impl Iterator<Item = &'a str>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for text in errors {
        let cut: String = text.chars().take(160).collect();
        *counts.entry(cut).or_insert(0) += 1;
    }
    counts
}

/// Prints `label: value` aligned.
pub fn line(label: &str, value: impl std::fmt::Display) {
    println!("  {label:<34} {value}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_adds_its_three_parts() {
        let state = Stock {
            stock: 500,
            reserved: 3,
            sold: 497,
            tickets: 497,
            pending_orders: 1,
            pending_quantity: 1,
            ..Stock::default()
        };
        let checks = Checks::new(&state, 498, 497);
        assert_eq!(checks.oversold, 0);
        assert_eq!(checks.lost(), 1 + 1 + 2);
        assert!(!checks.passed());
    }
}
