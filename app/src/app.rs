//! The HTML shell, the root component and the route table.

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

use crate::ui::layout::Layout;
use crate::ui::pages::account::AccountPage;
use crate::ui::pages::admin::AdminPage;
use crate::ui::pages::cart::CartPage;
use crate::ui::pages::checkin::CheckInPage;
use crate::ui::pages::codes::EventCodesPage;
use crate::ui::pages::door_staff::{DoorInvitePage, DoorStaffPage};
use crate::ui::pages::email::{
    ConfirmEmailPage, ForgotPasswordPage, ResetPasswordPage, RestoreEmailPage, VerifyEmailPage,
};
use crate::ui::pages::event::EventPage;
use crate::ui::pages::event_editor::{EditEventPage, NewEventPage};
use crate::ui::pages::home::HomePage;
use crate::ui::pages::not_found::NotFound;
use crate::ui::pages::order::OrderPage;
use crate::ui::pages::orders::OrdersPage;
use crate::ui::pages::organizer::OrganizerPage;
use crate::ui::pages::organizer_orders::{EventOrdersPage, OrganizerOrderPage};
use crate::ui::pages::sales::SalesPage;
use crate::ui::pages::sign_in::SignInPage;
use crate::ui::pages::sign_up::SignUpPage;
use crate::ui::pages::ticket::TicketPage;

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::backend::http::set_content_security_policy();
    let lang = crate::i18n::use_locale().tag();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="description" content=crate::i18n::t("shop-description") />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // Named with the content's hash when the build hashes assets.
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Ticket Sales".to_string() } else { format!("{page} · Ticket Sales") }
        } />
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    // In-order streaming: the page reads complete without JavaScript.
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::InOrder />
                    <Route path=StaticSegment("signin") view=SignInPage ssr=SsrMode::InOrder />
                    <Route path=StaticSegment("signup") view=SignUpPage ssr=SsrMode::InOrder />
                    <Route path=StaticSegment("forgot-password") view=ForgotPasswordPage ssr=SsrMode::InOrder />
                    <Route path=StaticSegment("reset-password") view=ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("verify-email") view=VerifyEmailPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("confirm-email") view=ConfirmEmailPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("restore-email") view=RestoreEmailPage ssr=SsrMode::Async />
                    // Protected pages render only once the access check has answered,
                    // so the response carries its status (302 to sign-in, 403).
                    <Route path=StaticSegment("account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("organizer") view=OrganizerPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("admin") view=AdminPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("events"), ParamSegment("id")) view=EventPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("cart") view=CartPage ssr=SsrMode::InOrder />
                    <Route path=(StaticSegment("orders"), ParamSegment("id")) view=OrderPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("orders") view=OrdersPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("organizer"), StaticSegment("events"), ParamSegment("id"), StaticSegment("checkin"))
                        view=CheckInPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("organizer"), StaticSegment("events"), ParamSegment("id"), StaticSegment("orders"))
                        view=EventOrdersPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("organizer"), StaticSegment("events"), ParamSegment("id"), StaticSegment("staff"))
                        view=DoorStaffPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("organizer"), StaticSegment("events"), ParamSegment("id"), StaticSegment("codes"))
                        view=EventCodesPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("door-invite") view=DoorInvitePage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("organizer"), StaticSegment("events"), ParamSegment("id"), StaticSegment("sales"))
                        view=SalesPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("organizer"), StaticSegment("orders"), ParamSegment("id"))
                        view=OrganizerOrderPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("tickets"), ParamSegment("id")) view=TicketPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("organizer"), StaticSegment("events"), StaticSegment("new"))
                        view=NewEventPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("organizer"), StaticSegment("events"), ParamSegment("id"), StaticSegment("edit"))
                        view=EditEventPage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
