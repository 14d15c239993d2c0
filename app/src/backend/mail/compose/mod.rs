//! What each message says: read from the database when it is sent (the outbox
//! row names only the kind and the subject), as HTML with a plain-text
//! alternative: [`orders`] for buyers' orders (a confirmation carries each
//! ticket's QR code as an inline PNG and the events as an `.ics` attachment),
//! [`accounts`] for accounts, organizers and door staff.

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
            MailKind::WaitingListSkipped => self.waiting_list_skipped(db, message.about).await?,
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
        let html = layout(&draft.subject, &draft.html, &self.support_email);
        let alternative = MultiPart::alternative()
            .singlepart(SinglePart::plain(format!(
                "{}\n\n--\nTicket Sales · help: {}\n",
                draft.text, self.support_email
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
fn layout(subject: &str, body: &str, support: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title></head><body style=\"margin:0;padding:0;background:#f8fafc\"><div style=\"max-width:600px;margin:0 auto;padding:16px;font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#0f172a;background:#ffffff\"><p style=\"font-weight:bold;color:#4f46e5;margin:0 0 16px\">Ticket Sales</p>{body}<p style=\"margin-top:32px;font-size:13px;color:#64748b\">Questions? Write to <a href=\"mailto:{}\">{}</a>; we answer within a working day.</p></div></body></html>",
        text(subject),
        attr(support),
        text(support)
    )
}
