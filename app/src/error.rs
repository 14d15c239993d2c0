//! The one error type the UI sees. Server-side failures are logged in full where
//! they happen and reach the browser only as one of these plain messages.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::model::CheckoutRefusal;

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthorized,
    #[error("You do not have access to this page.")]
    Forbidden,
    #[error("We could not find what you were looking for.")]
    NotFound,
    /// An admin suspended the organizer: what changes their events, or takes
    /// buyers' data out, waits until the suspension is lifted.
    #[error(
        "Your organizer account is suspended by an admin, so this is not possible now. Refunds to your buyers and your door still work; write to {support} to have the suspension lifted."
    )]
    Suspended {
        /// The shop's support address (`SUPPORT_EMAIL`).
        support: String,
    },
    /// Bad input: `field` names the form field the message belongs next to.
    #[error("{message}")]
    Invalid {
        field: Option<String>,
        message: String,
    },
    /// Tickets cannot be bought as asked, and why.
    #[error("{0}")]
    Refused(CheckoutRefusal),
    #[error("Too many attempts. Try again in {retry_after_secs} seconds.")]
    RateLimited { retry_after_secs: u64 },
    #[error("{0} is temporarily unavailable. Please try again in a moment.")]
    Unavailable(String),
    /// Valkey is down: sessions and carts live there and may not survive it.
    #[error(
        "Signing in and carts are temporarily unavailable. Please try again in a moment; if your cart is empty then, add your tickets again."
    )]
    SessionsUnavailable,
    #[error(
        "The payment provider could not be reached. Nothing was charged and your seats were released; please try again."
    )]
    PaymentUnavailable,
    /// The payment provider did not answer for a checkout that is still held
    /// (another request of the same buyer may be creating its payment page).
    #[error(
        "Your payment page is still being prepared. Your seats stay reserved; please try again in a moment."
    )]
    CheckoutPending,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The browser could not talk to the server (offline, server restarting).
    #[error("Could not reach the shop. Check your connection and try again.")]
    Network,
    /// An error the server already wrote in the visitor's language (a server
    /// function answering in German or French; see [`AppError::in_language`]).
    #[error("{message}")]
    Said { status: u16, message: String },
}

