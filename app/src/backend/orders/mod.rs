//! An order's life, one verb per file. Every change of an order's state is one
//! transaction whose UPDATE is conditional on the state it starts from, so it
//! happens exactly once however many requests, webhooks or sweepers race for
//! it; the buyer's message is written to the outbox in that same transaction.
//! No transaction spans a call to Stripe.
//!
//! - [`reserve`]: a cart's seats taken as a pending order.
//! - [`pending`]: the pending order, its payment page, the buyer's wish to give it up.
//! - [`checkout`]: from cart to payment page (or to the confirmed free order).
//! - [`settle`]: a payment (or a free order) settled: sold, or marked for refund.
//! - [`fulfil`]: a settled order marked paid, one ticket per seat.
//! - [`release`]: a pending order ended unpaid, its seats back on sale.
//! - [`refund`]: tickets refunded by an organizer or cancelled by their buyer,
//!   and the money asked back from Stripe.
//! - [`stripe_news`]: refunds and disputes Stripe reports after a payment.
//! - [`webhook`]: Stripe's events applied to orders; [`ledger`]: each recorded once.
//! - [`stock`]: the seat counters, the order row's lock, and the order locks are taken in.
//! - [`views`]: orders and tickets as their buyer sees them;
//!   [`for_organizer`]: as an event's organizer sees them.

pub mod checkout;
pub mod for_organizer;
pub mod fulfil;
pub mod ledger;
pub mod pending;
pub mod refund;
pub mod release;
pub mod reserve;
pub mod settle;
pub mod stock;
pub mod stripe_news;
pub mod views;
pub mod webhook;
