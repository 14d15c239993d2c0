//! Orders as buyers see them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::event::EventStatus;
use super::money::Money;
use super::time::VenueTime;

/// The order reference: how an order is named to people ("1F3A9C2E").
pub fn order_reference(id: Uuid) -> String {
    id.simple().to_string()[..8].to_ascii_uppercase()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "order_status", rename_all = "lowercase")
)]
pub enum OrderStatus {
    Pending,
    Paid,
    /// Its hold ran out before it was paid.
    Expired,
    /// Its buyer cancelled it before paying.
    Cancelled,
    /// The bank declined its payment after checkout (a delayed method).
    Declined,
    Refunded,
}

impl OrderStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Waiting for payment",
            Self::Paid => "Paid",
            Self::Expired => "Expired",
            Self::Cancelled => "Cancelled",
            Self::Declined => "Payment declined",
            Self::Refunded => "Refunded",
        }
    }

    /// As its buyer reads it: what happened, in their words.
    pub fn buyer_label(self) -> &'static str {
        match self {
            Self::Expired => "Expired: not paid in time",
            Self::Cancelled => "Cancelled by you",
            other => other.label(),
        }
    }

    /// The message of [`OrderStatus::buyer_label`] in `locales/*.ftl`.
    pub fn buyer_label_key(self) -> &'static str {
        match self {
            Self::Pending => "order-buyer-pending",
            Self::Paid => "order-buyer-paid",
            Self::Expired => "order-buyer-expired",
            Self::Cancelled => "order-buyer-cancelled",
            Self::Declined => "order-buyer-declined",
            Self::Refunded => "order-buyer-refunded",
        }
    }

    /// [`OrderStatus::buyer_label`] in `locale`.
    #[cfg(feature = "ssr")]
    pub fn buyer_label_in(self, locale: crate::i18n::Locale) -> String {
        crate::i18n::text(locale, self.buyer_label_key(), &[])
    }

    pub const ALL: [Self; 6] = [
        Self::Pending,
        Self::Paid,
        Self::Expired,
        Self::Cancelled,
        Self::Declined,
        Self::Refunded,
    ];

    /// The status named by its word in the schema.
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// The word in the schema: "refunded".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Expired => "expired",
            Self::Cancelled => "cancelled",
            Self::Declined => "declined",
            Self::Refunded => "refunded",
        }
    }
}

/// Why tickets cannot be bought as the cart asks: shown next to the cart line
/// and answered by checkout (as [`crate::error::AppError::Refused`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum CheckoutRefusal {
    #[error("Your cart is empty.")]
    EmptyCart,
    #[error("A ticket in your cart no longer exists; please remove it.")]
    NoLongerExists,
    #[error("{title} is no longer on sale.")]
    NotOnSale { title: String },
    /// The same words whether the code is unknown, used up, disabled, not yet
    /// or no longer valid: a guesser learns nothing from them.
    #[error("The code {code} cannot be used for this order.")]
    CodeNotAccepted { code: String },
    /// The buyer has used the code as often as one buyer may (they own
    /// those uses, so telling them gives nothing away).
    #[error("You have used the code {code} for {most} tickets, as many as one buyer may.")]
    CodeUsedUpByBuyer { code: String, most: i32 },
    /// The event's queue holds a presale: until it ends, only tickets a
    /// code covers are sold.
    #[error("{title} is in a presale: until it ends, only tickets your code covers are sold.")]
    PresaleOnly { title: String },
    /// The event's queue is on and has not let this visitor through yet.
    #[error("The sale of {title} is queued: wait in the queue for your turn to check out.")]
    NotAdmitted { title: String },
    /// The event's organizer is suspended by an admin.
    #[error("Sales for {title} are paused.")]
    SalesPaused { title: String },
    #[error("Sales for {title} have not opened yet.")]
    NotOpenYet { title: String },
    #[error("Sales for {title} have ended.")]
    SaleEnded { title: String },
    #[error("{title} is sold out.")]
    SoldOut { title: String },
    #[error("At most {max} tickets per order for {title}.")]
    OverPerOrderMaximum { title: String, max: i32 },
    #[error("Only {left} left for {title}.")]
    OnlyLeft { title: String, left: i32 },
    /// The per-order maximum is also what one buyer may hold across orders.
    #[error("You already have {have} tickets for {title}, the most one buyer may hold.")]
    BuyerHoldsMaximum { title: String, have: i64 },
    #[error(
        "You already have {have} tickets for {title}; one buyer may hold {max}, so you can add {more} more."
    )]
    BuyerMayAdd {
        title: String,
        have: i64,
        max: i64,
        more: i64,
    },
    #[error(
        "Your cart has tickets priced in different currencies; please buy them in separate orders."
    )]
    MixedCurrencies,
    #[error("One order can total at most {most}; please buy fewer tickets at once.")]
    OverMaximumCharge { most: Money },
    #[error("The price of {title} has just changed; please check your cart and try again.")]
    PriceChanged { title: String },
    #[error("{title} could not be reserved; please try again.")]
    TryAgain { title: String },
    #[error(
        "Confirm your email address before checkout: open the link we sent to {email}, or ask for a new one."
    )]
    EmailNotVerified { email: String },
}

