//! The messages about accounts, organizers and door staff: links to verify
//! an address, reset a password or confirm a change, an organizer's
//! application decided, a door invitation, a waiting-list turn passed over.

use chrono::Utc;
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use sqlx::PgPool;
use uuid::Uuid;

use super::{
    ComposeError, Composer, Draft, hello, hello_html, labelled, link_markup, locale_at, say,
    say_html, strong,
};
use crate::backend::links::LinkPurpose;
use crate::backend::outbox::MailKind;
use crate::backend::zones::venue_time;
use crate::i18n::{Arg, Locale};
use crate::model::{ApplicationStatus, SkipReason};

impl Composer {
    pub(super) async fn door_invite(
        &self,
        db: &PgPool,
        invitation: Uuid,
    ) -> Result<Draft, ComposeError> {
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
            locale: Locale::En,
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
    pub(super) async fn sign_up_attempt(
        &self,
        db: &PgPool,
        recipient: &str,
    ) -> Result<Draft, ComposeError> {
        let name = sqlx::query_scalar!("SELECT name FROM users WHERE email = $1", recipient)
            .fetch_optional(db)
            .await?
            .ok_or(ComposeError::Gone)?;
        let locale = locale_at(db, recipient).await?;
        let (sign_in, reset) = (self.url("/signin"), self.url("/forgot-password"));
        let lead = say(locale, "mail-signup-attempt-lead", &[]);
        let sign_in_label = say(locale, "mail-sign-in", &[]);
        let ignore = say(locale, "mail-signup-attempt-ignore", &[]);
        Ok(Draft {
            locale,
            subject: say(locale, "mail-signup-attempt-subject", &[]),
            html: format!(
                "<p>{}</p><p>{}</p><p><a href=\"{}\">{}</a> · <a href=\"{}\">{}</a></p><p style=\"color:#475569;font-size:13px\">{}</p>",
                hello_html(locale, &name),
                text(&lead),
                attr(&sign_in),
                text(&sign_in_label),
                attr(&reset),
                text(&say(locale, "mail-forgot-password", &[])),
                text(&ignore)
            ),
            text: format!(
                "{}\n\n{lead}\n\n{}\n{}\n\n{ignore}",
                hello(locale, &name),
                labelled(locale, &sign_in_label, &sign_in),
                say(
                    locale,
                    "mail-forgot-password-plain",
                    &[("url", reset.as_str().into())]
                )
            ),
            inline_png: Vec::new(),
            attachments: Vec::new(),
        })
    }

    /// Seats came back, but the buyer next on the list could not take them.
    pub(super) async fn waiting_list_skipped(
        &self,
        db: &PgPool,
        entry: Uuid,
        recipient: &str,
    ) -> Result<Draft, ComposeError> {
        let w = sqlx::query!(
            r#"SELECT u.name, event_title(e.id, e.title, u.locale) AS "title!", e.id AS event,
                      t.name AS type_name, t.max_per_order,
                      w.skip_reason AS "reason?"
               FROM waiting_list w JOIN users u ON u.id = w.user_id
               JOIN ticket_types t ON t.id = w.ticket_type_id JOIN events e ON e.id = t.event_id
               WHERE w.id = $1 AND w.status = 'skipped'"#,
            entry
        )
        .fetch_optional(db)
        .await?
        .ok_or(ComposeError::Gone)?;
        let reason = match w.reason.as_deref().and_then(SkipReason::parse) {
            Some(SkipReason::HoldsMaximum) => "maximum",
            Some(SkipReason::OtherOrder) => "other-order",
            None => return Err(ComposeError::Gone),
        };
        let locale = locale_at(db, recipient).await?;
        let link = self.url(&format!("/events/{}", w.event));
        let why = [
            ("reason", Arg::from(reason)),
            ("max", Arg::from(w.max_per_order)),
        ];
        Ok(Draft {
            locale,
            subject: say(
                locale,
                "mail-skipped-subject",
                &[("title", w.title.as_str().into())],
            ),
            html: format!(
                "<p>{}</p><p>{}</p><p>{}</p>",
                hello_html(locale, &w.name),
                say_html(
                    locale,
                    "mail-skipped-lead",
                    &why,
                    &[("title", strong(&w.title)), ("type", strong(&w.type_name))]
                ),
                say_html(locale, "mail-skipped-again", &[], &link_markup(&link))
            ),
            text: format!(
                "{}\n\n{}\n\n{}",
                hello(locale, &w.name),
                say(
                    locale,
                    "mail-skipped-lead",
                    &[
                        why[0].clone(),
                        why[1].clone(),
                        ("title", w.title.as_str().into()),
                        ("type", w.type_name.as_str().into()),
                    ]
                ),
                labelled(locale, &say(locale, "mail-skipped-again-label", &[]), &link)
            ),
            inline_png: Vec::new(),
            attachments: Vec::new(),
        })
    }

    /// An admin suspended the organizer, or lifted the suspension: why, what
    /// still works, and where to write.
    pub(super) async fn suspension(
        &self,
        db: &PgPool,
        kind: MailKind,
        suspension: Uuid,
    ) -> Result<Draft, ComposeError> {
        let s = sqlx::query!(
            "SELECT u.name, s.reason FROM organizer_suspensions s JOIN users u ON u.id = s.organizer_id
             WHERE s.id = $1",
            suspension
        )
        .fetch_optional(db)
        .await?
        .ok_or(ComposeError::Gone)?;
        let organizer = self.url("/organizer");
        let support = &self.support_email;
        Ok(if kind == MailKind::SuspensionLifted {
            Draft {
                locale: Locale::En,
                subject: "Your organizer account is active again".into(),
                html: format!(
                    "<p>Hello {},</p><p>An admin lifted the suspension of your organizer account. Your published events are on sale again and you can edit them.</p><p><a href=\"{}\">Open the organizer pages</a></p>",
                    text(&s.name),
                    attr(&organizer)
                ),
                text: format!(
                    "Hello {},\n\nAn admin lifted the suspension of your organizer account. Your published events are on sale again and you can edit them: {}",
                    s.name, organizer
                ),
                inline_png: Vec::new(),
                attachments: Vec::new(),
            }
        } else {
            Draft {
                locale: Locale::En,
                subject: "Your organizer account is suspended".into(),
                html: format!(
                    "<p>Hello {},</p><p>An admin suspended your organizer account.</p><p>The reason given: {}</p>\
                     <p>While it is suspended your events are not sold and cannot be edited. Tickets already sold stay valid, \
                     your door still checks them in and you can still refund your buyers.</p>\
                     <p>To have the suspension lifted, write to <a href=\"mailto:{}\">{}</a>.</p>",
                    text(&s.name),
                    text(&s.reason),
                    attr(support),
                    text(support)
                ),
                text: format!(
                    "Hello {},\n\nAn admin suspended your organizer account.\n\nThe reason given: {}\n\n\
                     While it is suspended your events are not sold and cannot be edited. Tickets already sold stay valid, \
                     your door still checks them in and you can still refund your buyers.\n\n\
                     To have the suspension lifted, write to {}.",
                    s.name, s.reason, support
                ),
                inline_png: Vec::new(),
                attachments: Vec::new(),
            }
        })
    }

    pub(super) async fn decision(
        &self,
        db: &PgPool,
        application: Uuid,
    ) -> Result<Draft, ComposeError> {
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
                locale: Locale::En,
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
                locale: Locale::En,
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

    pub(super) async fn link(
        &self,
        db: &PgPool,
        kind: MailKind,
        link: Uuid,
    ) -> Result<Draft, ComposeError> {
        let l = sqlx::query!(
            r#"SELECT u.name, u.email AS current, l.email, l.purpose AS "purpose: LinkPurpose", l.expires_at
               FROM email_links l JOIN users u ON u.id = l.user_id WHERE l.id = $1"#,
            link
        )
        .fetch_optional(db)
        .await?
        .ok_or(ComposeError::Gone)?;
        let locale = locale_at(db, &l.current).await?;
        let url = self.links.url(&self.base_url, l.purpose, link);
        let hours = ((l.expires_at - Utc::now()).num_minutes().max(0) + 59) / 60;
        let lasts = if hours <= 48 {
            say(locale, "mail-link-hours", &[("hours", hours.max(1).into())])
        } else {
            say(locale, "mail-link-days", &[("days", (hours / 24).into())])
        };
        let [subject, lead, button, after] = match kind {
            MailKind::EmailChanged => [
                "mail-email-changed-subject",
                "mail-email-changed-lead",
                "mail-email-changed-button",
                "mail-email-changed-after",
            ],
            MailKind::ResetPassword => [
                "mail-reset-subject",
                "mail-reset-lead",
                "mail-reset-button",
                "mail-reset-after",
            ],
            MailKind::ChangeEmail => [
                "mail-change-email-subject",
                "mail-change-email-lead",
                "mail-change-email-button",
                "mail-change-email-after",
            ],
            _ => [
                "mail-verify-subject",
                "mail-verify-lead",
                "mail-verify-button",
                "mail-verify-after",
            ],
        }
        .map(|key| say(locale, key, &[("email", l.current.as_str().into())]));
        let once = say(locale, "mail-link-once", &[("lasts", lasts.into())]);
        Ok(Draft {
            locale,
            subject,
            html: format!(
                "<p>{}</p><p>{}</p><p><a href=\"{}\" style=\"display:inline-block;background:#4f46e5;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none\">{}</a></p><p style=\"color:#475569;font-size:13px\">{} {}<br><span style=\"word-break:break-all\">{}</span></p><p>{}</p>",
                hello_html(locale, &l.name),
                text(&lead),
                attr(&url),
                text(&button),
                text(&once),
                text(&say(locale, "mail-link-copy", &[])),
                text(&url),
                text(&after)
            ),
            text: format!(
                "{}\n\n{lead}\n\n{}\n\n{once}\n\n{after}",
                hello(locale, &l.name),
                labelled(locale, &button, &url)
            ),
            inline_png: Vec::new(),
            attachments: Vec::new(),
        })
    }
}
