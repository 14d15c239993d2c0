//! Email end to end against a real mail catcher (maildev): what each message
//! says, the links in them (verify, reset, change of address), and exactly one
//! message per cause through replays, SMTP outages, crashed and competing workers.

use crate::support;
use app::backend::payments::EventKind;

use std::time::Duration;

use app::backend::jobs::sweep_once;
use app::backend::mail::{Delivery, DeliveryReport, Mailer, deliver_due};
use app::backend::orders::reserve::{self, Reservation};
use app::backend::orders::settle::{Payment, confirm_payment};
use app::backend::orders::stripe_news;
use app::backend::organizers::{self, Decision};
use app::backend::outbox::{self, MailKind};
use app::error::AppError;
use app::model::{CheckoutRefusal, Role};
use reqwest::StatusCode;
use sqlx::PgPool;
use support::mail::{MailCatcher, check_message, link_in};
use support::{PASSWORD, TestApp, app_error, email_of, eur, fixtures};
use uuid::Uuid;

/// The shop pointed at `catcher`, and a mailer made from its configuration.
async fn shop_with_mail(db: PgPool, catcher: &MailCatcher) -> (TestApp, Mailer) {
    let app = support::spawn_with(db, &[("SMTP_URL", &catcher.smtp_url())]).await;
    let mailer = Mailer::from_config(&app.state.config)
        .expect("valid SMTP_URL")
        .expect("a mailer");
    (app, mailer)
}

async fn deliver(db: &PgPool, mailer: &Mailer) -> DeliveryReport {
    deliver_due(db, mailer, Delivery::default())
        .await
        .expect("delivery pass")
}

async fn outbox_rows(db: &PgPool, kind: &str, about: Uuid) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM outbox WHERE kind::text = $1 AND about = $2")
        .bind(kind)
        .bind(about)
        .fetch_one(db)
        .await
        .unwrap()
}

fn header<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
    let headers = raw.split("\r\n\r\n").next()?;
    headers.split("\r\n").find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