/// Why the door does not admit a ticket (nothing was changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum DoorRefusal {
    /// Also what a buyer scanning their own ticket is told: nothing more.
    #[error("This ticket is for another organizer's event.")]
    OtherOrganizersEvent,
    #[error("This ticket is for a different event.")]
    OtherEvent,
    #[error("This ticket is not valid: its payment is disputed with the bank.")]
    Disputed,
    #[error("This ticket is not valid: its order is {}.", .0.as_str())]
    OrderNotPaid(OrderStatus),
    #[error("This ticket was refunded and no longer admits.")]
    Refunded,
    #[error("This ticket could not be checked in; please scan again.")]
    ScanAgain,
    #[error("Unknown code: this is not a ticket of this shop.")]
    UnknownCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub ticket_type_id: Uuid,
    /// The event's title.
    pub title: String,
    pub type_name: String,
    pub quantity: i32,
    pub unit_price: Money,
    /// What the line was charged (see [`super::price`]).
    pub amount: Money,
    /// The code it was bought with, and what that took off each ticket.
    #[serde(default)]
    pub code: Option<(String, Money)>,
}

/// An event an order has tickets for, as its buyer needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEventView {
    pub id: Uuid,
    pub title: String,
    pub venue: String,
    pub starts_at: VenueTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: Uuid,
    /// How the order is named to people ([`order_reference`]).
    pub reference: String,
    pub status: OrderStatus,
    pub total: Money,
    /// Times on the clock of the (first) event's venue, as the rest of the
    /// shop shows them.
    pub reserved_until: VenueTime,
    pub created_at: VenueTime,
    pub paid_at: Option<VenueTime>,
    /// In the order they happen.
    pub events: Vec<OrderEventView>,
    pub refund_reason: Option<String>,
    /// Why money went back and the organizer's own words for it, from which
    /// [`OrderView::written`] says `refund_reason` in the buyer's language.
    #[serde(default)]
    pub refund_cause: Option<(RefundCause, String)>,
    /// Refunded so far (all of `total` once the order is `refunded` by its organizer).
    pub refunded: Money,
    /// The buyer's bank disputes the payment: the tickets do not admit.
    pub disputed: bool,
    /// Where to continue paying, while the order is pending.
    pub payment_url: Option<String>,
    /// The buyer may cancel (some of) its tickets themselves.
    pub cancel_offer: Option<CancelOffer>,
    pub lines: Vec<OrderLineView>,
    pub tickets: Vec<TicketLink>,
    /// What its pages say, written on the server in the buyer's language
    /// ([`OrderView::written`]): the order page's island shows them as sent.
    #[serde(default)]
    pub words: OrderWords,
}

/// An order's sentences, dates and amounts in the buyer's language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderWords {
    /// As the order history lists it: "Waiting for payment until …", "Paid".
    pub status: String,
    /// The order page's banner: what happened and what it means.
    pub banner: String,
    /// When it was placed.
    pub created_at: String,
    /// "Placed …", and " · paid …" once paid.
    pub placed: String,
    /// "€85.00".
    pub total: String,
    /// "Total €85.00".
    pub total_line: String,
    /// When each of `events` starts.
    pub events: Vec<String>,
    /// What each of `lines` was charged.
    pub lines: Vec<String>,
    /// For each of `lines`, the code it was bought with and what that took
    /// off each ticket ("" for none).
    #[serde(default)]
    pub line_codes: Vec<String>,
    /// Each of `tickets` as listed: "Title · Type · ticket 1".
    pub tickets: Vec<String>,
    /// When each of `tickets` was checked in, if it was.
    pub checked_in: Vec<Option<String>>,
    /// The offer to cancel, if there is one.
    pub cancel: Option<String>,
}

