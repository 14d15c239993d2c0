//! An event's sales dashboard for its organizer.

use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::SalesDashboard;

#[server(endpoint = "organizer/sales")]
pub async fn event_sales(event: Uuid) -> Result<SalesDashboard, AppError> {
    use crate::backend::{access, http::serve, queue, sales};
    serve(|state| async move {
        let user = access::require_organizer().await?;
        let mut dashboard = sales::dashboard(&state.db, &user, event)
            .await?
            .ok_or(AppError::NotFound)?;
        if dashboard.queue_enabled {
            // Valkey's figures, when it answers: the rest of the page is the
            // database's and stands without them.
            let check = dashboard.queue_check;
            dashboard.queue_live =
                queue::challenge::live(&state.valkey, event, &state.config.queue, check)
                    .await
                    .inspect_err(
                        |err| tracing::warn!(%event, error = %err, "queue figures not read"),
                    )
                    .ok();
        }
        Ok(dashboard)
    })
    .await
}
