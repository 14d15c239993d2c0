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
    /// How a field's refusal travels to the browser; written in English
    /// where it is made (organizer and admin forms) or by
    /// [`AppError::in_language`] from an [`AppError::Input`].
    #[error("{message}")]
    Invalid {
        field: Option<String>,
        message: String,
    },
    /// Bad input a buyer can meet, typed: `field` names the form field it
    /// belongs next to (none: the form as a whole). It leaves the server as
    /// [`AppError::Invalid`] with the sentence in the visitor's language, so
    /// the browser never reads one (and its wasm carries no decoder for it).
    #[error("{refusal}")]
    #[serde(skip_deserializing)]
    Input {
        field: Option<String>,
        refusal: InputRefusal,
    },
    /// Tickets cannot be bought as asked, and why.
    #[error("{0}")]
    Refused(CheckoutRefusal),
    #[error("Too many attempts. Try again in {retry_after_secs} seconds.")]
    RateLimited { retry_after_secs: u64 },
    #[error("{0} is temporarily unavailable. Please try again in a moment.")]
    Unavailable(Service),
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

/// What is temporarily unavailable ([`AppError::Unavailable`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Service {
    /// The database (or the shop as a whole).
    #[error("The shop")]
    Shop,
    /// Stripe.
    #[error("The payment provider")]
    Payments,
    /// The cover store.
    #[error("Storing images")]
    Images,
}

impl Service {
    /// The message that says it is unavailable.
    pub fn key(self) -> &'static str {
        match self {
            Self::Shop => "error-unavailable-shop",
            Self::Payments => "error-unavailable-payments",
            Self::Images => "error-unavailable-images",
        }
    }
}

/// What a buyer typed or sent that the shop refuses: the checks of the
/// sign-up, sign-in and account forms, the cart and the waiting list. The code
/// decides with these; [`InputRefusal::describe`] writes the sentence in the
/// visitor's language (messages `input-*`). Organizer and admin forms still
/// refuse in English words ([`AppError::invalid`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InputRefusal {
    EmailMissing,
    EmailMalformed,
    PasswordTooShort {
        min: u32,
    },
    PasswordTooLong {
        max: u32,
    },
    NameMissing,
    NameTooLong {
        max: u32,
    },
    /// The new address is the one the account has.
    SameEmail,
    /// The current password, asked again before a change, is wrong.
    WrongCurrentPassword,
    /// Signing in: no account with this address and password.
    WrongCredentials,
    AlreadyConfirmed,
    /// A mailed link: not ours, or not whole.
    LinkNotValid,
    LinkExpired,
    LinkUsed,
    /// A confirmation link for an address the account changed since.
    LinkForOldAddress,
    /// The cart has `most` lines already.
    CartFull {
        most: u32,
    },
    /// A cart form that asks for no ticket at all.
    NoQuantity,
    QuantityOutOfRange {
        most: u32,
    },
    /// The waiting list of a ticket that is not sold any more.
    NoLongerOnSale,
    /// A waiting list place for more than an order may hold.
    WaitingQuantity {
        most: u32,
    },
    NotSoldOut {
        title: String,
    },
    AlreadyWaiting {
        title: String,
    },
    NotWaiting,
    /// A pending order the buyer cancels was paid in the meantime.
    AlreadyPaid,
    /// Paid tickets the buyer cancels are past the organizer's policy.
    NotCancellable,
    /// Cancelling gives `now` back, not what the buyer was shown.
    CancelAmountChanged {
        now: crate::model::Money,
    },
    /// A value the database refused itself (a NUL character, a number out of range).
    Unreadable,
}