impl OrderView {
    /// The order's words in `locale`, with dates and money as it writes them.
    #[cfg(feature = "ssr")]
    pub fn written(mut self, locale: crate::i18n::Locale) -> Self {
        use crate::i18n::{Arg, format, text};
        let when = |at: &VenueTime| Arg::Text(format::venue_time(locale, at));
        let money = |amount: &Money| format::money(locale, amount);
        let reason = match &self.refund_cause {
            Some((cause, words)) => cause.explain_in(locale, words),
            None => self.refund_reason.clone().unwrap_or_default(),
        };
        let issued = self.tickets.len() as i64;
        let refunded = self
            .tickets
            .iter()
            .filter(|p| p.refunded_at.is_some())
            .count() as i64;
        let count = || ("count", Arg::Number(issued));
        let status = match self.status {
            OrderStatus::Pending => text(
                locale,
                "orders-status-pending",
                &[("until", when(&self.reserved_until))],
            ),
            OrderStatus::Refunded => text(
                locale,
                "orders-status-refunded",
                &[("reason", reason.as_str().into())],
            ),
            other => other.buyer_label_in(locale),
        };
        let banner = match self.status {
            OrderStatus::Pending => text(
                locale,
                "order-status-waiting",
                &[("until", when(&self.reserved_until))],
            ),
            OrderStatus::Paid if self.disputed => text(locale, "order-status-disputed", &[]),
            OrderStatus::Paid if self.total.minor == 0 => {
                text(locale, "order-status-free", &[count()])
            }
            OrderStatus::Paid if refunded > 0 => text(
                locale,
                "order-status-partly-refunded",
                &[
                    count(),
                    ("refunded", refunded.into()),
                    ("amount", money(&self.refunded).into()),
                ],
            ),
            OrderStatus::Paid => text(locale, "order-status-paid", &[count()]),
            OrderStatus::Expired => text(locale, "order-status-expired", &[]),
            OrderStatus::Cancelled => text(locale, "order-status-cancelled", &[]),
            OrderStatus::Declined => text(locale, "order-status-declined", &[]),
            OrderStatus::Refunded => text(
                locale,
                "order-status-refunded",
                &[("reason", reason.as_str().into())],
            ),
        };
        let mut placed = text(locale, "order-placed", &[("date", when(&self.created_at))]);
        if let Some(at) = &self.paid_at {
            placed = format!(
                "{placed} · {}",
                text(locale, "order-paid", &[("date", when(at))])
            );
        }
        let utc = |at: &DateTime<Utc>| {
            Arg::Text(format!(
                "{} UTC",
                format::date_time(locale, &at.naive_utc())
            ))
        };
        let cancel = self.cancel_offer.as_ref().map(|offer| {
            let mut args = vec![
                ("count", Arg::Number(offer.tickets)),
                ("until", when(&offer.until)),
                ("refund", money(&offer.refund).into()),
            ];
            if offer.fee.minor > 0 {
                args.push(("fee", money(&offer.fee).into()));
                text(locale, "order-cancel-offer-fee", &args)
            } else {
                text(locale, "order-cancel-offer", &args)
            }
        });
        let total = money(&self.total);
        self.words = OrderWords {
            status,
            banner,
            created_at: format::venue_time(locale, &self.created_at),
            placed,
            total_line: text(locale, "order-total", &[("total", total.as_str().into())]),
            total,
            events: self
                .events
                .iter()
                .map(|e| format::venue_time(locale, &e.starts_at))
                .collect(),
            lines: self.lines.iter().map(|l| money(&l.amount)).collect(),
            line_codes: self
                .lines
                .iter()
                .map(|l| match &l.code {
                    Some((code, off)) if off.minor > 0 => text(
                        locale,
                        "order-line-code",
                        &[
                            ("code", code.as_str().into()),
                            ("amount", money(off).into()),
                        ],
                    ),
                    Some((code, _)) => text(
                        locale,
                        "order-line-code-only",
                        &[("code", code.as_str().into())],
                    ),
                    None => String::new(),
                })
                .collect(),
            tickets: self
                .tickets
                .iter()
                .map(|p| {
                    text(
                        locale,
                        "order-ticket-link",
                        &[
                            ("title", p.title.as_str().into()),
                            ("type", p.type_name.as_str().into()),
                            ("seat", p.seat_no.into()),
                        ],
                    )
                })
                .collect(),
            checked_in: self
                .tickets
                .iter()
                .map(|p| {
                    p.checked_in_at
                        .map(|at| text(locale, "order-ticket-checked-in", &[("at", utc(&at))]))
                })
                .collect(),
            cancel,
        };
        self
    }
}

