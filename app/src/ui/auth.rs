//! The signed-in user as the server renders every page for them.

use leptos::prelude::*;

use crate::api::auth::{SignOut, current_user};
use crate::error::AppError;
use crate::model::UserView;

#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Result<Option<UserView>, AppError>>,
    /// The header's sign-out form (a plain form post).
    pub sign_out: ServerAction<SignOut>,
}

pub fn provide_auth() {
    provide_context(Auth {
        user: Resource::new(|| (), |_| current_user()),
        sign_out: ServerAction::<SignOut>::new(),
    });
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
