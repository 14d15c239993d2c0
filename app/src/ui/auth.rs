//! The signed-in user and the actions that change it, shared by every page.

use leptos::prelude::*;

use crate::api::auth::{SignIn, SignOut, SignUp, current_user};
use crate::error::AppError;
use crate::model::UserView;

#[derive(Clone, Copy)]
pub struct Auth {
    /// Refetched whenever one of the actions below completes.
    pub user: Resource<Result<Option<UserView>, AppError>>,
    pub sign_in: ServerAction<SignIn>,
    pub sign_up: ServerAction<SignUp>,
    pub sign_out: ServerAction<SignOut>,
}

pub fn provide_auth() {
    let sign_in = ServerAction::<SignIn>::new();
    let sign_up = ServerAction::<SignUp>::new();
    let sign_out = ServerAction::<SignOut>::new();
    let user = Resource::new(
        move || {
            (
                sign_in.version().get(),
                sign_up.version().get(),
                sign_out.version().get(),
            )
        },
        |_| current_user(),
    );
    provide_context(Auth {
        user,
        sign_in,
        sign_up,
        sign_out,
    });
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
