//! An event's sales dashboard for its organizer.

use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::SalesDashboard;

#[server(endpoint = "organizer/sales")]
pub async fn event_sales(event: Uuid) -> Result<SalesDashboard, AppError> {
    use crate::backend::{access, http::serve, sales};
    serve(|state| async move {
        let user = access::require_organizer().await?;
        sales::dashboard(&state.db, &user, event)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}
