//! Plain data sent between server and browser: no database types, no secrets.
//!
//! Glossary (one word per concept, in the schema, the Rust types, the URLs and
//! the UI):
//! - **event**: what the buyer attends (`events`, `/events/{id}`): title,
//!   venue, times, status, currency, a **cover** image (`events.cover_key`,
//!   `/covers/{key}`), an optional **capacity** shared by its types.
//! - **time zone**: the venue's IANA zone (`events.time_zone`); the event's
//!   times are entered and shown on the venue's clock, stored as UTC instants.
//! - **ticket type**: what a buyer picks for an event (`ticket_types`):
//!   name, description, price, quantity, sale window, per-order maximum, and
//!   **hidden** (not listed on the event's page).
//! - **cart**: ticket types and quantities in Valkey; holds nothing.
//! - **order**: what a checkout creates, one line per ticket type with its
//!   price copied; its seats are **held** (`reserved`) until paid or released.
//! - **ticket** (the buyer's word; `passes` in the schema, `/passes/{id}`): one
//!   seat of a paid order, with its QR code; **check-in** admits it once.
//! - **order reference**: how an order is named to people (mail subjects,
//!   the order page): the first 8 hex digits of its id, upper case.
//! - **verified** address (`users.email_verified_at`): proved by a mailed
//!   **email link** (`email_links`; its page asks for a click before it acts),
//!   needed before checkout and to accept a door invitation.
//! - **outbox**: every message the shop mails, one row per (kind, subject),
//!   written with the change that causes it and delivered by the mail worker.

mod account;
mod catalogue;
mod editor;
mod event;
mod money;
mod order;
mod sales;
mod stats;
mod time;

pub use account::{
    ApplicationForm, ApplicationStatus, ApplicationView, DoorStaffView, Email, OrganizerKind,
    PASSWORD_MAX, PASSWORD_MIN, Password, Role, UserView, parse_text,
};
pub use catalogue::{CatalogueQuery, PAGE_SIZE, SearchResults, SortOrder};
pub use editor::{
    EventDraft, EventForm, FieldError, MAX_PER_ORDER_LIMIT, MAX_TICKET_TYPES, TicketTypeDraft,
    TicketTypeForm, parse_datetime_local, to_datetime_local, type_field,
};
pub use event::{
    Availability, EventCard, EventDetail, EventStatus, OrganizerEventRow, OrganizerTypeRow,
    QueueView, SaleState, TicketTypeView,
};
pub use money::{CURRENCIES, Currency, MAXIMUM_CHARGE, Money};
pub use order::{
    Buyable, CancelOffer, CartLineView, CartView, CheckoutRefusal, DoorRefusal, DoorStats,
    OrderLineView, OrderStatus, OrderView, OrganizerOrderRow, OrganizerOrderView, OrganizerOrders,
    OrganizerTicket, PassLink, PassView, RefundView, ScanResult, order_reference,
};
pub use sales::{
    CancellationProgress, SalesDashboard, SalesFigures, SalesPoint, SkipReason, WaitingEntry,
    WaitingStatus,
};
pub use stats::{DailySales, ShopStats, SuspensionView, UserSummary};
pub use time::{
    Clocks, LocalTimeProblem, VenueTime, WallClock, ZoneChoice, format_clock, format_day_month,
    format_utc_time,
};
