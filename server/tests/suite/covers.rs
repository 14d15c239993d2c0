//! Cover images over HTTP: an organizer uploads one as a plain multipart form,
//! it is re-encoded and served under its content hash with a year's caching,
//! and every refusal (not an image, too small, someone else's event, a name
//! that is no cover) changes nothing.

use crate::support;

use app::model::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sqlx::PgPool;
use support::{TestApp, app_error, create_user, published_listing};
use uuid::Uuid;

pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

pub(crate) async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    event: Uuid,
    file_name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = Form::new()
        .text("event", event.to_string())
        .part("cover", Part::bytes(bytes).file_name(file_name.to_string()));
    client
        .post(format!("{}/api/organizer/cover", app.base_url))
        .multipart(form)
        .send()
        .await
        .expect("request sent")
}

async fn cover_key(db: &PgPool, event: Uuid) -> Option<String> {
    sqlx::query_scalar("SELECT cover_key FROM events WHERE id = $1")
        .bind(event)
        .fetch_one(db)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn an_organizer_gives_an_event_a_cover_served_for_ever(db: PgPool) {
    let me = create_user(&db, "org@example.com", Role::Organizer).await;
    let event = published_listing(&db, me, "Lantern Parade", 1500, 50).await;
    let app = support::spawn(db.clone()).await;
    let org = app.signed_in("org@example.com").await;

    // No cover yet: the catalogue card and the page show the placeholder.
    let page = app
        .get(&format!("/events/{event}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("cover-placeholder") && !page.contains("/covers/"));

    let res = upload(&app, &org, event, "parade.png", png(2000, 1000)).await;
    assert!(res.status().is_success(), "{}", res.status());
    let key = cover_key(&db, event).await.expect("a cover");
    assert!(key.ends_with(".jpg") && key.len() == 36, "{key}");

    let served = app.get(&format!("/covers/{key}")).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    assert_eq!(
        served.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let jpeg = served.bytes().await.unwrap();
    let decoded = image::load_from_memory(&jpeg).expect("a JPEG");
    assert_eq!((decoded.width(), decoded.height()), (1600, 800));

    for path in [format!("/events/{event}"), "/?q=lantern".to_string()] {
        let html = app.get(&path).await.text().await.unwrap();
        assert!(html.contains(&format!("/covers/{key}")), "{path}");
    }

    // The form works without JavaScript: a browser's post comes back to the editor.
    let res = org
        .post(format!("{}/api/organizer/cover", app.base_url))
        .header("accept", "text/html")
        // The shop's own origin, as configured (APP_BASE_URL's default).
        .header(
            "referer",
            format!("http://127.0.0.1:3000/organizer/events/{event}/edit"),
        )
        .multipart(
            Form::new()
                .text("event", event.to_string())
                .part("cover", Part::bytes(png(900, 600)).file_name("second.png")),
        )
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(
        res.headers()["location"],
        format!("/organizer/events/{event}/edit?cover=saved")
    );
    assert_ne!(cover_key(&db, event).await, Some(key));
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn uploads_that_are_no_usable_cover_change_nothing(db: PgPool) {
    let me = create_user(&db, "org@example.com", Role::Organizer).await;
    let other = create_user(&db, "other@example.com", Role::Organizer).await;
    create_user(&db, "buyer@example.com", Role::Buyer).await;
    let event = published_listing(&db, me, "Lantern Parade", 1500, 50).await;
    let theirs = published_listing(&db, other, "Their Parade", 1500, 50).await;
    let app = support::spawn(db.clone()).await;
    let org = app.signed_in("org@example.com").await;

    let refused: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "notes.txt",
            b"just some text".to_vec(),
            "Upload a JPEG, PNG or WebP image.",
        ),
        (
            "drawing.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec(),
            "Upload a JPEG, PNG or WebP image.",
        ),
        // A PNG's name on a text file does not make it an image.
        (
            "photo.png",
            b"\x89PNG but not really".to_vec(),
            "Upload a JPEG, PNG or WebP image.",
        ),
        (
            "tiny.png",
            png(300, 200),
            "The image is too small: at least 640 × 320 pixels, please.",
        ),
        ("nothing.png", Vec::new(), "Choose an image to upload."),
    ];
    for (name, bytes, message) in refused {
        let res = upload(&app, &org, event, name, bytes).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let err = app_error(res).await;
        assert_eq!(err.for_field("cover").as_deref(), Some(message), "{name}");
    }
    // Over 8 MB: refused while it streams in (and over 9 MB before it is read).
    let big = vec![7u8; 8 * 1024 * 1024 + 10];
    let res = upload(&app, &org, event, "big.png", big).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let huge = vec![7u8; 10 * 1024 * 1024];
    let res = upload(&app, &org, event, "huge.png", huge).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(cover_key(&db, event).await, None);

    // A page elsewhere posting the organizer's browser: refused, nothing stored.
    let res = org
        .post(format!("{}/api/organizer/cover", app.base_url))
        .header("origin", "http://evil.example")
        .multipart(
            Form::new()
                .text("event", event.to_string())
                .part("cover", Part::bytes(png(800, 400)).file_name("x.png")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(cover_key(&db, event).await, None);

    // Not a multipart form at all: refused before server_fn could panic on it.
    let res = app
        .call(&org, "organizer/cover", &[("event", &event.to_string())])
        .await;
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        app_error(res).await.to_string(),
        "Upload the image with the form on the event's edit page."
    );

    // Another organizer's event, or none: not found, nothing stored.
    let res = upload(&app, &org, theirs, "parade.png", png(800, 400)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(cover_key(&db, theirs).await, None);
    let res = upload(&app, &org, Uuid::new_v4(), "parade.png", png(800, 400)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Buyers and visitors cannot upload at all.
    let buyer = app.signed_in("buyer@example.com").await;
    let res = upload(&app, &buyer, event, "parade.png", png(800, 400)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = upload(&app, &app.browser(), event, "parade.png", png(800, 400)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(cover_key(&db, event).await, None);

    // Names that are no cover's are not found, and never reach the file system.
    for path in [
        "/covers/0123456789abcdef0123456789abcdef.jpg",
        "/covers/..%2F..%2Fetc%2Fpasswd",
        "/covers/secret.txt",
    ] {
        assert_eq!(
            app.get(path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

/// A real PNG of `side` × `side` RGBA pixels, all zero: under a megabyte on
/// the wire, `side`² × 4 bytes once decoded. Written row by row, so the test
/// never holds the decoded image itself.
fn bomb(side: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fastest);
        let mut writer = encoder.write_header().unwrap();
        let mut stream = writer.stream_writer().unwrap();
        let row = vec![0u8; side as usize * 4];
        for _ in 0..side {
            std::io::Write::write_all(&mut stream, &row).unwrap();
        }
        stream.finish().unwrap();
    }
    out
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn a_decompression_bomb_is_refused_before_it_is_decoded(db: PgPool) {
    let me = create_user(&db, "org@example.com", Role::Organizer).await;
    let event = published_listing(&db, me, "Lantern Parade", 1500, 50).await;
    let app = support::spawn(db.clone()).await;
    let org = app.signed_in("org@example.com").await;
    // 12,000 on a side (within the side limit): 576 MB once decoded.
    let file = bomb(12_000);
    assert!(file.len() < 8 * 1024 * 1024, "{} bytes", file.len());
    let res = upload(&app, &org, event, "bomb.png", file).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app_error(res).await.for_field("cover").as_deref(),
        Some(
            app::backend::covers::CoverRefusal::TooManyPixels
                .to_string()
                .as_str()
        )
    );
    assert_eq!(cover_key(&db, event).await, None);
}

#[sqlx::test(migrator = "server::MIGRATOR")]
async fn uploads_are_limited_per_organizer(db: PgPool) {
    let me = create_user(&db, "org@example.com", Role::Organizer).await;
    let event = published_listing(&db, me, "Lantern Parade", 1500, 50).await;
    let app = support::spawn(db.clone()).await;
    let org = app.signed_in("org@example.com").await;
    for _ in 0..app::backend::covers::UPLOADS_PER_HOUR {
        let res = upload(&app, &org, event, "notes.txt", b"not an image".to_vec()).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = upload(&app, &org, event, "parade.png", png(800, 400)).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(cover_key(&db, event).await, None);
}
