use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::cart::view_cart;
use crate::i18n::{Locale, t, use_locale};
use crate::model::UserView;
use crate::ui::auth::{provide_auth, use_auth};
use crate::ui::cart_state::{provide_cart, use_cart};
use crate::ui::islands::{mark_ready, on_cart_changed};

const NAV_LINK: &str = "rounded-md px-2 py-1 hover:bg-slate-100 hover:text-slate-900";

/// Header, main column and footer shared by every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    provide_auth();
    provide_cart();
    view! {
        <div class="flex min-h-screen flex-col">
            // The first stop of the keyboard: straight past the header.
            <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-20 focus:rounded-lg focus:bg-indigo-700 focus:px-4 focus:py-2 focus:font-semibold focus:text-white">
                {t("skip-to-content")}
            </a>
            <header class="sticky top-0 z-10 border-b border-slate-200 bg-white/90 backdrop-blur">
                <nav class="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-3 gap-y-1 px-4 py-2 sm:gap-3 sm:px-6 sm:py-3">
                    <A href="/" attr:class="flex items-center gap-2 text-lg font-bold tracking-tight text-indigo-700">
                        <svg aria-hidden="true" viewBox="0 0 64 64" class="h-8 w-8">
                            <rect width="64" height="64" rx="14" fill="#4f46e5" />
                            <path d="M14 22h36v6a4 4 0 0 0 0 8v6H14v-6a4 4 0 0 0 0-8z" fill="#fff" />
                        </svg>
                        {t("shop-name")}
                    </A>
                    <div class="flex flex-wrap items-center gap-1 text-sm font-medium text-slate-600 sm:gap-3">
                        <A href="/" attr:class=NAV_LINK>{t("nav-events")}</A>
                        <CartLink />
                        <UserMenu />
                        <LanguageSwitch />
                    </div>
                </nav>
            </header>
            <main id="main" tabindex="-1" class="mx-auto w-full max-w-6xl flex-1 px-4 py-8 outline-none sm:px-6">{children()}</main>
            <footer class="border-t border-slate-200 bg-white">
                <div class="mx-auto max-w-6xl px-4 py-6 text-sm text-slate-600 sm:px-6">
                    {t("footer-tagline")}
                </div>
            </footer>
        </div>
    }
}

#[component]
fn CartLink() -> impl IntoView {
    let cart = use_cart().cart;
    // Awaited inside `Suspend` rather than read with `.get()`: the reactive
    // read could leave the server's streamed page unfinished now and then
    // (leptos-rs/leptos#4578), like the home page in `server/tests/suite/pages.rs`.
    view! {
        <A href="/cart" attr:class=NAV_LINK>
            {t("nav-cart")}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let count = cart.await.map(|c| c.count()).unwrap_or(0);
                    view! { <CartCount count /> }
                })}
            </Suspense>
        </A>
    }
}

/// The header's count: follows the other islands' changes to the cart (adding
/// on an event page, the cart page, an order becoming paid) without a reload.
#[island]
fn CartCount(count: i64) -> impl IntoView {
    mark_ready();
    let count = RwSignal::new(count);
    on_cart_changed(move || {
        leptos::task::spawn_local(async move {
            if let Ok(cart) = view_cart().await {
                count.set(cart.count());
            }
        })
    });
    let label = move || match count.get() {
        n if n > 0 => format!(" ({n})"),
        _ => String::new(),
    };
    view! { <span data-testid="cart-count">{label}</span> }
}

#[component]
fn UserMenu() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) => view! { <SignedIn user /> }.into_any(),
                    _ => view! {
                        <A href="/signin" attr:class=NAV_LINK>{t("nav-sign-in")}</A>
                        <A href="/signup" attr:class="rounded-lg bg-indigo-600 px-3 py-1.5 font-semibold text-white hover:bg-indigo-700">
                            {t("nav-sign-up")}
                        </A>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SignedIn(user: UserView) -> impl IntoView {
    let sign_out = use_auth().sign_out;
    view! {
        {user.is_organizer().then(|| view! { <A href="/organizer" attr:class=NAV_LINK>{t("nav-organizer")}</A> })}
        {user.is_admin().then(|| view! { <A href="/admin" attr:class=NAV_LINK>{t("nav-admin")}</A> })}
        <A href="/orders" attr:class=NAV_LINK>{t("nav-orders")}</A>
        <A href="/account" attr:class=NAV_LINK>
            <span data-testid="signed-in-as">{user.name}</span>
        </A>
        <ActionForm action=sign_out>
            <button type="submit" class="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900">
                {t("nav-sign-out")}
            </button>
        </ActionForm>
    }
}

/// The languages, as a form of one button each: a plain post that works
/// without JavaScript and comes back to this page in the chosen language.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let current = use_locale();
    let location = leptos_router::hooks::use_location();
    let (path, search) = (
        location.pathname.get_untracked(),
        location.search.get_untracked(),
    );
    let back = if search.is_empty() {
        path
    } else {
        format!("{path}?{}", search.trim_start_matches('?'))
    };
    view! {
        <form method="post" action="/language" class="flex items-center rounded-md border border-slate-200 p-0.5"
            aria-label=t("nav-language") data-testid="language-switch">
            <input type="hidden" name="back" value=back />
            {Locale::ALL
                .into_iter()
                .map(|locale| {
                    let chosen = locale == current;
                    view! {
                        <button type="submit" name="lang" value=locale.tag() lang=locale.tag()
                            aria-label=locale.endonym() aria-pressed=chosen.to_string()
                            class=if chosen {
                                "rounded px-1.5 py-0.5 text-xs font-semibold uppercase bg-slate-800 text-white"
                            } else {
                                "rounded px-1.5 py-0.5 text-xs font-semibold uppercase text-slate-600 hover:bg-slate-100"
                            }>
                            {locale.tag()}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}