impl InputRefusal {
    /// The message that says it (what an island looks its words up by).
    pub fn key(&self) -> &'static str {
        match self {
            Self::EmailMissing => "input-email-missing",
            Self::EmailMalformed => "input-email-malformed",
            Self::PasswordTooShort { .. } => "input-password-too-short",
            Self::PasswordTooLong { .. } => "input-password-too-long",
            Self::NameMissing => "input-name-missing",
            Self::NameTooLong { .. } => "input-name-too-long",
            Self::SameEmail => "input-same-email",
            Self::WrongCurrentPassword => "input-wrong-current-password",
            Self::WrongCredentials => "input-wrong-credentials",
            Self::AlreadyConfirmed => "input-already-confirmed",
            Self::LinkNotValid => "input-link-not-valid",
            Self::LinkExpired => "input-link-expired",
            Self::LinkUsed => "input-link-used",
            Self::LinkForOldAddress => "input-link-for-old-address",
            Self::CartFull { .. } => "input-cart-full",
            Self::NoQuantity => "input-no-quantity",
            Self::QuantityOutOfRange { .. } => "input-quantity-out-of-range",
            Self::NoLongerOnSale => "input-no-longer-on-sale",
            Self::WaitingQuantity { .. } => "input-waiting-quantity",
            Self::NotSoldOut { .. } => "input-not-sold-out",
            Self::AlreadyWaiting { .. } => "input-already-waiting",
            Self::NotWaiting => "input-not-waiting",
            Self::AlreadyPaid => "input-already-paid",
            Self::NotCancellable => "input-not-cancellable",
            Self::CancelAmountChanged { .. } => "input-cancel-amount-changed",
            Self::Unreadable => "input-unreadable",
        }
    }

    /// The values its message names.
    pub fn args(&self) -> Vec<(&'static str, crate::i18n::Arg)> {
        match self {
            Self::PasswordTooShort { min } => vec![("min", (*min).into())],
            Self::PasswordTooLong { max } | Self::NameTooLong { max } => {
                vec![("max", (*max).into())]
            }
            Self::CartFull { most }
            | Self::QuantityOutOfRange { most }
            | Self::WaitingQuantity { most } => vec![("most", (*most).into())],
            Self::NotSoldOut { title } | Self::AlreadyWaiting { title } => {
                vec![("title", title.as_str().into())]
            }
            _ => Vec::new(),
        }
    }

    /// The sentence in `locale`.
    #[cfg(feature = "ssr")]
    pub fn describe(&self, locale: crate::i18n::Locale) -> String {
        let mut args = self.args();
        // Money is written as the language writes it.
        if let Self::CancelAmountChanged { now } = self {
            args.push(("now", crate::i18n::format::money(locale, now).into()));
        }
        crate::i18n::text(locale, self.key(), &args)
    }
}

/// English on the server (logs, tests); in the browser, which holds no
/// messages, its key (islands show the words the server sent them instead).
impl std::fmt::Display for InputRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        #[cfg(feature = "ssr")]
        {
            f.write_str(&self.describe(crate::i18n::Locale::En))
        }
        #[cfg(not(feature = "ssr"))]
        {
            f.write_str(self.key())
        }
    }
}

impl From<CheckoutRefusal> for AppError {
    fn from(refusal: CheckoutRefusal) -> Self {
        Self::Refused(refusal)
    }
}

