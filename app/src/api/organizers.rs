use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::ApplicationView;

#[server(endpoint = "organizers/apply")]
pub async fn apply_organizer(
    org_name: String,
    description: String,
    website: String,
    kind: String,
) -> Result<(), AppError> {
    use crate::backend::{access, http::serve, organizers};
    use crate::model::ApplicationForm;
    serve(|state| async move {
        let user = access::require_user().await?;
        let form = ApplicationForm::parse(&org_name, &description, &website, &kind)?;
        organizers::apply(&state.db, &user, &form).await?;
        Ok(())
    })
    .await
}

/// The signed-in user's latest organizer application, if any.
#[server(endpoint = "organizers/my_application")]
pub async fn my_application() -> Result<Option<ApplicationView>, AppError> {
    use crate::backend::{access, db, http::serve};
    serve(|state| async move {
        let user = access::require_user().await?;
        Ok(db::applications::latest_for_user(&state.db, user.id).await?)
    })
    .await
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizerProfile {
    pub org_name: String,
    /// Why an admin suspended the organizer, while it is in force.
    pub suspended: Option<String>,
    /// Where to write to have it lifted (`SUPPORT_EMAIL`).
    pub support_email: String,
}

/// The organizer area's landing data; only organizers get it.
#[server(endpoint = "organizers/overview")]
pub async fn organizer_overview() -> Result<OrganizerProfile, AppError> {
    use crate::backend::{access, db, http::serve, organizers};
    use crate::model::Role;
    serve(|state| async move {
        let user = access::require_role(Role::Organizer).await?;
        let suspended = organizers::suspension_of(&state.db, user.id).await?;
        let org_name = db::applications::latest_for_user(&state.db, user.id)
            .await?
            .map_or(user.name, |app| app.org_name);
        Ok(OrganizerProfile {
            org_name,
            suspended,
            support_email: state.config.mail.support_email.clone(),
        })
    })
    .await
}
