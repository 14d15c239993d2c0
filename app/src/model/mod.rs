//! Plain data sent between server and browser: no database types, no secrets.

mod account;
mod event;
mod money;
mod stats;

pub use account::{
    ApplicationForm, ApplicationStatus, ApplicationView, Email, OrganizerKind, PASSWORD_MAX,
    PASSWORD_MIN, Password, Role, UserView, parse_text,
};
pub use event::{Availability, EventCard, format_event_time};
pub use money::format_money;
pub use stats::ShopStats;