/// What the buyer may cancel now under the organizer's policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelOffer {
    pub tickets: i64,
    /// Paid back.
    pub refund: Money,
    /// Kept by the organizer.
    pub fee: Money,
    /// The last moment to cancel, on the venue's clock.
    pub until: VenueTime,
}

/// A ticket as listed on its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketLink {
    pub id: Uuid,
    pub title: String,
    pub type_name: String,
    pub seat_no: i32,
    pub checked_in_at: Option<DateTime<Utc>>,
    /// Refunded: the ticket no longer admits.
    pub refunded_at: Option<DateTime<Utc>>,
}

/// One ticket, with the QR code its holder shows at the door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketView {
    pub id: Uuid,
    pub order_id: Uuid,
    pub title: String,
    pub type_name: String,
    pub venue: String,
    pub starts_at: VenueTime,
    pub seat_no: i32,
    pub seats_in_order: i64,
    pub code: String,
    /// The code as an SVG QR code, rendered on the server.
    pub qr_svg: String,
    pub checked_in_at: Option<DateTime<Utc>>,
    /// Refunded: the ticket no longer admits.
    pub refunded_at: Option<DateTime<Utc>>,
}

/// One line of the cart page, checked against the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLineView {
    pub ticket_type_id: Uuid,
    pub event_id: Uuid,
    /// The event's title.
    pub title: String,
    pub type_name: String,
    pub starts_at: VenueTime,
    /// A ticket's price, with the code's discount.
    pub unit_price: Money,
    /// The list price, when a code takes something off it.
    #[serde(default)]
    pub list_price: Option<Money>,
    /// The code the line is priced (or unlocked) with.
    #[serde(default)]
    pub code: Option<String>,
    pub quantity: i64,
    /// What the line costs as it stands.
    pub amount: Money,
    pub available: i32,
    pub max_per_order: i32,
    /// Why this line cannot be bought as it is, if it cannot.
    pub problem: Option<CheckoutRefusal>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartView {
    pub lines: Vec<CartLineView>,
    /// An order already holding seats for this buyer, to pay or cancel first.
    pub pending_order: Option<Uuid>,
    /// The codes entered for the cart's events.
    #[serde(default)]
    pub codes: Vec<CartCode>,
    /// What the cart page says with amounts and dates in it, written on the
    /// server in the visitor's language ([`CartView::written`]).
    #[serde(default)]
    pub words: CartWords,
}

/// A code entered for one of the cart's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartCode {
    pub event_id: Uuid,
    /// The event's title.
    pub title: String,
    pub code: String,
    /// Still accepted for the cart's tickets (else checking out is refused
    /// until it is removed or the tickets are fewer).
    pub usable: bool,
    /// Tickets it may still be used for, when it is accepted and limited.
    #[serde(default)]
    pub uses_left: Option<i32>,
    /// What the cart says of it, in the visitor's language ([`CartView::written`]).
    #[serde(default)]
    pub said: String,
}

/// The cart's sentences in the visitor's language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartWords {
    /// "Total €10.00 + £5.00".
    pub total: String,
    pub lines: Vec<CartLineWords>,
}

/// A cart line's sentences, by its ticket type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLineWords {
    pub ticket_type_id: Uuid,
    /// When the event starts.
    pub when: String,
    /// "€25.00 each".
    pub each: String,
    /// "12 available".
    pub available: String,
}

impl CartView {
    pub fn count(&self) -> i64 {
        self.lines.iter().map(|l| l.quantity).sum()
    }
    /// One total per currency the cart's tickets are priced in.
    pub fn totals(&self) -> Vec<Money> {
        super::price::by_currency(self.lines.iter().map(|l| l.amount.clone()))
    }
    pub fn can_check_out(&self) -> bool {
        !self.lines.is_empty()
            && self.lines.iter().all(|l| l.problem.is_none())
            && self.codes.iter().all(|c| c.usable)
    }
    /// Every ticket in the cart is free: checking out confirms at once, no payment.
    pub fn is_free(&self) -> bool {
        self.lines.iter().all(|l| l.unit_price.minor == 0)
    }

