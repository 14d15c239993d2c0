//! Plain data sent between server and browser: no database types, no secrets.

mod event;
mod money;

pub use event::{Availability, EventCard, format_event_time};
pub use money::format_money;
