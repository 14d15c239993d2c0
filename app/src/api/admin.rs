use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;
use crate::model::{ApplicationView, ShopStats};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminSummary {
    pub stats: ShopStats,
    /// Pending first, then decided ones, newest decision first.
    pub applications: Vec<ApplicationView>,
}

#[server(endpoint = "admin/dashboard")]
pub async fn admin_dashboard() -> Result<AdminSummary, AppError> {
    use crate::backend::{access, db, http::serve};
    use crate::model::Role;
    serve(|state| async move {
        access::require_role(Role::Admin).await?;
        Ok(AdminSummary {
            stats: db::stats::shop_stats(&state.db).await?,
            applications: db::applications::list_for_admin(&state.db, 200).await?,
        })
    })
    .await
}

/// Approves or rejects an application (`decision` is "approve" or "reject";
/// a rejection needs a reason).
#[server(endpoint = "admin/decide")]
pub async fn decide_application(
    id: Uuid,
    decision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::organizers::{Decision, decide};
    use crate::backend::{access, http::serve};
    use crate::model::Role;
    serve(|state| async move {
        let admin = access::require_role(Role::Admin).await?;
        let decision = Decision::parse(&decision, reason.as_deref().unwrap_or(""))?;
        decide(&state.db, &admin, id, decision).await?;
        Ok(())
    })
    .await
}
