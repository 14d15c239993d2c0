use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::{CatalogueQuery, EventDetail, SearchResults};

/// The catalogue: published listings still on sale (or about to be), filtered.
#[server(endpoint = "catalogue/search")]
pub async fn search_events(query: CatalogueQuery) -> Result<SearchResults, AppError> {
    use crate::backend::{catalogue, http::serve};
    serve(|state| async move { Ok(catalogue::search(&state.db, &query).await?) }).await
}

/// One event's page: its ticket types with live availability.
#[server(endpoint = "catalogue/event")]
pub async fn get_event(id: Uuid) -> Result<EventDetail, AppError> {
    use crate::backend::{access, catalogue, http::serve, queue};
    use crate::model::{EventStatus, QueueView};
    serve(|state| async move {
        let viewer = access::current_user().await?.map(|u| u.id);
        let mut detail = catalogue::detail(&state.db, id, viewer).await?;
        if detail.status == EventStatus::Published {
            let auto = state.config.queue_auto_arrivals_per_sec;
            // Arrivals past the configured rate turn the queue on by itself.
            if detail.queue == QueueView::Off
                && auto > 0
                && queue::arrive(&state.cache, id, auto).await.unwrap_or(false)
            {
                detail.queue = QueueView::Wait;
            }
            if detail.queue == QueueView::Wait && access::queue_gate(&state).await?.admits(id) {
                detail.queue = QueueView::Admitted;
            }
        }
        Ok(detail)
    })
    .await
}