impl AppError {
    /// A field's refusal in English words (organizer and admin forms).
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A form's optional whole number: `None` when left empty, the number
    /// when it lies in `range`, else `field`'s refusal with `message`.
    pub fn optional_whole(
        raw: &str,
        range: std::ops::RangeInclusive<i32>,
        field: &str,
        message: &str,
    ) -> Result<Option<i32>, Self> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        raw.parse::<i32>()
            .ok()
            .filter(|n| range.contains(n))
            .map(Some)
            .ok_or_else(|| Self::invalid(field, message))
    }

    /// A buyer's field refusal, written in their language on the way out.
    pub fn input(field: impl Into<String>, refusal: InputRefusal) -> Self {
        Self::Input {
            field: Some(field.into()),
            refusal,
        }
    }

    /// A refusal of a buyer's form as a whole (no one field to show it beside).
    pub fn input_refused(refusal: InputRefusal) -> Self {
        Self::Input {
            field: None,
            refusal,
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::Unauthorized => 401,
            Self::Forbidden | Self::Suspended { .. } => 403,
            Self::NotFound => 404,
            Self::Invalid { .. } | Self::Input { .. } | Self::Refused(_) => 422,
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
            Self::Input {
                field: Some(field),
                refusal,
            } if field == name => Some(refusal.to_string()),
            _ => None,
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The sentence in `locale`. [`AppError::Invalid`] keeps its own words
    /// (the organizer's and admin's forms are written in English for now).
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
            Self::Input { refusal, .. } => refusal.describe(locale),
            Self::Refused(refusal) => refusal.describe(locale),
            Self::RateLimited { retry_after_secs } => text(
                locale,
                "error-rate-limited",
                &[("seconds", (*retry_after_secs as i64).into())],
            ),
            Self::Unavailable(service) => say(service.key()),
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
    /// branch on (signing in, not found, a field's error) keep theirs; a
    /// buyer's [`AppError::Input`] becomes [`AppError::Invalid`] with the same
    /// field, in every language (the browser holds no messages to write it).
    pub fn in_language(self, locale: crate::i18n::Locale) -> Self {
        match self {
            Self::Input { field, refusal } => Self::Invalid {
                field,
                message: refusal.describe(locale),
            },
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
            Self::CodeNotAccepted { code } => text(
                locale,
                "refusal-code-not-accepted",
                &[("code", Arg::from(code.as_str()))],
            ),
            Self::PresaleOnly { title: t } => text(locale, "refusal-presale-only", &[title(t)]),
            Self::CodeUsedUpByBuyer { code, most } => text(
                locale,
                "refusal-code-used-up-by-buyer",
                &[
                    ("code", Arg::from(code.as_str())),
                    ("most", Arg::from(*most)),
                ],
            ),
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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    /// One of each refusal, for the checks below.
    fn every_refusal() -> Vec<InputRefusal> {
        use InputRefusal::*;
        let title = || "Admission".to_string();
        vec![
            EmailMissing,
            EmailMalformed,
            PasswordTooShort { min: 8 },
            PasswordTooLong { max: 128 },
            NameMissing,
            NameTooLong { max: 100 },
            SameEmail,
            WrongCurrentPassword,
            WrongCredentials,
            AlreadyConfirmed,
            LinkNotValid,
            LinkExpired,
            LinkUsed,
            LinkForOldAddress,
            CartFull { most: 20 },
            NoQuantity,
            QuantityOutOfRange { most: 100 },
            NoLongerOnSale,
            WaitingQuantity { most: 4 },
            NotSoldOut { title: title() },
            AlreadyWaiting { title: title() },
            NotWaiting,
            AlreadyPaid,
            Unreadable,
            NotCancellable,
            CancelAmountChanged {
                now: crate::model::Currency::from_stored("EUR".into()).amount(2550),
            },
        ]
    }

    #[test]
    fn every_input_refusal_is_written_in_every_language() {
        for refusal in every_refusal() {
            let english = refusal.describe(Locale::En);
            assert_ne!(english, refusal.key(), "{refusal:?} has no message");
            assert!(!english.contains('{'), "{refusal:?}: {english}");
            for locale in [Locale::De, Locale::Fr] {
                let said = refusal.describe(locale);
                assert_ne!(said, english, "{refusal:?} untranslated in {locale:?}");
                for (_, value) in refusal.args() {
                    if let crate::i18n::Arg::Text(value) = value {
                        assert!(said.contains(&value), "{refusal:?} in {locale:?}: {said}");
                    }
                }
            }
        }
        assert_eq!(
            InputRefusal::NotSoldOut {
                title: "Admission".into()
            }
            .to_string(),
            "Admission is not sold out: you can buy it now."
        ); // Money as each language writes it, English as it was.
        let changed = InputRefusal::CancelAmountChanged {
            now: crate::model::Currency::from_stored("EUR".into()).amount(2550),
        };
        assert!(
            changed
                .to_string()
                .starts_with("Cancelling now gives €25.50 back")
        );
        assert!(changed.describe(Locale::De).contains("25,50\u{a0}€"));
    }

    #[test]
    fn a_buyers_field_refusal_leaves_as_a_field_error_in_their_language() {
        let err = AppError::input("password", InputRefusal::PasswordTooShort { min: 8 });
        assert_eq!(err.status_code(), 422);
        assert_eq!(
            err.clone().in_language(Locale::En),
            AppError::invalid("password", "Use at least 8 characters.")
        );
        assert_eq!(
            err.clone().in_language(Locale::De),
            AppError::invalid("password", "Verwenden Sie mindestens 8 Zeichen.")
        );
        assert_eq!(
            err.in_language(Locale::Fr),
            AppError::invalid("password", "Utilisez au moins 8 caractères.")
        );
        assert_eq!(
            AppError::input_refused(InputRefusal::WrongCredentials).in_language(Locale::De),
            AppError::Invalid {
                field: None,
                message: "E-Mail-Adresse oder Passwort ist falsch.".into()
            }
        );
    }

    #[test]
    fn what_is_unavailable_is_typed_and_keeps_its_sentences() {
        for (service, english) in [
            (
                Service::Shop,
                "The shop is temporarily unavailable. Please try again in a moment.",
            ),
            (
                Service::Payments,
                "The payment provider is temporarily unavailable. Please try again in a moment.",
            ),
            (
                Service::Images,
                "Storing images is temporarily unavailable. Please try again in a moment.",
            ),
        ] {
            let err = AppError::Unavailable(service);
            assert_eq!(err.to_string(), english);
            assert_eq!(err.describe(Locale::En), english);
            assert_ne!(err.describe(Locale::De), english);
            assert_eq!(err.status_code(), 503);
            let wire = serde_json::to_string(&err).unwrap();
            assert_eq!(serde_json::from_str::<AppError>(&wire).unwrap(), err);
        }
        assert_eq!(
            serde_json::to_string(&AppError::Unavailable(Service::Payments)).unwrap(),
            r#"{"Unavailable":"Payments"}"#
        );
    }
}
