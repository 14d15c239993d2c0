use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::{CatalogueQuery, SearchResults, TicketDetail};

/// The catalogue: published listings still on sale (or about to be), filtered.
#[server(endpoint = "catalogue/search")]
pub async fn search_events(query: CatalogueQuery) -> Result<SearchResults, AppError> {
    use crate::backend::{AppState, catalogue, http::respond};
    respond(
        async {
            let state = AppState::from_context()?;
            Ok(catalogue::search(&state.db, &query).await?)
        }
        .await,
    )
}

/// One listing's page, with live availability.
#[server(endpoint = "catalogue/ticket")]
pub async fn get_ticket(id: Uuid) -> Result<TicketDetail, AppError> {
    use crate::backend::{AppState, access, catalogue, http::respond};
    respond(
        async {
            let state = AppState::from_context()?;
            let viewer = access::current_user().await?.map(|u| u.id);
            Ok(catalogue::detail(&state.db, id, viewer).await?)
        }
        .await,
    )
}
