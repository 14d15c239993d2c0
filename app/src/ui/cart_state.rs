//! The cart as every page sees it (the header's count, the cart page), refreshed
//! whenever an action changes it.

use leptos::prelude::*;

use crate::api::cart::{AddToCart, SetCartLine, view_cart};
use crate::error::AppError;
use crate::model::CartView;
use crate::ui::auth::use_auth;

#[derive(Clone, Copy)]
pub struct CartState {
    pub cart: Resource<Result<CartView, AppError>>,
    pub add: ServerAction<AddToCart>,
    pub set: ServerAction<SetCartLine>,
}

pub fn provide_cart() {
    let auth = use_auth();
    let add = ServerAction::<AddToCart>::new();
    let set = ServerAction::<SetCartLine>::new();
    let cart = Resource::new(
        move || {
            (
                add.version().get(),
                set.version().get(),
                auth.sign_in.version().get(),
                auth.sign_out.version().get(),
            )
        },
        |_| view_cart(),
    );
    provide_context(CartState { cart, add, set });
}

pub fn use_cart() -> CartState {
    expect_context::<CartState>()
}
