use leptos::prelude::*;
use leptos_router::components::A;

/// Header, main column and footer shared by every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <div class="flex min-h-screen flex-col">
            <header class="border-b border-slate-200 bg-white/90 backdrop-blur sticky top-0 z-10">
                <nav class="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
                    <A href="/" attr:class="flex items-center gap-2 text-lg font-bold tracking-tight text-indigo-700">
                        <svg aria-hidden="true" viewBox="0 0 64 64" class="h-8 w-8">
                            <rect width="64" height="64" rx="14" fill="#4f46e5" />
                            <path d="M14 22h36v6a4 4 0 0 0 0 8v6H14v-6a4 4 0 0 0 0-8z" fill="#fff" />
                        </svg>
                        "Ticket Sales"
                    </A>
                    <div class="flex items-center gap-3 text-sm font-medium text-slate-600">
                        <A href="/" attr:class="rounded-md px-2 py-1 hover:bg-slate-100 hover:text-slate-900">"Events"</A>
                    </div>
                </nav>
            </header>
            <main class="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6">{children()}</main>
            <footer class="border-t border-slate-200 bg-white">
                <div class="mx-auto max-w-6xl px-4 py-6 text-sm text-slate-500 sm:px-6">
                    "Ticket Sales · open-source ticketing written in Rust"
                </div>
            </footer>
        </div>
    }
}