impl From<CheckoutRefusal> for AppError {
    fn from(refusal: CheckoutRefusal) -> Self {
        Self::Refused(refusal)
    }
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::Unauthorized => 401,
            Self::Forbidden | Self::Suspended { .. } => 403,
            Self::NotFound => 404,
            Self::Invalid { .. } | Self::Refused(_) => 422,
            Self::RateLimited { .. } => 429,
            Self::Unavailable(_)
            | Self::SessionsUnavailable
            | Self::PaymentUnavailable
            | Self::CheckoutPending => 503,
            Self::Internal | Self::Network => 500,
            Self::Said { status, .. } => *status,
        }
    }

    /// The message for a given form field, if this error belongs to it.
    pub fn for_field(&self, name: &str) -> Option<String> {
        match self {
            Self::Invalid {
                field: Some(field),
                message,
            } if field == name => Some(message.clone()),
            _ => None,
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The sentence in `locale`. Field errors keep their own words (the
    /// forms' checks are written in English for now).
    pub fn describe(&self, locale: crate::i18n::Locale) -> String {
        use crate::i18n::text;
        let say = |key: &str| text(locale, key, &[]);
        match self {
            Self::Unauthorized => say("error-unauthorized"),
            Self::Forbidden => say("error-forbidden"),
            Self::NotFound => say("error-not-found"),
            Self::Suspended { support } => text(
                locale,
                "error-suspended",
                &[("support", support.as_str().into())],
            ),
            Self::Invalid { message, .. } | Self::Said { message, .. } => message.clone(),
            Self::Refused(refusal) => refusal.describe(locale),
            Self::RateLimited { retry_after_secs } => text(
                locale,
                "error-rate-limited",
                &[("seconds", (*retry_after_secs as i64).into())],
            ),
            Self::Unavailable(what) => match what.as_str() {
                "The payment provider" => say("error-unavailable-payments"),
                "Storing images" => say("error-unavailable-images"),
                _ => say("error-unavailable-shop"),
            },
            Self::SessionsUnavailable => say("error-sessions-unavailable"),
            Self::PaymentUnavailable => say("error-payment-unavailable"),
            Self::CheckoutPending => say("error-checkout-pending"),
            Self::Internal => say("error-internal"),
            Self::Network => say("error-network"),
        }
    }

    /// What a server function answers a visitor reading `locale`: English
    /// errors keep their kind (clients and tests branch on it); in another
    /// language the sentence is written here, where the messages are, and
    /// travels as [`AppError::Said`] with the same status. The kinds the pages
    /// branch on (signing in, not found, a field's error) keep theirs.
    pub fn in_language(self, locale: crate::i18n::Locale) -> Self {
        match self {
            Self::Unauthorized | Self::Forbidden | Self::NotFound | Self::Invalid { .. } => self,
            _ if locale == crate::i18n::Locale::En => self,
            other => Self::Said {
                status: other.status_code(),
                message: other.describe(locale),
            },
        }
    }
}

#[cfg(feature = "ssr")]
impl CheckoutRefusal {
    /// The sentence in `locale`.
    pub fn describe(&self, locale: crate::i18n::Locale) -> String {
        use crate::i18n::{Arg, text};
        let title = |title: &str| ("title", Arg::from(title));
        match self {
            Self::EmptyCart => text(locale, "refusal-empty-cart", &[]),
            Self::NoLongerExists => text(locale, "refusal-no-longer-exists", &[]),
            Self::NotOnSale { title: t } => text(locale, "refusal-not-on-sale", &[title(t)]),
            Self::NotAdmitted { title: t } => text(locale, "refusal-not-admitted", &[title(t)]),
            Self::SalesPaused { title: t } => text(locale, "refusal-sales-paused", &[title(t)]),
            Self::NotOpenYet { title: t } => text(locale, "refusal-not-open-yet", &[title(t)]),
            Self::SaleEnded { title: t } => text(locale, "refusal-sale-ended", &[title(t)]),
            Self::SoldOut { title: t } => text(locale, "refusal-sold-out", &[title(t)]),
            Self::OverPerOrderMaximum { title: t, max } => text(
                locale,
                "refusal-over-per-order",
                &[title(t), ("max", (*max).into())],
            ),
            Self::OnlyLeft { title: t, left } => text(
                locale,
                "refusal-only-left",
                &[title(t), ("left", (*left).into())],
            ),
            Self::BuyerHoldsMaximum { title: t, have } => text(
                locale,
                "refusal-buyer-holds-maximum",
                &[title(t), ("have", (*have).into())],
            ),
            Self::BuyerMayAdd {
                title: t,
                have,
                max,
                more,
            } => text(
                locale,
                "refusal-buyer-may-add",
                &[
                    title(t),
                    ("have", (*have).into()),
                    ("max", (*max).into()),
                    ("more", (*more).into()),
                ],
            ),
            Self::MixedCurrencies => text(locale, "refusal-mixed-currencies", &[]),
            Self::OverMaximumCharge { most } => text(
                locale,
                "refusal-over-maximum-charge",
                &[("most", crate::i18n::format::money(locale, most).into())],
            ),
            Self::PriceChanged { title: t } => text(locale, "refusal-price-changed", &[title(t)]),
            Self::TryAgain { title: t } => text(locale, "refusal-try-again", &[title(t)]),
            Self::EmailNotVerified { email } => text(
                locale,
                "refusal-email-not-verified",
                &[("email", email.as_str().into())],
            ),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => Self::Network,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => Self::Invalid {
                field: None,
                message: "The form was incomplete. Please check it and try again.".into(),
            },
            _ => Self::Internal,
        }
    }
}
