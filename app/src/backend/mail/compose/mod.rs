//! What each message says: read from the database when it is sent (the outbox
//! row names only the kind and the subject), as HTML with a plain-text
//! alternative: [`orders`] for buyers' orders (a confirmation carries each
//! ticket's QR code as an inline PNG and the events as an `.ics` attachment),
//! [`accounts`] for accounts, organizers and door staff.
//!
//! A buyer's message is written in the language of the account it goes to
//! (`users.locale`, English when none was chosen or there is no account):
//! its words are the `mail-*` Fluent messages, its money and dates come from
//! `i18n::format`. Mails to organizers, door staff and admins are in English.

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use sqlx::PgPool;

mod accounts;
mod orders;

use orders::{OrderMail, UnpaidEnd};

use crate::backend::error::BackendError;
use crate::backend::links::LinkKey;
use crate::backend::outbox::{Claimed, MailKind};
use crate::i18n::{self, Arg, Locale};

/// Why a message could not be put together (never retried: it would fail again).
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("what the message is about no longer exists")]
    Gone,
    #[error("the message could not be built: {0}")]
    Build(String),
    #[error(transparent)]
    Backend(#[from] BackendError),
}

impl From<sqlx::Error> for ComposeError {
    fn from(err: sqlx::Error) -> Self {
        Self::Backend(err.into())
    }
}

/// Everything a message needs besides the database.
#[derive(Debug, Clone)]
pub struct Composer {
    pub from: Mailbox,
    pub base_url: String,
    pub support_email: String,
    pub links: LinkKey,
}

/// A message's words before it becomes MIME.
pub(super) struct Draft {
    /// The language it is written in (the shared layout's too).
    locale: Locale,
    subject: String,
    /// The HTML body's content (wrapped in the shared layout).
    html: String,
    text: String,
    inline_png: Vec<(String, Vec<u8>)>,
    attachments: Vec<(String, ContentType, Vec<u8>)>,
}

impl Composer {
    /// The message for a claimed outbox row, with a `Message-ID` made from the
    /// row's id: sent twice after a crash, it is one message to the receiver.
    pub async fn compose(&self, db: &PgPool, message: &Claimed) -> Result<Message, ComposeError> {
        let draft = match message.kind {
            MailKind::OrderConfirmed
            | MailKind::OrderRefunded
            | MailKind::OrderExpired
            | MailKind::OrderDeclined
            | MailKind::WaitingListOffer => {
                let order = OrderMail::load(db, message.about)
                    .await?
                    .ok_or(ComposeError::Gone)?;
                match message.kind {
                    MailKind::OrderConfirmed => self.confirmation(&order)?,
                    MailKind::OrderRefunded => self.refund(&order),
                    MailKind::WaitingListOffer => self.offer(db, &order).await?,
                    MailKind::OrderDeclined => self.unpaid_end(&order, UnpaidEnd::Declined),
                    _ => self.unpaid_end(&order, UnpaidEnd::Expired),
                }
            }
            MailKind::TicketsRefunded => self.organizer_refund(db, message.about).await?,
            MailKind::DoorInvite => self.door_invite(db, message.about).await?,
            MailKind::WaitingListSkipped => {
                self.waiting_list_skipped(db, message.about, &message.recipient)
                    .await?
            }
            MailKind::ApplicationApproved | MailKind::ApplicationRejected => {
                self.decision(db, message.about).await?
            }
            MailKind::OrganizerSuspended | MailKind::SuspensionLifted => {
                self.suspension(db, message.kind, message.about).await?
            }
            MailKind::VerifyEmail
            | MailKind::ResetPassword
            | MailKind::ChangeEmail
            | MailKind::EmailChanged => self.link(db, message.kind, message.about).await?,
            MailKind::SignUpAttempt => self.sign_up_attempt(db, &message.recipient).await?,
        };
        self.build(message, draft)
    }

