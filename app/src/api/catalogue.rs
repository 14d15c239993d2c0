use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::{CatalogueQuery, EventDetail, SearchResults};

/// The catalogue: published listings still on sale (or about to be), filtered.
#[server(endpoint = "catalogue/search")]
pub async fn search_events(query: CatalogueQuery) -> Result<SearchResults, AppError> {
    use crate::backend::{catalogue, http::serve};
    let (locale, sort) = (crate::i18n::use_locale(), query.sort);
    let written = serve(|state| async move {
        // May be a bounded moment behind (`db::replica`), like the copy kept.
        let search = || {
            state.replica.read(&state.db, |db| {
                let query = query.clone();
                async move { catalogue::search(&db, &query, locale).await }
            })
        };
        // The same for everyone: served from this instance's copy for a second.
        // A search by text or a filter typed by the visitor asks the database.
        let typed = [
            &query.q,
            &query.from,
            &query.to,
            &query.min_price,
            &query.max_price,
        ];
        if typed.iter().all(|t| t.trim().is_empty()) {
            let key = (locale, query.sort, query.available, query.page.max(1));
            return state
                .catalogue
                .get_or_load(&key, search)
                .await
                .map_err(Into::into);
        }
        Ok(search().await?)
    })
    .await?;
    // Written after the shared copy: it holds the results, not one visitor's words.
    Ok(written.written(locale, sort))
}

/// One event's page: its ticket types with live availability. `code`, when
/// given (typed on the page or in a link, `/events/{id}?code=…`), is entered
/// for the visitor's cart; the code kept for the event shows the hidden types
/// it covers and its discount.
#[server(endpoint = "catalogue/event")]
pub async fn get_event(id: Uuid, code: Option<String>) -> Result<EventDetail, AppError> {
    use crate::backend::error::BackendError;
    use crate::backend::{access, cart, catalogue, http::serve, queue};
    use crate::model::{CodeView, EventStatus, QueueView};
    let locale = crate::i18n::use_locale();
    serve(|state| async move {
        let auth = access::auth_session().await?;
        let viewer = auth.user.as_ref().map(|u| u.id);
        let typed = code.filter(|c| !c.trim().is_empty());
        let mut told = CodeView::None;
        let offer = match typed {
            Some(typed) => {
                let owner = cart::owner(&auth, true).await?.ok_or(AppError::Internal)?;
                let ip = access::client_ip(&state).await;
                match access::enter_code(&state, owner, &ip, id, &typed).await {
                    Ok(None) => {
                        told = CodeView::NotValid;
                        None
                    }
                    Ok(offer) => offer,
                    Err(BackendError::User(AppError::RateLimited { retry_after_secs })) => {
                        told = CodeView::TooManyTries { retry_after_secs };
                        None
                    }
                    Err(err) => return Err(err.into()),
                }
            }
            None => None,
        };
        let offer = match offer {
            Some(offer) => Some(offer),
            None => {
                cart::code::kept(
                    &state.db,
                    &state.valkey,
                    cart::owner(&auth, false).await?,
                    id,
                )
                .await?
            }
        };
        // The page may be a bounded moment behind (`db::replica`); adding to
        // the cart and checking out decide on the primary.
        let mut detail = state
            .replica
            .read(&state.db, |db| {
                let offer = offer.clone();
                async move { catalogue::detail(&db, id, viewer, locale, offer.as_ref()).await }
            })
            .await?;
        if told != CodeView::None {
            detail.code = told;
        }
        if detail.status == EventStatus::Published {
            let auto = state.config.queue.auto_arrivals_per_sec;
            // Arrivals past the configured rate turn the queue on by itself.
            if detail.queue == QueueView::Off
                && auto > 0
                && queue::arrive(&state.valkey, id, auto)
                    .await
                    .unwrap_or(false)
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