    /// The cart's words in `locale`, with dates and money as it writes them.
    #[cfg(feature = "ssr")]
    pub fn written(mut self, locale: crate::i18n::Locale) -> Self {
        use crate::i18n::{format, text};
        let totals = self
            .totals()
            .iter()
            .map(|amount| format::money(locale, amount))
            .collect::<Vec<_>>()
            .join(" + ");
        let lines = self
            .lines
            .iter()
            .map(|line| CartLineWords {
                ticket_type_id: line.ticket_type_id,
                when: format::venue_time(locale, &line.starts_at),
                each: match (&line.list_price, &line.code) {
                    (Some(list), Some(code)) => text(
                        locale,
                        "cart-line-each-with-code",
                        &[
                            ("price", format::money(locale, &line.unit_price).into()),
                            ("list", format::money(locale, list).into()),
                            ("code", code.as_str().into()),
                        ],
                    ),
                    _ => text(
                        locale,
                        "cart-line-each",
                        &[("price", format::money(locale, &line.unit_price).into())],
                    ),
                },
                available: text(
                    locale,
                    "cart-line-available",
                    &[("count", line.available.max(0).into())],
                ),
            })
            .collect();
        for code in &mut self.codes {
            let key = match (code.usable, code.uses_left) {
                (true, _) => "cart-code",
                (false, Some(_)) => "cart-code-too-few",
                (false, None) => "cart-code-not-valid",
            };
            code.said = text(
                locale,
                key,
                &[
                    ("code", code.code.as_str().into()),
                    ("event", code.title.as_str().into()),
                    ("left", code.uses_left.unwrap_or(0).into()),
                ],
            );
        }
        self.words = CartWords {
            total: text(locale, "cart-total", &[("total", totals.into())]),
            lines,
        };
        self
    }
}

/// What the door sees after a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScanResult {
    Admitted {
        seat_no: i32,
        holder: String,
        type_name: String,
    },
    AlreadyCheckedIn {
        /// On the venue's clock.
        at: VenueTime,
        by: String,
    },
    Refused(DoorRefusal),
}

/// Live counts for an event's door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorStats {
    pub title: String,
    pub checked_in: i64,
    pub sold: i64,
}

/// What a door device keeps to check an event's tickets without a network
/// (`checkin::door_list`): the key that signs their payloads, and the
/// tickets whose payload no longer admits as signed. A signed payload not
/// named here admits, once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorList {
    pub event: Uuid,
    /// The public half of the event's door key (32 bytes, URL-safe base64).
    pub public_key: String,
    /// When the list was read (Unix ms): a device says how fresh it is.
    pub read_at_ms: i64,
    /// Refunded, disputed or no longer paid.
    pub revoked: Vec<Uuid>,
    /// Checked in already.
    pub checked_in: Vec<Uuid>,
    /// Tickets reissued since: only this version's payload admits.
    pub versions: Vec<(Uuid, i16)>,
}

/// One order in an organizer's list for an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizerOrderRow {
    pub id: Uuid,
    pub reference: String,
    pub buyer_name: String,
    pub buyer_email: String,
    pub status: OrderStatus,
    /// Tickets of this event in the order.
    pub tickets: i64,
    pub total: Money,
    pub refunded: Money,
    pub created_at: DateTime<Utc>,
}

/// A page of an event's orders, as the organizer searched them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizerOrders {
    pub event_id: Uuid,
    pub event_title: String,
    pub rows: Vec<OrganizerOrderRow>,
    /// 1-based.
    pub page: u32,
    pub has_more: bool,
}

/// A ticket of an order, as its event's organizer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizerTicket {
    pub id: Uuid,
    pub event_title: String,
    pub type_name: String,
    pub seat_no: i32,
    pub price: Money,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub refunded_at: Option<DateTime<Utc>>,
}

/// A refund made on an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundView {
    pub amount: Money,
    pub reason: String,
    pub tickets: i64,
    pub restocked: bool,
    pub by: Option<String>,
    pub at: DateTime<Utc>,
    /// Stripe has taken it (or nothing was to be paid back).
    pub settled: bool,
}

/// An order as the organizer of its event sees it: only their tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizerOrderView {
    pub id: Uuid,
    pub reference: String,
    pub buyer_name: String,
    pub buyer_email: String,
    pub status: OrderStatus,
    pub disputed: bool,
    pub total: Money,
    pub refunded: Money,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
    pub tickets: Vec<OrganizerTicket>,
    pub refunds: Vec<RefundView>,
}

