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
        // At least one a minute as the page says it (the rate may be a fraction).
        dashboard.queue_admit_default_per_minute =
            (state.config.queue.admit_per_sec * 60.0).round().max(1.0) as u32;
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
