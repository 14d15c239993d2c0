//! Plain data sent between server and browser: no database types, no secrets.
//!
//! The words used here are the glossary's (`docs/src/glossary.md`), the one
//! list of them for the schema, the Rust types, the URLs and the UI.

mod account;
mod catalogue;
mod codes;
mod editor;
mod event;
mod money;
mod order;
pub mod price;
mod sale_window;
mod sales;
mod stats;
mod time;
pub mod words;

pub use account::{
    ApplicationForm, ApplicationStatus, ApplicationView, DoorLink, DoorStaffView, Email, NAME_MAX,
    OrganizerKind, PASSWORD_MAX, PASSWORD_MIN, Password, Role, UserView, check_name, parse_name,
    parse_text,
};
pub use catalogue::{CatalogueQuery, PAGE_SIZE, SearchResults, SortOrder};
pub use codes::{CODES_SHOWN, CodeForm, CodeRow, CodeTypeChoice, EventCodesView};
pub use editor::{
    EventDraft, EventForm, FieldError, MAX_PER_ORDER_LIMIT, MAX_TICKET_TYPES, TicketTypeDraft,
    TicketTypeForm, Translation, TranslationForm, parse_datetime_local, to_datetime_local,
    translation_field, type_field,
};
pub use event::{
    Availability, CardWords, CodeView, EventCard, EventDetail, EventStatus, OrganizerEventRow,
    OrganizerTypeRow, QueueView, SaleState, TicketTypeView, lang_unless,
};
pub use money::{CURRENCIES, Currency, MAXIMUM_CHARGE, Money};
pub use order::{
    Buyable, CancelOffer, CartCode, CartLineView, CartView, CheckoutRefusal, DoorList, DoorRefusal,
    DoorStats, OrderEventView, OrderLineView, OrderStatus, OrderView, OrganizerOrderRow,
    OrganizerOrderView, OrganizerOrders, OrganizerTicket, RefundCause, RefundView, ScanResult,
    TicketLink, TicketView, order_reference,
};
pub use sale_window::{CLOSES_EARLY_BY, UnusualWindow};
pub use sales::{
    CancellationProgress, CodeSales, QueueCheck, QueueLive, SalesChart, SalesDashboard,
    SalesFigures, SalesPoint, SkipReason, WaitingEntry, WaitingStatus,
};
pub use stats::{DailySales, ShopStats, SuspensionView, UserSummary};
pub use time::{
    Clocks, LocalTimeProblem, VenueTime, WallClock, ZoneChoice, format_clock, format_day_month,
    format_utc_time,
};