fn payment(order: Uuid, event_id: &str, total: i64) -> Payment {
    Payment {
        event_id: event_id.into(),
        event_type: EventKind::CheckoutCompleted,
        order_id: order,
        amount: eur(total),
        payment_intent: Some(format!("pi_{}", order.simple())),
    }
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_confirmation_carries_each_ticket_with_its_qr_code_and_a_calendar_entry(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let (_app, mailer) = shop_with_mail(db.clone(), &catcher).await;
    let event = fixtures::event(&db).title("Jazz & <Blues>").create().await;
    let buyer = fixtures::buyer(&db).await;
    let order = fixtures::paid_order(&db, buyer, &[(event.types[0], 2)]).await;

    assert_eq!(deliver(&db, &mailer).await.sent, 1);
    let address = email_of(&db, buyer).await;
    let mail = catcher.wait_for(&address, 1).await.remove(0);
    assert_eq!(mail["subject"], "Your tickets for Jazz & <Blues>");
    let html = mail["html"].as_str().unwrap();
    // Titles are escaped in HTML, never markup.
    assert!(html.contains("Jazz &amp; &lt;Blues&gt;"), "{html}");
    assert!(html.contains("€50.00"), "the total: {html}");

    let tickets: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT id, code FROM tickets WHERE order_id = $1 ORDER BY seat_no")
            .bind(order)
            .fetch_all(&db)
            .await
            .unwrap();
    assert_eq!(tickets.len(), 2);
    let text = mail["text"].as_str().unwrap();
    for (id, _) in &tickets {
        assert!(
            text.contains(&format!("/tickets/{id}")),
            "a link to each ticket: {text}"
        );
    }
    assert!(text.contains(&format!("/orders/{order}")));

    // One inline PNG per ticket, each decoding to that ticket's code.
    let attachments = mail["attachments"].as_array().expect("attachments");
    let mut decoded = Vec::new();
    for attachment in attachments
        .iter()
        .filter(|a| a["contentType"] == "image/png")
    {
        let cid = attachment["contentId"].as_str().unwrap();
        assert!(
            html.contains(&format!("cid:{cid}")),
            "the image is shown inline"
        );
        let bytes = catcher
            .attachment(&mail, attachment["generatedFileName"].as_str().unwrap())
            .await;
        let image = image::load_from_memory(&bytes).expect("a PNG").to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
            image.width() as usize,
            image.height() as usize,
            |x, y| image.get_pixel(x as u32, y as u32).0[0],
        );
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        decoded.push(grids[0].decode().expect("QR decodes").1);
    }
    // Each QR is the ticket's payload signed with its event's key, naming
    // that ticket's printed code.
    let mut named = Vec::new();
    for payload in &decoded {
        let signed = app::backend::checkin::signed::SignedCode::read(payload)
            .unwrap_or_else(|| panic!("a signed payload: {payload}"));
        named.push(
            app::backend::checkin::signed::printed_code(&db, &signed)
                .await
                .unwrap()
                .expect("signed with its event's key"),
        );
    }
    named.sort();
    let mut codes: Vec<String> = tickets.iter().map(|(_, code)| code.clone()).collect();
    codes.sort();
    assert_eq!(named, codes);

    // The calendar entry: the event's instant in UTC, its title and place.
    let ics = attachments
        .iter()
        .find(|a| a["fileName"] == "event.ics")
        .expect("an .ics attachment");
    let calendar = String::from_utf8(
        catcher
            .attachment(&mail, ics["generatedFileName"].as_str().unwrap())
            .await,
    )
    .unwrap();
    let starts: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("SELECT starts_at FROM events WHERE id = $1")
            .bind(event.id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(calendar.contains("BEGIN:VEVENT"), "{calendar}");
    assert!(
        calendar.contains(&format!("DTSTART:{}", starts.format("%Y%m%dT%H%M%SZ"))),
        "{calendar}"
    );
    assert!(calendar.contains("SUMMARY:Jazz & <Blues>"), "{calendar}");
    assert!(calendar.contains("LOCATION:Hall"), "{calendar}");

    // The Message-ID names the outbox row: a resend after a crash is the same message.
    let raw = catcher.source(&mail).await;
    let row: Uuid =
        sqlx::query_scalar("SELECT id FROM outbox WHERE kind = 'order_confirmed' AND about = $1")
            .bind(order)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(
        header(&raw, "Message-ID"),
        Some(format!("<{}@localhost>", row.simple()).as_str())
    );
    assert_eq!(header(&raw, "Auto-Submitted"), Some("auto-generated"));
}

/// A buyer whose account reads German gets the confirmation in German: its
/// words, the layout's, money, dates and times as German writes them, and the
/// event's German title.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_buyer_who_reads_german_gets_the_confirmation_in_german(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let (_app, mailer) = shop_with_mail(db.clone(), &catcher).await;
    let event = fixtures::event(&db).title("Night Train").create().await;
    sqlx::query(
        "INSERT INTO event_translations (event_id, locale, title) VALUES ($1, 'de', 'Nachtzug')",
    )
    .bind(event.id)
    .execute(&db)
    .await
    .unwrap();
    let buyer = fixtures::buyer(&db).await;
    sqlx::query("UPDATE users SET locale = 'de' WHERE id = $1")
        .bind(buyer)
        .execute(&db)
        .await
        .unwrap();
    let order = fixtures::paid_order(&db, buyer, &[(event.types[0], 1)]).await;

    assert_eq!(deliver(&db, &mailer).await.sent, 1);
    let mail = catcher
        .wait_for(&email_of(&db, buyer).await, 1)
        .await
        .remove(0);
    assert_eq!(mail["subject"], "Ihre Tickets für Nachtzug");
    let text = mail["text"].as_str().unwrap();
    let reference = app::model::order_reference(order);
    assert!(
        text.contains(&format!(
            "Ihre Bestellung {reference} ist bestätigt. Zeigen Sie am Einlass den QR-Code jedes Tickets vor"
        )),
        "{text}"
    );
    assert!(text.contains("Gesamt: 25,00\u{a0}€"), "{text}");
    assert!(!text.contains("€25.00"), "{text}");
    let (starts, zone): (chrono::DateTime<chrono::Utc>, String) =
        sqlx::query_as("SELECT starts_at, time_zone FROM events WHERE id = $1")
            .bind(event.id)
            .fetch_one(&db)
            .await
            .unwrap();
    let when = app::i18n::format::venue_time(
        app::i18n::Locale::De,
        &app::backend::zones::venue_time(starts, &zone),
    );
    assert!(
        text.contains(&when),
        "the event's time, as German writes it: {text}"
    );
    assert!(text.contains("Ticket Sales · Hilfe: "), "{text}");
    assert!(!text.contains("Night Train"), "{text}");
    let html = mail["html"].as_str().unwrap();
    assert!(html.contains("<html lang=\"de\">"), "{html}");
    assert!(html.contains("25,00\u{a0}€"), "{html}");
    assert!(
        html.contains("Fragen? Schreiben Sie an <a href=\"mailto:"),
        "{html}"
    );
    check_message(&catcher.source(&mail).await).expect("a well-formed message");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_payment_reported_five_times_and_by_the_sweeper_writes_one_message(db: PgPool) {
    let event = fixtures::event(&db).create().await;
    let buyer = fixtures::buyer(&db).await;
    let cart = [(event.types[0], 1)].into_iter().collect();
    let Reservation::New(order) = reserve::reserve(&db, buyer, &cart, Duration::from_secs(600))
        .await
        .unwrap()
    else {
        panic!("a new order")
    };
    // The webhook five times and the sweeper's own finding, all at once.
    let mut reports = Vec::new();
    for n in 0..6 {
        let event_id = if n < 5 {
            "evt_replayed".to_string()
        } else {
            "sweeper:cs_1:paid".to_string()
        };
        let db = db.clone();
        let total = order.total.minor;
        reports.push(tokio::spawn(async move {
            confirm_payment(&db, &payment(order.id, &event_id, total)).await
        }));
    }
    for report in reports {
        report.await.unwrap().unwrap();
    }
    assert_eq!(outbox_rows(&db, "order_confirmed", order.id).await, 1);
    assert_eq!(outbox_rows(&db, "order_refunded", order.id).await, 0);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn mail_written_while_smtp_is_down_arrives_once_when_it_is_back(db: PgPool) {
    let mut catcher = MailCatcher::start().await;
    let (_app, mailer) = shop_with_mail(db.clone(), &catcher).await;
    catcher.stop();
    let event = fixtures::event(&db).create().await;
    let buyer = fixtures::buyer(&db).await;
    let order = fixtures::paid_order(&db, buyer, &[(event.types[0], 1)]).await;

    let report = deliver(&db, &mailer).await;
    assert_eq!((report.sent, report.retrying), (0, 1));
    let (error, attempts): (Option<String>, i32) =
        sqlx::query_as("SELECT last_error, attempts FROM outbox WHERE about = $1")
            .bind(order)
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(error.is_some(), "the reason is kept");
    assert_eq!(attempts, 1);
    // Not due again before its backoff (5 s): nothing is claimed.
    assert_eq!(deliver(&db, &mailer).await, DeliveryReport::default());

    catcher.start_again().await;
    tokio::time::sleep(Duration::from_millis(5200)).await;
    assert_eq!(deliver(&db, &mailer).await.sent, 1);
    assert_eq!(deliver(&db, &mailer).await, DeliveryReport::default());
    let address = email_of(&db, buyer).await;
    assert_eq!(catcher.wait_for(&address, 1).await.len(), 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(catcher.to(&address).await.len(), 1, "exactly one");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn wrong_smtp_credentials_keep_messages_waiting_and_a_budget_marks_them_failed(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let app = support::spawn_with(
        db.clone(),
        &[("SMTP_URL", &catcher.smtp_url_with_wrong_password())],
    )
    .await;
    let mailer = Mailer::from_config(&app.state.config).unwrap().unwrap();
    let user = fixtures::buyer(&db).await;
    let email = email_of(&db, user).await;
    let mut tx = db.begin().await.unwrap();
    accounts_link(&mut tx, user, &email).await;
    tx.commit().await.unwrap();

    // The catcher refuses the login (as a provider would): retried, not dropped.
    let report = deliver(&db, &mailer).await;
    assert_eq!(report.retrying, 1, "{report:?}");
    let error: String = sqlx::query_scalar("SELECT last_error FROM outbox")
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(
        error.to_lowercase().contains("auth") || error.contains("535"),
        "{error}"
    );
    assert!(catcher.messages().await.is_empty());

    // Out of tries: marked failed with the reason, and never claimed again.
    sqlx::query("UPDATE outbox SET send_after = now()")
        .execute(&db)
        .await
        .unwrap();
    let budget = Delivery {
        tries: 2,
        ..Delivery::default()
    };
    let report = deliver_due(&db, &mailer, budget).await.unwrap();
    assert_eq!(report.failed, 1, "{report:?}");
    let (failed, error): (bool, Option<String>) =
        sqlx::query_as("SELECT failed_at IS NOT NULL, last_error FROM outbox")
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(failed);
    assert!(error.is_some());
    sqlx::query("UPDATE outbox SET send_after = now()")
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(
        deliver_due(&db, &mailer, budget).await.unwrap(),
        DeliveryReport::default()
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_worker_that_dies_mid_send_leaves_one_message_to_the_receiver(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let (_app, mailer) = shop_with_mail(db.clone(), &catcher).await;
    let event = fixtures::event(&db).create().await;
    let (first, second) = (fixtures::buyer(&db).await, fixtures::buyer(&db).await);
    fixtures::paid_order(&db, first, &[(event.types[0], 1)]).await;
    fixtures::paid_order(&db, second, &[(event.types[0], 1)]).await;
    let lease = Duration::from_millis(800);

    // Instance A claims both, sends the first and dies before recording it; it
    // dies before sending the second at all.
    let claimed = outbox::claim(&db, 10, lease).await.unwrap();
    assert_eq!(claimed.len(), 2);
    let first_address = email_of(&db, first).await;
    let sent_first = claimed
        .iter()
        .find(|m| m.recipient == first_address)
        .unwrap();
    mailer.send(&db, sent_first).await.unwrap();
    // While A's lease lasts, nobody else takes them.
    assert_eq!(deliver(&db, &mailer).await, DeliveryReport::default());

    // After the lease, instance B sends both.
    tokio::time::sleep(lease + Duration::from_millis(200)).await;
    assert_eq!(deliver(&db, &mailer).await.sent, 2);
    let second_copy = catcher.wait_for(&first_address, 2).await;
    let ids: Vec<String> = futures::future::join_all(second_copy.iter().map(|m| async {
        header(&catcher.source(m).await, "Message-ID")
            .unwrap()
            .to_string()
    }))
    .await;
    assert_eq!(
        ids[0], ids[1],
        "the same Message-ID: mail clients show one message"
    );
    let second_address = email_of(&db, second).await;
    assert_eq!(catcher.wait_for(&second_address, 1).await.len(), 1);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn two_instances_delivering_at_once_send_each_message_once(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let (_one, first) = shop_with_mail(db.clone(), &catcher).await;
    let (_two, second) = shop_with_mail(db.clone(), &catcher).await;
    let mut addresses = Vec::new();
    for _ in 0..24 {
        let user = fixtures::buyer(&db).await;
        let email = email_of(&db, user).await;
        let mut tx = db.begin().await.unwrap();
        accounts_link(&mut tx, user, &email).await;
        tx.commit().await.unwrap();
        addresses.push(email);
    }
    let small = Delivery {
        batch: 5,
        ..Delivery::default()
    };
    let mut sent = 0;
    for _ in 0..10 {
        let (a, b) = tokio::join!(
            deliver_due(&db, &first, small),
            deliver_due(&db, &second, small)
        );
        sent += a.unwrap().sent + b.unwrap().sent;
    }
    assert_eq!(sent, 24);
    let all = catcher.messages().await;
    assert_eq!(all.len(), 24, "each message once");
    for email in &addresses {
        assert_eq!(catcher.to(email).await.len(), 1, "{email}");
    }
}

/// A verification link and its message, as sign-up writes them.
async fn accounts_link(tx: &mut sqlx::PgConnection, user: Uuid, email: &str) {
    let link = app::backend::links::create(
        tx,
        user,
        app::backend::links::LinkPurpose::VerifyEmail,
        email,
    )
    .await
    .unwrap();
    outbox::enqueue(tx, MailKind::VerifyEmail, link, email)
        .await
        .unwrap();
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_new_buyer_verifies_their_address_before_checkout(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let (app, mailer) = shop_with_mail(db.clone(), &catcher).await;
    let res = app
        .call(
            &app.browser(),
            "auth/sign_up",
            &[
                ("name", "Vera Verify"),
                ("email", "vera@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let client = app.signed_in("vera@example.com").await;
    assert!(!app.me(&client).await.unwrap().email_verified);

    // Browsing and the cart work; checkout says what to do.
    let res = app.call(&client, "checkout/start", &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app_error(res).await,
        AppError::Refused(CheckoutRefusal::EmailNotVerified {
            email: "vera@example.com".into()
        })
    );
    let cart = app.get_with(&client, "/cart").await.text().await.unwrap();
    assert!(cart.contains("Send the link again"), "{cart}");

    assert_eq!(deliver(&db, &mailer).await.sent, 1);
    let mail = catcher.wait_for("vera@example.com", 1).await.remove(0);
    assert_eq!(mail["subject"], "Confirm your email address");
    let link = link_in(
        &mail,
        &format!("{}/verify-email?token=", app.state.config.app_base_url),
    );
    let path = link.trim_start_matches(&app.state.config.app_base_url);

    // A forged token (another id with this MAC, or a changed digit) does nothing.
    let token = path.rsplit('=').next().unwrap();
    let forged = format!("{}{}", Uuid::new_v4().simple(), &token[32..]);
    let page = app
        .get_with(&client, &format!("/verify-email?token={forged}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("This link is not valid"), "{page}");
    assert!(!app.me(&client).await.unwrap().email_verified);

    // Opening the link (as a mail scanner does) changes nothing: the page
    // asks for a click.
    for _ in 0..2 {
        let page = app
            .get_with(&app.browser(), path)
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Confirm my address"), "{page}");
    }
    assert!(!app.me(&client).await.unwrap().email_verified);
    let res = app
        .call(&app.browser(), "auth/verify_email", &[("token", token)])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["location"], "/verify-email?done=1");
    assert!(app.me(&client).await.unwrap().email_verified);
    let page = app
        .get_with(&client, "/verify-email?done=1")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Your email address is confirmed"), "{page}");
    let again = app.get_with(&client, path).await.text().await.unwrap();
    assert!(again.contains("This link has already been used"), "{again}");
    let res = app
        .call(&client, "auth/verify_email", &[("token", token)])
        .await;
    assert_eq!(
        app_error(res).await.to_string(),
        "This link has already been used."
    );

    // Checkout now gets past the address: to the (empty) cart.
    let res = app.call(&client, "checkout/start", &[]).await;
    assert_eq!(
        app_error(res).await,
        AppError::Refused(CheckoutRefusal::EmptyCart)
    );
    // Asking for another link once verified is refused plainly.
    let res = app.call(&client, "auth/resend_verification", &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn verification_links_expire_and_resending_is_limited(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let (app, mailer) = shop_with_mail(db.clone(), &catcher).await;
    app.call(
        &app.browser(),
        "auth/sign_up",
        &[
            ("name", "Late Larry"),
            ("email", "larry@example.com"),
            ("password", PASSWORD),
        ],
    )
    .await;
    let client = app.signed_in("larry@example.com").await;
    deliver(&db, &mailer).await;
    let mail = catcher.wait_for("larry@example.com", 1).await.remove(0);
    let link = link_in(&mail, &app.state.config.app_base_url);
    sqlx::query(
        "UPDATE email_links SET created_at = now() - interval '3 days', expires_at = now() - interval '1 day'",
    )
    .execute(&db)
    .await
    .unwrap();
    let page = app
        .get_with(
            &client,
            link.trim_start_matches(&app.state.config.app_base_url),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("This link has expired"), "{page}");
    assert!(!app.me(&client).await.unwrap().email_verified);

    // Sign-up sent one; four more may be asked for within the hour, then 429.
    for _ in 0..4 {
        let res = app.call(&client, "auth/resend_verification", &[]).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let res = app.call(&client, "auth/resend_verification", &[]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(deliver(&db, &mailer).await.sent, 4);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_forgotten_password_is_reset_through_a_single_use_link(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let (app, mailer) = shop_with_mail(db.clone(), &catcher).await;
    support::create_user(&db, "rosa@example.com", Role::Buyer).await;
    let elsewhere = app.signed_in("rosa@example.com").await;

    // The same answer whether or not the address has an account.
    let visitor = app.browser();
    let known = app
        .call(
            &visitor,
            "auth/forgot_password",
            &[("email", "rosa@example.com")],
        )
        .await;
    let unknown = app
        .call(
            &visitor,
            "auth/forgot_password",
            &[("email", "nobody@example.com")],
        )
        .await;
    assert_eq!(known.status(), unknown.status());
    assert_eq!(known.status(), StatusCode::OK);
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!(
        deliver(&db, &mailer).await.sent,
        1,
        "only the account's address gets mail"
    );
    assert!(catcher.to("nobody@example.com").await.is_empty());

    let mail = catcher.wait_for("rosa@example.com", 1).await.remove(0);
    assert_eq!(mail["subject"], "Reset your password");
    let link = link_in(
        &mail,
        &format!("{}/reset-password?token=", app.state.config.app_base_url),
    );
    let token = link.rsplit('=').next().unwrap().to_string();
    let page = app
        .get_with(
            &visitor,
            link.trim_start_matches(&app.state.config.app_base_url),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Set new password"), "{page}");

    // A password the rules refuse leaves the link usable.
    let res = app
        .call(
            &visitor,
            "auth/reset_password",
            &[("token", &token), ("new_password", "short")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .call(
            &visitor,
            "auth/reset_password",
            &[
                ("token", &token),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // Every other session ended; the old password no longer works, the new one does.
    assert_eq!(app.me(&elsewhere).await, None);
    let res = app
        .call(
            &app.browser(),
            "auth/sign_in",
            &[("email", "rosa@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    app.signed_in_with("rosa@example.com", "a brand new passphrase")
        .await;

    // The link works once.
    let res = app
        .call(
            &visitor,
            "auth/reset_password",
            &[
                ("token", &token),
                ("new_password", "yet another passphrase"),
            ],
        )
        .await;
    assert_eq!(
        app_error(res).await.to_string(),
        "This link has already been used."
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn reset_links_expire_after_an_hour_and_requests_are_limited_per_address(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let (app, mailer) = shop_with_mail(db.clone(), &catcher).await;
    support::create_user(&db, "otto@example.com", Role::Buyer).await;
    let visitor = app.browser();
    app.call(
        &visitor,
        "auth/forgot_password",
        &[("email", "otto@example.com")],
    )
    .await;
    let lifetime: f64 = sqlx::query_scalar(
        "SELECT extract(epoch FROM expires_at - created_at)::float8 FROM email_links",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(lifetime, 3600.0);
    deliver(&db, &mailer).await;
    let mail = catcher.wait_for("otto@example.com", 1).await.remove(0);
    let token = link_in(&mail, &app.state.config.app_base_url)
        .rsplit('=')
        .next()
        .unwrap()
        .to_string();
    sqlx::query(
        "UPDATE email_links SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'",
    )
    .execute(&db)
    .await
    .unwrap();
    let res = app
        .call(
            &visitor,
            "auth/reset_password",
            &[
                ("token", &token),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(
        app_error(res).await.to_string(),
        "This link has expired. Ask for a new one."
    );
    // Four more for this address within the hour, then refused (for any visitor).
    for _ in 0..4 {
        let res = app
            .call(
                &app.browser(),
                "auth/forgot_password",
                &[("email", "otto@example.com")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let res = app
        .call(
            &app.browser(),
            "auth/forgot_password",
            &[("email", "otto@example.com")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// The token in the mail to `to` (its `count`th, at least) that links to `path`.
async fn token_mailed(
    catcher: &MailCatcher,
    app: &TestApp,
    to: &str,
    count: usize,
    path: &str,
) -> String {
    let prefix = format!("{}{path}?token=", app.state.config.app_base_url);
    let mail = catcher
        .wait_for(to, count)
        .await
        .into_iter()
        .find(|m| m["text"].as_str().is_some_and(|t| t.contains(&prefix)))
        .unwrap_or_else(|| panic!("no mail to {to} links to {path}"));
    let link = link_in(&mail, &prefix);
    link.rsplit('=').next().unwrap().to_string()
}

async fn ask_change(app: &TestApp, client: &reqwest::Client, to: &str) -> StatusCode {
    app.call(
        client,
        "auth/change_email",
        &[("new_email", to), ("current_password", PASSWORD)],
    )
    .await
    .status()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_new_address_is_used_once_its_link_is_clicked_and_the_old_one_can_undo_it(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let (app, mailer) = shop_with_mail(db.clone(), &catcher).await;
    support::create_user(&db, "old@example.com", Role::Buyer).await;
    support::create_user(&db, "taken@example.com", Role::Buyer).await;
    let client = app.signed_in("old@example.com").await;
    let elsewhere = app.signed_in("old@example.com").await;

    // An address another account uses: the same answer as any, and no link.
    assert_eq!(
        ask_change(&app, &client, "taken@example.com").await,
        StatusCode::OK
    );
    let res = app
        .call(
            &client,
            "auth/change_email",
            &[
                ("new_email", "new@example.com"),
                ("current_password", "wrong password"),
            ],
        )
        .await;
    assert!(app_error(res).await.for_field("current_password").is_some());
    assert_eq!(
        ask_change(&app, &client, "New@Example.com").await,
        StatusCode::OK
    );
    assert_eq!(app.me(&client).await.unwrap().email, "old@example.com");

    deliver(&db, &mailer).await;
    assert!(catcher.to("taken@example.com").await.is_empty());
    assert!(catcher.to("old@example.com").await.is_empty());
    let token = token_mailed(&catcher, &app, "new@example.com", 1, "/confirm-email").await;
    // Opening the link changes nothing; the click on its page does.
    let page = app
        .get_with(&app.browser(), &format!("/confirm-email?token={token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Use this address"), "{page}");
    assert_eq!(app.me(&client).await.unwrap().email, "old@example.com");
    let res = app
        .call(&app.browser(), "auth/confirm_email", &[("token", &token)])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["location"], "/confirm-email?done=1");
    let me = app.me(&client).await.unwrap();
    assert_eq!(me.email, "new@example.com");
    assert!(me.email_verified);

    // The old address is told, with a way back for 7 days.
    deliver(&db, &mailer).await;
    let told = catcher.wait_for("old@example.com", 1).await.remove(0);
    assert_eq!(told["subject"], "Your account's email address was changed");
    assert!(told["text"].as_str().unwrap().contains("new@example.com"));
    assert!(told["text"].as_str().unwrap().contains("7 days"));
    let restore = token_mailed(&catcher, &app, "old@example.com", 1, "/restore-email").await;
    let page = app
        .get_with(&app.browser(), &format!("/restore-email?token={restore}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Restore my address and sign everyone out"),
        "{page}"
    );
    assert_eq!(app.me(&client).await.unwrap().email, "new@example.com");
    let res = app
        .call(&app.browser(), "auth/restore_email", &[("token", &restore)])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["location"], "/restore-email?done=1");
    // The address is back, every session ended, the old password no longer works.
    let email: String = sqlx::query_scalar(
        "SELECT email FROM users WHERE email IN ('old@example.com', 'new@example.com')",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(email, "old@example.com");
    for session in [&client, &elsewhere] {
        assert_eq!(app.me(session).await, None);
    }
    let res = app
        .call(
            &app.browser(),
            "auth/sign_in",
            &[("email", "old@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A link to choose a new password went to the restored address.
    deliver(&db, &mailer).await;
    let reset = token_mailed(&catcher, &app, "old@example.com", 2, "/reset-password").await;
    let res = app
        .call(
            &app.browser(),
            "auth/reset_password",
            &[("token", &reset), ("new_password", "a brand new password")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    app.signed_in_with("old@example.com", "a brand new password")
        .await;
    // The restore link worked once.
    let res = app
        .call(&app.browser(), "auth/restore_email", &[("token", &restore)])
        .await;
    assert_eq!(
        app_error(res).await.to_string(),
        "This link has already been used."
    );
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_pending_address_change_dies_with_a_new_password_a_reset_or_a_newer_change(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let (app, mailer) = shop_with_mail(db.clone(), &catcher).await;
    support::create_user(&db, "ada@example.com", Role::Buyer).await;
    let client = app.signed_in("ada@example.com").await;
    let used = |token: String| {
        let app = &app;
        async move {
            let res = app
                .call(&app.browser(), "auth/confirm_email", &[("token", &token)])
                .await;
            app_error(res).await.to_string()
        }
    };
    const DEAD: &str = "This link has already been used.";

    // Asked for, then the password changes: the link dies.
    assert_eq!(
        ask_change(&app, &client, "one@example.com").await,
        StatusCode::OK
    );
    let res = app
        .call(
            &client,
            "auth/change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "second password"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    deliver(&db, &mailer).await;
    let first = token_mailed(&catcher, &app, "one@example.com", 1, "/confirm-email").await;
    assert_eq!(used(first).await, DEAD);

    // Asked for, then another change asked for: only the newer link works.
    let change = |to: &'static str| {
        let (app, client) = (&app, &client);
        async move {
            app.call(
                client,
                "auth/change_email",
                &[("new_email", to), ("current_password", "second password")],
            )
            .await
            .status()
        }
    };
    assert_eq!(change("two@example.com").await, StatusCode::OK);
    assert_eq!(change("three@example.com").await, StatusCode::OK);
    deliver(&db, &mailer).await;
    let second = token_mailed(&catcher, &app, "two@example.com", 1, "/confirm-email").await;
    let third = token_mailed(&catcher, &app, "three@example.com", 1, "/confirm-email").await;
    assert_eq!(used(second).await, DEAD);

    // A password reset kills the pending one too.
    let res = app
        .call(
            &app.browser(),
            "auth/forgot_password",
            &[("email", "ada@example.com")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    deliver(&db, &mailer).await;
    let reset = token_mailed(&catcher, &app, "ada@example.com", 1, "/reset-password").await;
    let res = app
        .call(
            &app.browser(),
            "auth/reset_password",
            &[("token", &reset), ("new_password", "third password")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(used(third).await, DEAD);
    let email: String = sqlx::query_scalar("SELECT email FROM users")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(email, "ada@example.com");
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn expiry_refund_and_application_decisions_are_mailed(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let (_app, mailer) = shop_with_mail(db.clone(), &catcher).await;
    let event = fixtures::event(&db).title("Night Train").create().await;

    // A hold that ran out: the buyer is told, with a way back to the event.
    let late = fixtures::buyer(&db).await;
    let cart = [(event.types[0], 1)].into_iter().collect();
    let Reservation::New(held) = reserve::reserve(&db, late, &cart, Duration::from_secs(600))
        .await
        .unwrap()
    else {
        panic!("a new order")
    };
    support::shop::run_out_hold(&db, held.id).await;
    sweep_once(&db, &_app.state.valkey, None).await.unwrap();
    sweep_once(&db, &_app.state.valkey, None).await.unwrap();
    assert_eq!(outbox_rows(&db, "order_expired", held.id).await, 1);

    // A refund made in Stripe's dashboard, reported twice.
    let paying = fixtures::buyer(&db).await;
    let paid = fixtures::paid_order(&db, paying, &[(event.types[0], 1)]).await;
    for _ in 0..2 {
        stripe_news::refunded_at_stripe(
            &db,
            "evt_refund",
            &format!("pi_{}", paid.simple()),
            true,
            2500,
        )
        .await
        .unwrap();
    }
    assert_eq!(outbox_rows(&db, "order_refunded", paid).await, 1);

    // An organizer application, rejected with a reason.
    let admin = support::create_user(&db, "admin@example.com", Role::Admin).await;
    let applicant = fixtures::buyer(&db).await;
    let application: Uuid = sqlx::query_scalar(
        "INSERT INTO organizer_applications (user_id, org_name, description, kind)
         VALUES ($1, 'Loud Nights', 'Gigs', 'individual') RETURNING id",
    )
    .bind(applicant)
    .fetch_one(&db)
    .await
    .unwrap();
    let admin = crate::support::session_user(&db, admin).await;
    organizers::decide(
        &db,
        &admin,
        application,
        Decision::Reject {
            reason: "We could not find your past events.".into(),
        },
    )
    .await
    .unwrap();

    let report = deliver(&db, &mailer).await;
    assert_eq!(report.sent, 4, "{report:?}"); // expired, confirmation, refund, decision

    let expired = catcher
        .wait_for(&email_of(&db, late).await, 1)
        .await
        .remove(0);
    assert!(
        expired["subject"].as_str().unwrap().contains("has expired"),
        "{expired}"
    );
    assert!(link_in(&expired, "http").ends_with(&format!("/events/{}", event.id)));

    let refund = catcher.wait_for(&email_of(&db, paying).await, 2).await;
    let refund = refund
        .iter()
        .find(|m| m["subject"].as_str().unwrap().starts_with("Refund"))
        .expect("a refund message");
    assert!(refund["text"].as_str().unwrap().contains("€25.00"));

    let decision = catcher
        .wait_for(&email_of(&db, applicant).await, 1)
        .await
        .remove(0);
    assert_eq!(decision["subject"], "Your application for Loud Nights");
    assert!(
        decision["text"]
            .as_str()
            .unwrap()
            .contains("We could not find your past events.")
    );
}

/// Each end of an unpaid order is named for what happened, on the order and
/// in its mail: the buyer's own cancel is not called an expiry (and needs no
/// mail), a hold that ran out is, and a payment the bank declined says so.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_unpaid_order_ends_as_cancelled_expired_or_declined(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let (app, mailer) = shop_with_mail(db.clone(), &catcher).await;
    let event = fixtures::event(&db).title("Night Ferry").create().await;
    let cart: std::collections::BTreeMap<Uuid, i64> = [(event.types[0], 1)].into_iter().collect();
    let hold = Duration::from_secs(600);
    let held = |buyer: Uuid| {
        let db = db.clone();
        let cart = cart.clone();
        async move {
            match reserve::reserve(&db, buyer, &cart, hold).await.unwrap() {
                Reservation::New(order) => order.id,
                Reservation::Existing(_) => panic!("a new order"),
            }
        }
    };
    let status = |order: Uuid| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT status::text FROM orders WHERE id = $1")
                .bind(order)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };

    let canceller = fixtures::buyer(&db).await;
    let cancelled = held(canceller).await;
    let shop = app.state.checkout();
    app::backend::orders::checkout::cancel(&shop, canceller)
        .await
        .unwrap();
    let late = fixtures::buyer(&db).await;
    let expired = held(late).await;
    support::shop::run_out_hold(&db, expired).await;
    sweep_once(&db, &app.state.valkey, None).await.unwrap();
    let declined_buyer = fixtures::buyer(&db).await;
    let declined = held(declined_buyer).await;
    for _ in 0..2 {
        app::backend::orders::release::session_ended_unpaid(
            &db,
            "evt_async_failed",
            EventKind::AsyncPaymentFailed,
            declined,
        )
        .await
        .unwrap();
    }
    assert_eq!(status(cancelled).await, "cancelled");
    assert_eq!(status(expired).await, "expired");
    assert_eq!(status(declined).await, "declined");
    let held_now: i32 = sqlx::query_scalar("SELECT reserved FROM ticket_types WHERE id = $1")
        .bind(event.types[0])
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(held_now, 0, "every end gives the seats back");
    assert_eq!(outbox_rows(&db, "order_expired", cancelled).await, 0);
    assert_eq!(outbox_rows(&db, "order_declined", cancelled).await, 0);
    assert_eq!(outbox_rows(&db, "order_expired", expired).await, 1);
    assert_eq!(outbox_rows(&db, "order_declined", declined).await, 1);
    assert_eq!(outbox_rows(&db, "order_expired", declined).await, 0);

    let report = deliver(&db, &mailer).await;
    assert_eq!(report.sent, 2, "{report:?}");
    let mail = catcher
        .wait_for(&email_of(&db, declined_buyer).await, 1)
        .await
        .remove(0);
    assert!(
        mail["subject"]
            .as_str()
            .unwrap()
            .starts_with("Payment declined"),
        "{mail}"
    );
    let text = mail["text"].as_str().unwrap();
    assert!(text.contains("Your bank declined the payment") && !text.contains("in time"));
    // The buyer's own pages say the same.
    let buyer = app.signed_in(&email_of(&db, canceller).await).await;
    let mine: Vec<app::model::OrderView> = app
        .call(&buyer, "orders/mine", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine[0].status, app::model::OrderStatus::Cancelled);
    assert_eq!(mine[0].status.buyer_label(), "Cancelled by you");
}

#[test]
fn the_catcher_refuses_what_a_real_provider_would() {
    let good = "Date: x\r\nFrom: a@b.c\r\nTo: d@e.f\r\nSubject: s\r\nMessage-ID: <1@b.c>\r\nMIME-Version: 1.0\r\n\r\nbody\r\n";
    assert_eq!(check_message(good), Ok(()));
    let long = good.replace("body", &"x".repeat(999));
    assert!(check_message(&long).unwrap_err().contains("998"));
    let eight_bit = good.replace("body", "caf\u{e9}");
    assert!(check_message(&eight_bit).unwrap_err().contains("8BITMIME"));
    let bare_lf = good.replace("body", "one\ntwo");
    assert!(check_message(&bare_lf).unwrap_err().contains("bare"));
    let no_id = good.replace("Message-ID: <1@b.c>\r\n", "");
    assert!(check_message(&no_id).unwrap_err().contains("message-id"));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn the_catcher_demands_a_login_like_a_real_provider(db: PgPool) {
    // Without credentials the catcher will not take mail: a shop that forgot
    // its SMTP login fails here as it would in production.
    let catcher = MailCatcher::start().await;
    let url = format!("smtp://127.0.0.1:{}", catcher.smtp_port);
    let app = support::spawn_with(db.clone(), &[("SMTP_URL", &url)]).await;
    let mailer = Mailer::from_config(&app.state.config).unwrap().unwrap();
    let user = fixtures::buyer(&db).await;
    let email = email_of(&db, user).await;
    let mut tx = db.begin().await.unwrap();
    accounts_link(&mut tx, user, &email).await;
    tx.commit().await.unwrap();
    let report = deliver(&db, &mailer).await;
    assert_eq!(report.retrying, 1, "{report:?}");
    assert!(catcher.messages().await.is_empty());
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn demo_accounts_have_verified_addresses(db: PgPool) {
    // Seeding twice (make run does it every time) keeps them verified.
    for _ in 0..2 {
        app::backend::seed::seed_demo(&db, &support::demo_covers())
            .await
            .unwrap();
    }
    let unverified: i64 =
        sqlx::query_scalar("SELECT count(*) FROM users WHERE email_verified_at IS NULL")
            .fetch_one(&db)
            .await
            .unwrap();
    let all: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(all >= 3);
    assert_eq!(unverified, 0);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_known_address_signing_up_and_a_buyer_passed_over_are_told_by_mail(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let (app, mailer) = shop_with_mail(db.clone(), &catcher).await;
    support::create_user(&db, "known@example.com", Role::Buyer).await;
    let res = app
        .call(
            &app.browser(),
            "auth/sign_up",
            &[
                ("name", "Somebody Else"),
                ("email", "known@example.com"),
                ("password", "another password"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // A waiting-list buyer passed over because they hold another order.
    let event = fixtures::event(&db)
        .title("Tiny Hall")
        .ticket_type("Admission", 2500, 1)
        .ticket_type("Balcony", 1500, 10)
        .create()
        .await;
    let holder = fixtures::buyer(&db).await;
    let waiting = fixtures::buyer(&db).await;
    let cart = [(event.types[0], 1)].into_iter().collect();
    let Reservation::New(held) = reserve::reserve(&db, holder, &cart, Duration::from_secs(600))
        .await
        .unwrap()
    else {
        panic!("a new hold")
    };
    let waiting_user = crate::support::session_user(&db, waiting).await;
    app::backend::waiting_list::join(&db, &waiting_user, event.types[0], 1)
        .await
        .unwrap();
    let other = [(event.types[1], 1)].into_iter().collect();
    reserve::reserve(&db, waiting, &other, Duration::from_secs(600))
        .await
        .unwrap();
    support::shop::run_out_hold(&db, held.id).await;
    sweep_once(&db, &app.state.valkey, None).await.unwrap();

    // Those two, and the holder's "your hold ran out".
    assert_eq!(deliver(&db, &mailer).await.sent, 3);
    let told = catcher.wait_for("known@example.com", 1).await.remove(0);
    assert_eq!(told["subject"], "You already have a Ticket Sales account");
    assert!(told["text"].as_str().unwrap().contains("/forgot-password"));
    let email = email_of(&db, waiting).await;
    let passed = catcher.wait_for(&email, 1).await.remove(0);
    assert_eq!(
        passed["subject"],
        "Your place on the waiting list for Tiny Hall"
    );
    assert!(
        passed["text"]
            .as_str()
            .unwrap()
            .contains("another order of yours was waiting for payment"),
        "{passed}"
    );
}

/// A suspended organizer is told why, what still works and where to write;
/// and again when the suspension is lifted.
#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_suspension_and_its_lifting_are_mailed_to_the_organizer(db: PgPool) {
    let catcher = MailCatcher::start().await;
    let (app, mailer) = shop_with_mail(db.clone(), &catcher).await;
    let admin = support::create_user(&db, "admin@example.com", Role::Admin).await;
    let admin = crate::support::session_user(&db, admin).await;
    let organizer = fixtures::organizer(&db).await;
    organizers::suspend(&db, &admin, organizer, "Chargebacks under review")
        .await
        .unwrap();
    assert_eq!(deliver(&db, &mailer).await.sent, 1);
    let address = email_of(&db, organizer).await;
    let suspended = catcher.wait_for(&address, 1).await.remove(0);
    assert_eq!(suspended["subject"], "Your organizer account is suspended");
    let text = suspended["text"].as_str().unwrap();
    assert!(text.contains("Chargebacks under review"), "{text}");
    let support = &app.state.config.mail.support_email;
    assert!(
        text.contains(&format!("write to {support}.")),
        "names the address: {text}"
    );
    check_message(&catcher.source(&suspended).await).expect("a well-formed message");

    organizers::lift_suspension(&db, &admin, organizer)
        .await
        .unwrap();
    assert_eq!(deliver(&db, &mailer).await.sent, 1);
    let both = catcher.wait_for(&address, 2).await;
    assert!(
        both.iter()
            .any(|m| m["subject"] == "Your organizer account is active again"),
        "{both:?}"
    );
}