    fn build(&self, message: &Claimed, draft: Draft) -> Result<Message, ComposeError> {
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|err| ComposeError::Build(format!("recipient: {err}")))?;
        let domain = self.from.email.domain().to_string();
        let html = layout(
            draft.locale,
            &draft.subject,
            &draft.html,
            &self.support_email,
        );
        let footer = say(
            draft.locale,
            "mail-footer-plain",
            &[("support", self.support_email.as_str().into())],
        );
        let alternative = MultiPart::alternative()
            .singlepart(SinglePart::plain(format!(
                "{}\n\n--\n{footer}\n",
                draft.text
            )))
            .singlepart(SinglePart::html(html));
        let body = if draft.inline_png.is_empty() {
            alternative
        } else {
            let png = ContentType::parse("image/png").expect("a valid content type");
            draft.inline_png.into_iter().fold(
                MultiPart::related().multipart(alternative),
                |related, (cid, bytes)| {
                    related.singlepart(Attachment::new_inline(cid).body(bytes, png.clone()))
                },
            )
        };
        let body = draft.attachments.into_iter().fold(
            MultiPart::mixed().multipart(body),
            |mixed, (name, kind, bytes)| mixed.singlepart(Attachment::new(name).body(bytes, kind)),
        );
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(draft.subject)
            .message_id(Some(format!("<{}@{domain}>", message.id.simple())));
        builder = builder.header(AutoSubmitted);
        builder
            .multipart(body)
            .map_err(|err| ComposeError::Build(err.to_string()))
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): no vacation auto-replies.
#[derive(Clone)]
struct AutoSubmitted;

impl lettre::message::header::Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".into())
    }
}

/// The HTML around every message: one narrow column, readable on a phone.
fn layout(locale: Locale, subject: &str, body: &str, support: &str) -> String {
    let footer = say_html(
        locale,
        "mail-footer",
        &[],
        &[(
            "support",
            format!("<a href=\"mailto:{}\">{}</a>", attr(support), text(support)),
        )],
    );
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title></head><body style=\"margin:0;padding:0;background:#f8fafc\"><div style=\"max-width:600px;margin:0 auto;padding:16px;font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#0f172a;background:#ffffff\"><p style=\"font-weight:bold;color:#4f46e5;margin:0 0 16px\">{}</p>{body}<p style=\"margin-top:32px;font-size:13px;color:#64748b\">{footer}</p></div></body></html>",
        locale.tag(),
        text(subject),
        text(&say(locale, "shop-name", &[]))
    )
}

/// The message `key` in the recipient's language.
pub(super) fn say(locale: Locale, key: &str, args: &[(&str, Arg)]) -> String {
    i18n::text(locale, key, args)
}

/// The message `key` as HTML: its words and `args` escaped, `markup` (a
/// link's start and end, a `<strong>` value) put in as it is.
pub(super) fn say_html(
    locale: Locale,
    key: &str,
    args: &[(&str, Arg)],
    markup: &[(&str, String)],
) -> String {
    // Private-use characters stand for the markup while the words are escaped.
    let marker = |i: usize| format!("\u{e000}{i}\u{e001}");
    let mut all = args.to_vec();
    all.extend(
        markup
            .iter()
            .enumerate()
            .map(|(i, (name, _))| (*name, Arg::Text(marker(i)))),
    );
    let mut html = text(&say(locale, key, &all)).into_owned();
    for (i, (_, fragment)) in markup.iter().enumerate() {
        html = html.replace(&marker(i), fragment);
    }
    html
}

/// "Hello Ada," as the first paragraph's HTML.
pub(super) fn hello_html(locale: Locale, name: &str) -> String {
    text(&hello(locale, name)).into_owned()
}

/// "Hello Ada,".
pub(super) fn hello(locale: Locale, name: &str) -> String {
    say(locale, "mail-hello", &[("name", name.into())])
}

/// "Label: value" (a link, an amount) in the plain-text part.
pub(super) fn labelled(locale: Locale, label: &str, value: &str) -> String {
    say(
        locale,
        "mail-label-value",
        &[("label", label.into()), ("value", value.into())],
    )
}

/// `value`, escaped, in bold.
pub(super) fn strong(value: &str) -> String {
    format!("<strong>{}</strong>", text(value))
}

/// A link's start and end, as `$link` and `$link-end` of a message.
pub(super) fn link_markup(href: &str) -> [(&'static str, String); 2] {
    [
        ("link", format!("<a href=\"{}\">", attr(href))),
        ("link-end", "</a>".to_string()),
    ]
}

/// The language the account `user` chose (English when it chose none).
pub(super) async fn locale_of(db: &PgPool, user: uuid::Uuid) -> Result<Locale, ComposeError> {
    Ok(crate::backend::accounts::locale_of(db, user)
        .await?
        .unwrap_or_default())
}

/// The language of the account with the address `email` (English when
/// there is none).
pub(super) async fn locale_at(db: &PgPool, email: &str) -> Result<Locale, ComposeError> {
    match crate::backend::db::users::by_email(db, email).await? {
        Some(user) => locale_of(db, user.id).await,
        None => Ok(Locale::En),
    }
}
