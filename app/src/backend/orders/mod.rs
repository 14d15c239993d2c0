//! The order lifecycle in one place: a cart's seats reserved as a pending
//! order, settled (paid, free), released (expired, cancelled), refunded, and
//! what Stripe's webhooks and the sweeper do to orders; and orders as their
//! buyer sees them.
//!
//! - [`lifecycle`]: the transactions that move stock (reserve, release, fulfil,
//!   refund), each happening exactly once however many callers race.
//! - [`purchase`]: from cart to payment page (or to the confirmed free order).
//! - [`settlement`]: Stripe's events and the sweeper, applied to orders.
//! - [`stock`]: the seat counters and the one order their locks are taken in.
//! - [`views`]: orders, lines and passes as the buyer sees them.

pub mod for_organizer;
pub mod lifecycle;
pub mod purchase;
pub mod settlement;
pub mod stock;
pub mod views;
