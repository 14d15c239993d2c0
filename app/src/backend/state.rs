use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use sqlx::PgPool;
use uuid::Uuid;

use super::config::Config;
use super::covers::CoverStore;
use super::payments::Payments;
use super::valkey::Valkey;
use crate::error::AppError;

/// Everything a request handler or server function needs, cheap to clone.
/// A catalogue page without a search text: language, sort, available only, page.
pub type CatalogueKey = (crate::i18n::Locale, crate::model::SortOrder, bool, u32);

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    /// The primary: everything that decides money or seats reads and writes here.
    pub db: PgPool,
    /// Where the catalogue and event pages may read, a bounded moment behind
    /// (`db::replica`): `replica.or(&db)`.
    pub replica: super::db::replica::Replica,
    pub valkey: Valkey,
    pub config: Arc<Config>,
    /// Stripe (or the emulator); `None` when no keys are configured.
    pub payments: Option<Arc<Payments>>,
    /// Event cover images.
    pub covers: CoverStore,
    /// The catalogue without a search text, kept a second on this instance
    /// (`backend::fresh`), keyed by language (the titles), sort order,
    /// "available only" and page.
    pub catalogue: super::fresh::Fresh<CatalogueKey, crate::model::SearchResults>,
    /// Each queued event's progress, kept a second on this instance (what
    /// every waiting visitor compares their number with).
    pub queue_progress: super::fresh::Fresh<Uuid, Option<Arc<super::queue::Progress>>>,
    /// The events with a live queue, kept a second on this instance: the
    /// public progress of any other event is refused without asking Valkey.
    pub queue_events: super::fresh::Fresh<(), Arc<std::collections::HashSet<Uuid>>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// Signs and checks the tokens of mailed links (`APP_SECRET`).
    pub fn link_key(&self) -> super::links::LinkKey {
        use secrecy::ExposeSecret;
        super::links::LinkKey::new(self.config.app_secret.expose_secret().as_bytes())
    }

    /// What checking out needs, borrowed from the state.
    pub fn checkout(&self) -> super::orders::checkout::CheckoutContext<'_> {
        super::orders::checkout::CheckoutContext {
            db: &self.db,
            valkey: &self.valkey,
            payments: self.payments.as_deref(),
            hold: self.config.reservation_timeout,
            base_url: &self.config.app_base_url,
            queue_auto_arrivals_per_sec: self.config.queue.auto_arrivals_per_sec,
        }
    }

    /// The state provided by the router to server functions and SSR.
    pub fn from_context() -> Result<Self, AppError> {
        use_context::<Self>().ok_or_else(|| {
            tracing::error!("AppState missing from the reactive context");
            AppError::Internal
        })
    }
}