/// Why money went back, as stored (`refund_cause`); the words are made when
/// shown, from the cause and the organizer's own words where they gave some.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "refund_cause", rename_all = "snake_case")
)]
pub enum RefundCause {
    /// The organizer refunded, with a reason of their own.
    Organizer,
    /// The buyer cancelled within the organizer's policy.
    BuyerCancelled,
    /// The organizer cancelled the event, with a reason of their own.
    EventCancelled,
    /// The payment came after the hold ended and the seats were sold.
    PaidTooLate,
    /// The amount or currency paid was not the order's.
    AmountMismatch,
    /// Refunded in full in Stripe's dashboard.
    RefundedAtStripe,
    /// Part of the payment refunded in Stripe's dashboard.
    PartlyRefundedAtStripe,
    /// The buyer's bank took the money back after a dispute.
    DisputeLost,
}

impl RefundCause {
    /// What the buyer and the organizer read.
    pub fn explain(self, reason: &str) -> String {
        match self {
            Self::Organizer => reason.to_string(),
            Self::EventCancelled => format!("The event was cancelled: {reason}"),
            Self::BuyerCancelled => "Cancelled by the buyer.".into(),
            Self::PaidTooLate => "Your payment arrived after the reservation had expired and the seats were sold to someone else, so it has been refunded in full.".into(),
            Self::AmountMismatch => "The amount paid did not match the order, so no tickets were issued and the payment has been refunded in full.".into(),
            Self::RefundedAtStripe => "This order was refunded in full, so its tickets no longer admit.".into(),
            Self::PartlyRefundedAtStripe => "The organizer refunded part of your payment; your tickets still admit.".into(),
            Self::DisputeLost => "Your bank gave the payment back to you after a dispute, so the order's tickets no longer admit.".into(),
        }
    }

    /// [`RefundCause::explain`] in `locale` (the organizer's own words as they wrote them).
    #[cfg(feature = "ssr")]
    pub fn explain_in(self, locale: crate::i18n::Locale, reason: &str) -> String {
        let key = match self {
            Self::Organizer => return reason.to_string(),
            Self::EventCancelled => {
                return crate::i18n::text(
                    locale,
                    "order-refund-event-cancelled",
                    &[("reason", reason.into())],
                );
            }
            Self::BuyerCancelled => "order-refund-buyer-cancelled",
            Self::PaidTooLate => "order-refund-paid-too-late",
            Self::AmountMismatch => "order-refund-amount-mismatch",
            Self::RefundedAtStripe => "order-refund-refunded-at-stripe",
            Self::PartlyRefundedAtStripe => "order-refund-partly-refunded-at-stripe",
            Self::DisputeLost => "order-refund-dispute-lost",
        };
        crate::i18n::text(locale, key, &[])
    }
}

/// What decides whether a ticket type can be bought right now.
pub struct Buyable<'a> {
    /// The event's title and the type's name.
    pub title: &'a str,
    pub status: EventStatus,
    /// The organizer is suspended by an admin.
    pub paused: bool,
    pub sale_starts_at: DateTime<Utc>,
    pub sale_ends_at: DateTime<Utc>,
    /// What the type has left, and never more than the event's capacity has left.
    pub available: i32,
    pub max_per_order: i32,
}

impl Buyable<'_> {
    /// Why this listing cannot be bought in this quantity at `now`, if it cannot.
    pub fn problem(&self, quantity: i64, now: DateTime<Utc>) -> Option<CheckoutRefusal> {
        let title = self.title.to_string();
        if self.status != EventStatus::Published {
            Some(CheckoutRefusal::NotOnSale { title })
        } else if self.paused {
            Some(CheckoutRefusal::SalesPaused { title })
        } else if now < self.sale_starts_at {
            Some(CheckoutRefusal::NotOpenYet { title })
        } else if now >= self.sale_ends_at {
            Some(CheckoutRefusal::SaleEnded { title })
        } else if self.available <= 0 {
            Some(CheckoutRefusal::SoldOut { title })
        } else if quantity > i64::from(self.max_per_order) {
            Some(CheckoutRefusal::OverPerOrderMaximum {
                title,
                max: self.max_per_order,
            })
        } else if quantity > i64::from(self.available) {
            Some(CheckoutRefusal::OnlyLeft {
                title,
                left: self.available,
            })
        } else {
            None
        }
    }
}
