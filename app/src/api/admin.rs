use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;
use crate::model::{ApplicationView, DailySales, ShopStats, SuspensionView, UserSummary};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminSummary {
    pub stats: ShopStats,
    /// Pending first, then decided ones, newest decision first.
    pub applications: Vec<ApplicationView>,
    /// The last 30 days, newest first, one row per day and currency.
    pub daily_sales: Vec<DailySales>,
    /// Those in force first.
    pub suspensions: Vec<SuspensionView>,
}

/// Days of sales the overview shows.
pub const SALES_DAYS: i32 = 30;

#[server(endpoint = "admin/dashboard")]
pub async fn admin_dashboard() -> Result<AdminSummary, AppError> {
    use crate::backend::{access, db, http::serve, organizers};
    use crate::model::Role;
    serve(|state| async move {
        access::require_role(Role::Admin).await?;
        Ok(AdminSummary {
            stats: db::stats::shop_stats(&state.db).await?,
            applications: db::applications::list_for_admin(&state.db, 200).await?,
            daily_sales: db::stats::daily_sales(&state.db, SALES_DAYS).await?,
            suspensions: organizers::suspensions(&state.db, 100).await?,
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

/// Users whose address or name contains `q` (at most 50, newest first).
#[server(endpoint = "admin/users")]
pub async fn search_users(q: String) -> Result<Vec<UserSummary>, AppError> {
    use crate::backend::{access, db, http::serve};
    use crate::model::Role;
    serve(|state| async move {
        access::require_role(Role::Admin).await?;
        let query = q.trim();
        if query.chars().count() > 254 {
            return Err(AppError::invalid("q", "Search for at most 254 characters."));
        }
        if query.is_empty() {
            return Ok(Vec::new());
        }
        Ok(db::users::search(&state.db, query, 50).await?)
    })
    .await
}

/// Suspends an organizer, with a reason: their events stop selling at once.
#[server(endpoint = "admin/suspend")]
pub async fn suspend_organizer(organizer: Uuid, reason: String) -> Result<(), AppError> {
    use crate::backend::{access, http::serve, organizers};
    use crate::model::Role;
    serve(|state| async move {
        let admin = access::require_role(Role::Admin).await?;
        organizers::suspend(&state.db, &admin, organizer, &reason).await?;
        Ok(())
    })
    .await
}

/// Lifts an organizer's suspension: their events sell again.
#[server(endpoint = "admin/lift_suspension")]
pub async fn lift_suspension(organizer: Uuid) -> Result<(), AppError> {
    use crate::backend::{access, http::serve, organizers};
    use crate::model::Role;
    serve(|state| async move {
        let admin = access::require_role(Role::Admin).await?;
        organizers::lift_suspension(&state.db, &admin, organizer).await?;
        Ok(())
    })
    .await
}
