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
