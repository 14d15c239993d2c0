//! Email. Every message is written to the outbox (`backend::outbox`) in the
//! transaction of the change that causes it, so a change and its message
//! commit together or not at all; the delivery worker ([`delivery`]) on every
//! instance sends what is due over SMTP, retrying with backoff. Each message
//! is put together when it is sent ([`compose`]); links in messages are
//! signed and single-use (`backend::links`).

pub mod compose;
pub mod delivery;

pub use delivery::{Delivery, DeliveryReport, Mailer, deliver_due};
