//! The demo events' cover images (drawn by `scripts/demo-covers.py`, kept in
//! `app/demo-covers/`), given to the events as an organizer's upload is: checked
//! and re-encoded by [`covers::prepare`], stored, and set on the event.

use sqlx::PgPool;
use uuid::Uuid;

use crate::backend::covers::{self, CoverStore};
use crate::backend::db;
use crate::backend::error::{BackendError, BackendResult};
use crate::error::{AppError, Service};

/// Each demo event's cover, by title.
const COVERS: &[(&str, &[u8])] = &[
    (
        "Midnight Orchestra: Winter Solstice Concert",
        include_bytes!("../../../demo-covers/midnight-orchestra.jpg"),
    ),
    (
        "Rust Nation Conference 2027",
        include_bytes!("../../../demo-covers/rust-nation.jpg"),
    ),
    (
        "The Laughing Lighthouse Comedy Night",
        include_bytes!("../../../demo-covers/laughing-lighthouse.jpg"),
    ),
    (
        "Jazz on the Quay",
        include_bytes!("../../../demo-covers/jazz-on-the-quay.jpg"),
    ),
    (
        "Silent Disco at the Natural History Museum",
        include_bytes!("../../../demo-covers/silent-disco.jpg"),
    ),
    (
        "Berlin Techno Marathon",
        include_bytes!("../../../demo-covers/berlin-techno.jpg"),
    ),
    (
        "Nordic Folk Festival: Day Pass",
        include_bytes!("../../../demo-covers/nordic-folk.jpg"),
    ),
    (
        "Shakespeare in the Round: The Tempest",
        include_bytes!("../../../demo-covers/shakespeare-tempest.jpg"),
    ),
    (
        "Data Science Summit Amsterdam",
        include_bytes!("../../../demo-covers/data-science.jpg"),
    ),
    (
        "Kids' Science Show: Fizz, Pop, Bang!",
        include_bytes!("../../../demo-covers/kids-science.jpg"),
    ),
    (
        "Indie Vinyl Market and Live Sets",
        include_bytes!("../../../demo-covers/indie-vinyl.jpg"),
    ),
    (
        "New Year's Eve Rooftop Party",
        include_bytes!("../../../demo-covers/nye-rooftop.jpg"),
    ),
];

/// Gives the organizer's demo events their covers; how many were set.
pub(super) async fn set(db: &PgPool, store: &CoverStore, organizer: Uuid) -> BackendResult<usize> {
    let mut set = 0;
    for (title, image) in COVERS {
        let Some(event) = sqlx::query_scalar!(
            "SELECT id FROM events WHERE organizer_id = $1 AND title = $2",
            organizer,
            title
        )
        .fetch_optional(db)
        .await?
        else {
            continue;
        };
        let cover = covers::prepare(image)
            .map_err(|refusal| BackendError::from(AppError::from(refusal)))?;
        store.put(&cover).await.map_err(|err| {
            tracing::error!(error = %err, "demo cover not stored");
            BackendError::from(AppError::Unavailable(Service::Images))
        })?;
        if db::events::set_cover(db, organizer, event, &cover.key).await? {
            set += 1;
        }
    }
    Ok(set)
}
