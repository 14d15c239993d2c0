//! Plain data sent between server and browser: no database types, no secrets.

mod account;
mod catalogue;
mod event;
mod money;
mod order;
mod stats;
mod ticket;

pub use account::{
    ApplicationForm, ApplicationStatus, ApplicationView, Email, OrganizerKind, PASSWORD_MAX,
    PASSWORD_MIN, Password, Role, UserView, parse_text,
};
pub use catalogue::{CatalogueQuery, PAGE_SIZE, SearchResults, SortOrder};
pub use event::{Availability, EventCard, format_clock, format_day_month, format_event_time};
pub use money::{CURRENCIES, format_amount_plain, format_money, parse_money};
pub use order::{
    CartLineView, CartView, DoorStats, OrderLineView, OrderStatus, OrderView, PassLink, PassView,
    ScanResult,
};
pub use stats::ShopStats;
pub use ticket::{
    FieldError, MAX_PER_ORDER_LIMIT, OrganizerTicketRow, SaleState, TicketDetail, TicketDraft,
    TicketForm, TicketStatus, parse_datetime_local, to_datetime_local,
};
