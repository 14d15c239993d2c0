//! The cart as the server renders it for the header's count and the cart page;
//! islands that change it ask for it again and tell the others
//! ([`crate::ui::islands::announce_cart_changed`]).

use leptos::prelude::*;

use crate::api::cart::view_cart;
use crate::error::AppError;
use crate::model::CartView;

#[derive(Clone, Copy)]
pub struct CartState {
    pub cart: Resource<Result<CartView, AppError>>,
}

pub fn provide_cart() {
    provide_context(CartState {
        cart: Resource::new(|| (), |_| view_cart()),
    });
}

pub fn use_cart() -> CartState {
    expect_context::<CartState>()
}
