//! An event's sales dashboard for its organizer.

use leptos::prelude::*;
use uuid::Uuid;

use crate::error::AppError;
use crate::model::SalesDashboard;

#[server(endpoint = "organizer/sales")]
pub async fn event_sales(event: Uuid) -> Result<SalesDashboard, AppError> {
    use crate::backend::{access, http::serve, sales};
    use crate::model::Role;
    serve(|state| async move {
        let user = access::require_user().await?;
        if !matches!(user.role, Role::Organizer | Role::Admin) {
            return Err(AppError::Forbidden);
        }
        sales::dashboard(&state.db, &user, event)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}
