//! What each message says: read from the database when it is sent (the outbox
//! row names only the kind and the subject), as HTML with a plain-text
//! alternative. An order confirmation carries each ticket's QR code as an
//! inline PNG and the events as an `.ics` attachment.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use sqlx::PgPool;
use uuid::Uuid;

use super::links::{LinkKey, LinkPurpose};
use super::outbox::{Claimed, MailKind};
use crate::backend::BackendError;
use crate::backend::zones::venue_time;
use crate::model::{
    ApplicationStatus, Currency, Money, OrderLineView, SkipReason, VenueTime, order_reference,
};

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
struct Draft {
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
            | MailKind::WaitingListOffer => {
                let order = OrderMail::load(db, message.about)
                    .await?
                    .ok_or(ComposeError::Gone)?;
                match message.kind {
                    MailKind::OrderConfirmed => self.confirmation(&order)?,
                    MailKind::OrderRefunded => self.refund(&order),
                    MailKind::WaitingListOffer => self.offer(db, &order).await?,
                    _ => self.expiry(&order),
                }
            }
            MailKind::TicketsRefunded => self.organizer_refund(db, message.about).await?,
            MailKind::DoorInvite => self.door_invite(db, message.about).await?,
            MailKind::WaitingListSkipped => self.waiting_list_skipped(db, message.about).await?,
            MailKind::ApplicationApproved | MailKind::ApplicationRejected => {
                self.decision(db, message.about).await?
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

    fn confirmation(&self, order: &OrderMail) -> Result<Draft, ComposeError> {
        let mut html = String::new();
        let mut plain = String::new();
        let _ = write!(
            html,
            "<p>Hello {},</p><p>Your order <strong>{}</strong> is confirmed. Show the QR code of each ticket at the door; each one admits one person, once.</p>",
            text(&order.buyer_name),
            order.reference
        );
        let _ = writeln!(
            plain,
            "Hello {},\n\nYour order {} is confirmed. Show the QR code of each ticket at the door; each one admits one person, once.\n",
            order.buyer_name, order.reference
        );
        let mut inline = Vec::new();
        for event in &order.events {
            let _ = write!(
                html,
                "<h2 style=\"font-size:18px;margin:24px 0 4px\">{}</h2><p style=\"margin:0 0 12px;color:#475569\">{}<br>{}</p>",
                text(&event.title),
                text(&event.starts.label()),
                text(&event.venue)
            );
            let _ = writeln!(
                plain,
                "{}\n{}\n{}\n",
                event.title,
                event.starts.label(),
                event.venue
            );
            for pass in order.passes.iter().filter(|p| p.event_id == event.id) {
                let cid = format!("ticket-{}@ticket-sales", pass.id.simple());
                inline.push((cid.clone(), qr_png(&pass.code)?));
                let link = self.url(&format!("/passes/{}", pass.id));
                let _ = write!(
                    html,
                    "<table role=\"presentation\" style=\"width:100%;border:1px solid #e2e8f0;border-radius:8px;margin:0 0 12px\"><tr><td style=\"padding:12px;vertical-align:top\"><strong>{} · ticket {} of {}</strong><br><a href=\"{}\">Open this ticket</a><br><span style=\"font-family:monospace;font-size:11px;color:#64748b\">{}</span></td><td style=\"padding:12px;width:160px\"><img src=\"cid:{}\" width=\"160\" height=\"160\" alt=\"QR code of ticket {}\" style=\"display:block\"></td></tr></table>",
                    text(&pass.type_name),
                    pass.seat_no,
                    order.seats,
                    attr(&link),
                    text(&pass.code),
                    attr(&cid),
                    pass.seat_no
                );
                let _ = writeln!(
                    plain,
                    "  {} · ticket {} of {}: {}",
                    pass.type_name, pass.seat_no, order.seats, link
                );
            }
        }
        html.push_str(&lines_table(order));
        let _ = writeln!(plain, "\n{}", lines_text(order));
        let order_link = self.url(&format!("/orders/{}", order.id));
        let _ = write!(
            html,
            "<p>Your order and tickets are also on <a href=\"{}\">your order page</a>. The attached calendar file adds the event to your calendar.</p>",
            attr(&order_link)
        );
        let _ = writeln!(
            plain,
            "Your order and tickets: {order_link}\nThe attached calendar file adds the event to your calendar."
        );
        let calendar = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
            .expect("a valid content type");
        Ok(Draft {
            subject: match order.events.as_slice() {
                [one] => format!("Your tickets for {}", one.title),
                _ => format!("Your tickets (order {})", order.reference),
            },
            html,
            text: plain,
            inline_png: inline,
            attachments: vec![(
                "event.ics".into(),
                calendar,
                calendar_file(order, &self.base_url).into_bytes(),
            )],
        })
    }

    fn refund(&self, order: &OrderMail) -> Draft {
        let reason = order
            .refund_reason
            .clone()
            .unwrap_or_else(|| "Your order was refunded.".into());
        let link = self.url(&format!("/orders/{}", order.id));
        Draft {
            subject: format!("Refund for order {}", order.reference),
            html: format!(
                "<p>Hello {},</p><p>{}</p><p>{} goes back to the card you paid with; banks usually show it within 5–10 days. The tickets of this order no longer admit.</p>{}<p><a href=\"{}\">See the order</a></p>",
                text(&order.buyer_name),
                text(&reason),
                text(&order.total.to_string()),
                lines_table(order),
                attr(&link)
            ),
            text: format!(
                "Hello {},\n\n{}\n\n{} goes back to the card you paid with; banks usually show it within 5-10 days. The tickets of this order no longer admit.\n\n{}\nSee the order: {}",
                order.buyer_name,
                reason,
                order.total,
                lines_text(order),
                link
            ),
            inline_png: Vec::new(),
            attachments: Vec::new(),
        }
    }

    /// A refund an organizer made: which tickets, how much, why.
    async fn organizer_refund(&self, db: &PgPool, refund: Uuid) -> Result<Draft, ComposeError> {
        let r = sqlx::query!(
            "SELECT order_id, amount_minor, reason FROM refunds WHERE id = $1",
            refund
        )
        .fetch_optional(db)
        .await?
        .ok_or(ComposeError::Gone)?;
        let order = OrderMail::load(db, r.order_id)
            .await?
            .ok_or(ComposeError::Gone)?;
        let tickets = sqlx::query!(
            r#"SELECT e.title, t.name AS type_name, p.seat_no
               FROM refund_passes rp JOIN passes p ON p.id = rp.pass_id
               JOIN ticket_types t ON t.id = p.ticket_type_id JOIN events e ON e.id = t.event_id
               WHERE rp.refund_id = $1 ORDER BY p.seat_no"#,
            refund
        )
        .fetch_all(db)
        .await?;
        let amount = order.total.currency.amount(r.amount_minor);
        let link = self.url(&format!("/orders/{}", order.id));
        let mut list_html = String::from("<ul>");
        let mut list_text = String::new();
        for t in &tickets {
            let _ = write!(
                list_html,
                "<li>{} · {} · ticket {}</li>",
                text(&t.title),
                text(&t.type_name),
                t.seat_no
            );
            let _ = writeln!(
                list_text,
                "- {} · {} · ticket {}",
                t.title, t.type_name, t.seat_no
            );
        }
        list_html.push_str("</ul>");
        let free = r.amount_minor == 0;
        let (subject, money_html, money_text) = if free {
            (
                format!("Tickets cancelled (order {})", order.reference),
                "These free tickets were cancelled.".to_string(),
                "These free tickets were cancelled.".to_string(),
            )
        } else {
            (
                format!("Refund for order {}", order.reference),
                format!(
                    "{} goes back to the card you paid with; banks usually show it within 5–10 days.",
                    text(&amount.to_string())
                ),
                format!(
                    "{amount} goes back to the card you paid with; banks usually show it within 5-10 days."
                ),
            )
        };
        // Part of the payment refunded with no ticket (in Stripe's dashboard).
        let (lead_html, lead_text) = if tickets.is_empty() {
            (
                "<p>The organizer refunded part of your payment; your tickets still admit.</p>"
                    .to_string(),
                "The organizer refunded part of your payment; your tickets still admit.\n"
                    .to_string(),
            )
        } else {
            (
                format!(
                    "<p>The organizer refunded these tickets, which no longer admit:</p>{list_html}"
                ),
                format!(
                    "The organizer refunded these tickets, which no longer admit:\n{list_text}"
                ),
            )
        };
        Ok(Draft {
            subject,
            html: format!(
                "<p>Hello {},</p>{lead_html}<p>The reason given: {}</p><p>{money_html}</p><p><a href=\"{}\">See the order</a></p>",
                text(&order.buyer_name),
                text(&r.reason),
                attr(&link)
            ),
            text: format!(
                "Hello {},\n\n{lead_text}\nThe reason given: {}\n\n{money_text}\n\nSee the order: {link}",
                order.buyer_name, r.reason
            ),
            inline_png: Vec::new(),
            attachments: Vec::new(),
        })
    }

    async fn door_invite(&self, db: &PgPool, invitation: Uuid) -> Result<Draft, ComposeError> {
        let i = sqlx::query!(
            r#"SELECT e.title, e.starts_at, e.time_zone, e.venue, u.name AS organizer, s.email
               FROM door_staff s JOIN events e ON e.id = s.event_id JOIN users u ON u.id = s.invited_by
               WHERE s.id = $1"#,
            invitation
        )
        .fetch_optional(db)
        .await?
        .ok_or(ComposeError::Gone)?;
        let link = format!(
            "{}/door-invite?token={}",
            self.base_url,
            self.links.token(invitation)
        );
        let when = venue_time(i.starts_at, &i.time_zone).label();
        Ok(Draft {
            subject: format!("Check tickets in at {}", i.title),
            html: format!(
                "<p>Hello,</p><p>{} invites you to check tickets in at the door of <strong>{}</strong> ({}, {}).</p><p><a href=\"{}\">Accept the invitation</a></p><p style=\"color:#475569;font-size:13px\">Sign in (or create an account) with {} to accept; the link works for 7 days. You will see that event's door page and nothing else.</p>",
                text(&i.organizer),
                text(&i.title),
                text(&when),
                text(&i.venue),
                attr(&link),
                text(&i.email)
            ),
            text: format!(
                "Hello,\n\n{} invites you to check tickets in at the door of {} ({}, {}).\n\nAccept the invitation: {link}\n\nSign in (or create an account) with {} to accept; the link works for 7 days. You will see that event's door page and nothing else.",
                i.organizer, i.title, when, i.venue, i.email
            ),
            inline_png: Vec::new(),
            attachments: Vec::new(),
        })
    }

    /// Someone signed up with an address that has an account: its owner hears
    /// of it (the sign-up form said nothing), with the ways in.
    async fn sign_up_attempt(&self, db: &PgPool, recipient: &str) -> Result<Draft, ComposeError> {
        let name = sqlx::query_scalar!("SELECT name FROM users WHERE email = $1", recipient)
            .fetch_optional(db)
            .await?
            .ok_or(ComposeError::Gone)?;
        let (sign_in, reset) = (self.url("/signin"), self.url("/forgot-password"));
        Ok(Draft {
            subject: "You already have a Ticket Sales account".into(),
            html: format!(
                "<p>Hello {},</p><p>Someone (we hope you) tried to create a Ticket Sales account with this address, which has one already. Nothing was changed.</p><p><a href=\"{}\">Sign in</a> · <a href=\"{}\">Forgot your password?</a></p><p style=\"color:#475569;font-size:13px\">If it was not you, you can ignore this message.</p>",
                text(&name),
                attr(&sign_in),
                attr(&reset)
            ),
            text: format!(
                "Hello {name},\n\nSomeone (we hope you) tried to create a Ticket Sales account with this address, which has one already. Nothing was changed.\n\nSign in: {sign_in}\nForgot your password? {reset}\n\nIf it was not you, you can ignore this message."
            ),
            inline_png: Vec::new(),
            attachments: Vec::new(),
        })
    }

    /// Seats came back, but the buyer next on the list could not take them.
    async fn waiting_list_skipped(&self, db: &PgPool, entry: Uuid) -> Result<Draft, ComposeError> {
        let w = sqlx::query!(
            r#"SELECT u.name, e.title, e.id AS event, t.name AS type_name, t.max_per_order,
                      w.skip_reason AS "reason?"
               FROM waiting_list w JOIN users u ON u.id = w.user_id
               JOIN ticket_types t ON t.id = w.ticket_type_id JOIN events e ON e.id = t.event_id
               WHERE w.id = $1 AND w.status = 'skipped'"#,
            entry
        )
        .fetch_optional(db)
        .await?
        .ok_or(ComposeError::Gone)?;
        let why = match w.reason.as_deref().and_then(SkipReason::parse) {
            Some(SkipReason::HoldsMaximum) => format!(
                "you already hold the most {} tickets one buyer may ({})",
                w.type_name, w.max_per_order
            ),
            Some(SkipReason::OtherOrder) => {
                "another order of yours was waiting for payment, and one order at a time can be held".to_string()
            }
            None => return Err(ComposeError::Gone),
        };
        let link = self.url(&format!("/events/{}", w.event));
        Ok(Draft {
            subject: format!("Your place on the waiting list for {}", w.title),
            html: format!(
                "<p>Hello {},</p><p>Seats of <strong>{}</strong> came back for <strong>{}</strong> and it was your turn, but {}. So they were offered to the next person waiting, and you are no longer on the list.</p><p><a href=\"{}\">See the event</a> to buy what is on sale or join the list again.</p>",
                text(&w.name),
                text(&w.type_name),
                text(&w.title),
                text(&why),
                attr(&link)
            ),
            text: format!(
                "Hello {},\n\nSeats of {} came back for {} and it was your turn, but {}. So they were offered to the next person waiting, and you are no longer on the list.\n\nSee the event to buy what is on sale or join the list again: {link}",
                w.name, w.type_name, w.title, why
            ),
            inline_png: Vec::new(),
            attachments: Vec::new(),
        })
    }

    /// Seats came back for a buyer on a waiting list: they are held until the
    /// offer ends, and paying is one click from the cart.
    async fn offer(&self, db: &PgPool, order: &OrderMail) -> Result<Draft, ComposeError> {
        let held = sqlx::query!(
            "SELECT o.reserved_until, e.time_zone FROM orders o
             JOIN order_items i ON i.order_id = o.id JOIN ticket_types t ON t.id = i.ticket_type_id
             JOIN events e ON e.id = t.event_id
             WHERE o.id = $1 LIMIT 1",
            order.id
        )
        .fetch_optional(db)
        .await?
        .ok_or(ComposeError::Gone)?;
        let event = order.events.first().ok_or(ComposeError::Gone)?;
        let until = venue_time(held.reserved_until, &held.time_zone).label();
        let link = self.url("/cart");
        let (mut list_html, mut list_text) = (String::from("<ul>"), String::new());
        for line in &order.lines {
            let _ = write!(
                list_html,
                "<li>{} × {} · {}</li>",
                line.quantity,
                text(&line.title),
                text(&line.type_name)
            );
            let _ = writeln!(
                list_text,
                "- {} × {} · {}",
                line.quantity, line.title, line.type_name
            );
        }
        list_html.push_str("</ul>");
        Ok(Draft {
            subject: format!("Tickets for {} are held for you", event.title),
            html: format!(
                r#"<p>Hello {},</p><p>Seats came back for <strong>{}</strong> and you are next on the waiting list. They are held for you until <strong>{}</strong> ({}):</p>{list_html}<p><a href="{}">Pay for them now</a></p><p style="color:#475569;font-size:13px">If you do not pay by then, they go to the next person waiting.</p>"#,
                text(&order.buyer_name),
                text(&event.title),
                text(&until),
                text(&order.total.to_string()),
                attr(&link)
            ),
            text: format!(
                "Hello {},\n\nSeats came back for {} and you are next on the waiting list. They are held for you until {} ({}):\n{list_text}\nPay for them now: {link}\n\nIf you do not pay by then, they go to the next person waiting.",
                order.buyer_name, event.title, until, order.total
            ),
            inline_png: Vec::new(),
            attachments: Vec::new(),
        })
    }

    fn expiry(&self, order: &OrderMail) -> Draft {
        let event_links: Vec<(String, String)> = order
            .events
            .iter()
            .map(|e| (e.title.clone(), self.url(&format!("/events/{}", e.id))))
            .collect();
        let mut html = format!(
            "<p>Hello {},</p><p>The tickets you reserved in order {} were held for you, but no payment arrived in time, so they have gone back on sale. Nothing was charged.</p>",
            text(&order.buyer_name),
            order.reference
        );
        let mut plain = format!(
            "Hello {},\n\nThe tickets you reserved in order {} were held for you, but no payment arrived in time, so they have gone back on sale. Nothing was charged.\n\n",
            order.buyer_name, order.reference
        );
        for (title, link) in &event_links {
            let _ = write!(
                html,
                "<p><a href=\"{}\">Get tickets for {}</a></p>",
                attr(link),
                text(title)
            );
            let _ = writeln!(plain, "Get tickets for {title}: {link}");
        }
        Draft {
            subject: format!("Your reservation {} has expired", order.reference),
            html,
            text: plain,
            inline_png: Vec::new(),
            attachments: Vec::new(),
        }
    }

    async fn decision(&self, db: &PgPool, application: Uuid) -> Result<Draft, ComposeError> {
        let a = sqlx::query!(
            r#"SELECT u.name, a.org_name, a.status AS "status: ApplicationStatus", a.reason
               FROM organizer_applications a JOIN users u ON u.id = a.user_id WHERE a.id = $1"#,
            application
        )
        .fetch_optional(db)
        .await?
        .ok_or(ComposeError::Gone)?;
        let organizer = self.url("/organizer");
        let apply_again = self.url("/account");
        Ok(if a.status == ApplicationStatus::Approved {
            Draft {
                subject: format!("{} can now sell tickets", a.org_name),
                html: format!(
                    "<p>Hello {},</p><p>Your application to sell tickets as <strong>{}</strong> was approved. You can create your first event now.</p><p><a href=\"{}\">Open the organizer pages</a></p>",
                    text(&a.name),
                    text(&a.org_name),
                    attr(&organizer)
                ),
                text: format!(
                    "Hello {},\n\nYour application to sell tickets as {} was approved. You can create your first event now: {}",
                    a.name, a.org_name, organizer
                ),
                inline_png: Vec::new(),
                attachments: Vec::new(),
            }
        } else {
            let reason = a.reason.unwrap_or_default();
            Draft {
                subject: format!("Your application for {}", a.org_name),
                html: format!(
                    "<p>Hello {},</p><p>Your application to sell tickets as <strong>{}</strong> was not approved.</p><p>The reason given: {}</p><p>You may apply again from <a href=\"{}\">your account</a>.</p>",
                    text(&a.name),
                    text(&a.org_name),
                    text(&reason),
                    attr(&apply_again)
                ),
                text: format!(
                    "Hello {},\n\nYour application to sell tickets as {} was not approved.\n\nThe reason given: {}\n\nYou may apply again from your account: {}",
                    a.name, a.org_name, reason, apply_again
                ),
                inline_png: Vec::new(),
                attachments: Vec::new(),
            }
        })
    }

    async fn link(&self, db: &PgPool, kind: MailKind, link: Uuid) -> Result<Draft, ComposeError> {
        let l = sqlx::query!(
            r#"SELECT u.name, u.email AS current, l.email, l.purpose AS "purpose: LinkPurpose", l.expires_at
               FROM email_links l JOIN users u ON u.id = l.user_id WHERE l.id = $1"#,
            link
        )
        .fetch_optional(db)
        .await?
        .ok_or(ComposeError::Gone)?;
        let url = self.links.url(&self.base_url, l.purpose, link);
        let hours = ((l.expires_at - Utc::now()).num_minutes().max(0) + 59) / 60;
        let lasts = match hours {
            ..=1 => "one hour".to_string(),
            2..=48 => format!("{hours} hours"),
            _ => format!("{} days", hours / 24),
        };
        let changed;
        let (subject, lead, button, after) = match kind {
            MailKind::EmailChanged => {
                changed = format!(
                    "The address of your Ticket Sales account was just changed to {}. If you did that, there is nothing to do.",
                    l.current
                );
                (
                    "Your account's email address was changed",
                    changed.as_str(),
                    "This was not me: restore my address",
                    "The button puts this address back, signs out everyone using the account and sends you a link to choose a new password.",
                )
            }
            MailKind::ResetPassword => (
                "Reset your password",
                "Someone (we hope you) asked to reset the password of your Ticket Sales account.",
                "Choose a new password",
                "If you did not ask for this, ignore this message: your password stays as it is. Resetting it signs you out everywhere else.",
            ),
            MailKind::ChangeEmail => (
                "Confirm your new email address",
                "You asked to use this address for your Ticket Sales account.",
                "Use this address",
                "Until you confirm, your account keeps its current address.",
            ),
            _ => (
                "Confirm your email address",
                "Welcome to Ticket Sales. Confirm that this address is yours to buy tickets.",
                "Confirm my address",
                "If you did not sign up, ignore this message.",
            ),
        };
        Ok(Draft {
            subject: subject.into(),
            html: format!(
                "<p>Hello {},</p><p>{lead}</p><p><a href=\"{}\" style=\"display:inline-block;background:#4f46e5;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none\">{button}</a></p><p style=\"color:#475569;font-size:13px\">The link works once, for {lasts}. If the button does not work, copy this address into your browser:<br><span style=\"word-break:break-all\">{}</span></p><p>{after}</p>",
                text(&l.name),
                attr(&url),
                text(&url)
            ),
            text: format!(
                "Hello {},\n\n{lead}\n\n{button}: {url}\n\nThe link works once, for {lasts}.\n\n{after}",
                l.name
            ),
            inline_png: Vec::new(),
            attachments: Vec::new(),
        })
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

/// An order as its messages tell it.
struct OrderMail {
    id: Uuid,
    reference: String,
    buyer_name: String,
    total: Money,
    refund_reason: Option<String>,
    seats: i64,
    events: Vec<EventMail>,
    lines: Vec<OrderLineView>,
    passes: Vec<PassMail>,
}

struct EventMail {
    id: Uuid,
    title: String,
    venue: String,
    starts: VenueTime,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

struct PassMail {
    id: Uuid,
    event_id: Uuid,
    type_name: String,
    seat_no: i32,
    code: String,
}

impl OrderMail {
    async fn load(db: &PgPool, id: Uuid) -> Result<Option<Self>, ComposeError> {
        let Some(o) = sqlx::query!(
            r#"SELECT o.id, o.total_minor,
                      o.currency AS "currency!: String", o.refund_reason, u.name AS buyer_name
               FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1"#,
            id
        )
        .fetch_optional(db)
        .await?
        else {
            return Ok(None);
        };
        let currency = Currency::from_stored(o.currency);
        let events = sqlx::query!(
            r#"SELECT DISTINCT e.id, e.title, e.venue, e.starts_at, e.ends_at, e.time_zone
               FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
               JOIN events e ON e.id = t.event_id
               WHERE i.order_id = $1 ORDER BY e.starts_at, e.id"#,
            id
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|e| EventMail {
            starts: venue_time(e.starts_at, &e.time_zone),
            id: e.id,
            title: e.title,
            venue: e.venue,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
        })
        .collect();
        let lines = crate::backend::orders::views::lines(db, id, &currency).await?;
        let passes = sqlx::query_as!(
            PassMail,
            r#"SELECT p.id, t.event_id, t.name AS type_name, p.seat_no, p.code
               FROM passes p JOIN ticket_types t ON t.id = p.ticket_type_id
               JOIN events e ON e.id = t.event_id
               WHERE p.order_id = $1 ORDER BY e.starts_at, e.id, t.position, t.id, p.seat_no"#,
            id
        )
        .fetch_all(db)
        .await?;
        Ok(Some(Self {
            reference: order_reference(o.id),
            id: o.id,
            buyer_name: o.buyer_name,
            total: currency.amount(o.total_minor),
            refund_reason: o.refund_reason,
            seats: lines.iter().map(|l| i64::from(l.quantity)).sum(),
            events,
            lines,
            passes,
        }))
    }
}

fn lines_table(order: &OrderMail) -> String {
    let mut html = String::from(
        "<table role=\"presentation\" style=\"width:100%;border-collapse:collapse;margin:16px 0\">",
    );
    for line in &order.lines {
        let _ = write!(
            html,
            "<tr><td style=\"padding:4px 0\">{} × {} · {}</td><td style=\"padding:4px 0;text-align:right\">{}</td></tr>",
            line.quantity,
            text(&line.type_name),
            text(&line.title),
            text(&line.unit_price.times(i64::from(line.quantity)).to_string())
        );
    }
    let _ = write!(
        html,
        "<tr><td style=\"padding:8px 0;border-top:1px solid #e2e8f0\"><strong>Total</strong></td><td style=\"padding:8px 0;border-top:1px solid #e2e8f0;text-align:right\"><strong>{}</strong></td></tr></table>",
        text(&order.total.to_string())
    );
    html
}

fn lines_text(order: &OrderMail) -> String {
    let mut plain = String::new();
    for line in &order.lines {
        let _ = writeln!(
            plain,
            "{} x {} · {}: {}",
            line.quantity,
            line.type_name,
            line.title,
            line.unit_price.times(i64::from(line.quantity))
        );
    }
    let _ = writeln!(plain, "Total: {}", order.total);
    plain
}

/// A ticket's QR code as a PNG that every mail client shows (SVG is not).
fn qr_png(code: &str) -> Result<Vec<u8>, ComposeError> {
    let qr = qrcode::QrCode::new(code.as_bytes())
        .map_err(|err| ComposeError::Build(format!("QR code: {err}")))?;
    let image = qr
        .render::<image::Luma<u8>>()
        .min_dimensions(320, 320)
        .quiet_zone(true)
        .build();
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma8(image)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|err| ComposeError::Build(format!("QR image: {err}")))?;
    Ok(png)
}

/// One calendar entry per event of the order (RFC 5545), in UTC.
fn calendar_file(order: &OrderMail, base_url: &str) -> String {
    use icalendar::{Calendar, Component, Event, EventLike};
    let mut calendar = Calendar::new();
    calendar.name("Ticket Sales");
    for event in &order.events {
        calendar.push(
            Event::new()
                .uid(&format!(
                    "{}-{}@ticket-sales",
                    order.id.simple(),
                    event.id.simple()
                ))
                .summary(&event.title)
                .location(&event.venue)
                .starts(event.starts_at)
                .ends(event.ends_at)
                .url(&format!("{base_url}/orders/{}", order.id))
                .description(&format!(
                    "Order {}. Your tickets: {base_url}/orders/{}",
                    order.reference, order.id
                ))
                .done(),
        );
    }
    calendar.done().to_string()
}
