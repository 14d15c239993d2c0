use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::catalogue::search_events;
use crate::error::AppError;
use crate::i18n::{Words, t};
use crate::model::{CatalogueQuery, SearchResults, SortOrder};
use crate::ui::components::error_panel::ErrorPanel;
use crate::ui::components::event_card::EventCardView;
use crate::ui::islands::{mark_ready, set_url};

/// The catalogue: search and filters live in the URL, so a search can be shared,
/// the back button works, and the plain form works without JavaScript. The
/// server renders the first results; the [`Catalogue`] island then updates the
/// URL and the results in place as the buyer types.
#[component]
pub fn HomePage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| CatalogueQuery::from_lookup(|k| p.get(k))));
    let results = Resource::new(move || query.get(), search_events);

    view! {
        <Title text="" />
        <section class="mb-6 rounded-3xl bg-gradient-to-br from-indigo-600 to-violet-600 px-6 py-8 text-white shadow-lg sm:px-10 sm:py-10">
            <h1 class="text-3xl font-extrabold tracking-tight sm:text-4xl">{t("home-title")}</h1>
            <p class="mt-2 max-w-2xl text-indigo-100">
                {t("home-lead")}
            </p>
        </section>
        <Suspense fallback=|| view! { <p class="text-slate-600">{t("home-loading")}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                {move || Suspend::new(async move {
                    results.await.map(|results| {
                        let words = Words::of(CATALOGUE_WORDS);
                        view! { <Catalogue query=query.get_untracked() results words /> }
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// What the [`Catalogue`] island says, sent with it in the visitor's language.
const CATALOGUE_WORDS: &[&str] = &[
    "search-label",
    "search-placeholder",
    "search-filters",
    "search-from",
    "search-to",
    "search-min-price",
    "search-max-price",
    "search-available",
    "search-sort",
    "sort-date",
    "sort-price",
    "search-submit",
    "no-results-prices",
    "no-results-dates",
    "no-results",
    "pages-label",
    "page-previous",
    "page-next",
];

/// The query in the browser's address bar (after the back button).
#[cfg(feature = "hydrate")]
fn query_from_location() -> CatalogueQuery {
    let search = window().location().search().unwrap_or_default();
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(search.trim_start_matches('?').as_bytes())
            .into_owned()
            .collect();
    CatalogueQuery::from_lookup(|key| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
}

/// Search form and results, live: each change rewrites the URL (replacing the
/// entry while typing) and fetches the matching page of results; answers that
/// arrive after a newer question are dropped.
#[island]
fn Catalogue(query: CatalogueQuery, results: SearchResults, words: Words) -> impl IntoView {
    let words = StoredValue::new(words);
    mark_ready();
    let query = RwSignal::new(query);
    let results = RwSignal::new(Ok::<_, AppError>(results));
    let asked = StoredValue::new(0u64);
    let load = move |next: CatalogueQuery| {
        let ticket = asked.get_value() + 1;
        asked.set_value(ticket);
        leptos::task::spawn_local(async move {
            let answer = search_events(next).await;
            if asked.get_value() == ticket {
                results.set(answer);
            }
        });
    };
    let update = move |change: &dyn Fn(&mut CatalogueQuery), replace: bool| {
        let mut next = query.get_untracked();
        change(&mut next);
        next.page = 1;
        set_url(&next.href(), replace);
        query.set(next.clone());
        load(next);
    };
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            let next = query_from_location();
            query.set(next.clone());
            load(next);
        });
        std::mem::forget(handle);
    }
    view! {
        <SearchForm query update words />
        // Tells a screen reader how many events the search now finds.
        <p role="status" class="sr-only" data-testid="results-announcement">
            {move || results.with(|found| match found {
                Ok(found) if found.total > 0 => found.summary.clone(),
                Ok(_) => words.with_value(|w| w.get("no-results")),
                Err(err) => err.to_string(),
            })}
        </p>
        {move || match results.get() {
            Ok(found) => view! { <Results results=found query=query.get_untracked() words /> }.into_any(),
            Err(err) => view! {
                <div role="alert" class="rounded-xl border border-rose-200 bg-rose-50 p-6 text-rose-900">{err.to_string()}</div>
            }
            .into_any(),
        }}
    }
}

#[component]
fn SearchForm(
    query: RwSignal<CatalogueQuery>,
    update: impl Fn(&dyn Fn(&mut CatalogueQuery), bool) + Copy + Send + Sync + 'static,
    words: StoredValue<Words>,
) -> impl IntoView {
    let w = move |key: &str| words.with_value(|words| words.get(key));
    let text = {
        move |field: fn(&mut CatalogueQuery) -> &mut String, replace: bool| {
            move |ev: leptos::ev::Event| {
                let value = event_target_value(&ev);
                update(
                    &move |q: &mut CatalogueQuery| *field(q) = value.clone(),
                    replace,
                );
            }
        }
    };
    let input = "mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 placeholder:text-slate-500";
    let on_available = {
        move |ev: leptos::ev::Event| {
            let checked = event_target_checked(&ev);
            update(&move |q: &mut CatalogueQuery| q.available = checked, false);
        }
    };
    let sort_link = move |order: SortOrder, label: String| {
        let href = move || {
            CatalogueQuery {
                sort: order,
                page: 1,
                ..query.get()
            }
            .href()
        };
        let active = move || query.get().sort == order;
        // A new entry in the history, so the back button returns to the other order.
        let choose = move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            update(&move |q: &mut CatalogueQuery| q.sort = order, false);
        };
        view! {
            <a
                href=href
                on:click=choose
                aria-current=move || active().then_some("true")
                class=move || {
                    if active() {
                        "rounded-md bg-indigo-600 px-3 py-1.5 font-semibold text-white"
                    } else {
                        "rounded-md px-3 py-1.5 font-medium text-slate-600 hover:bg-slate-100"
                    }
                }
            >
                {label}
            </a>
        }
    };
    view! {
        <form method="get" action="/" class="mb-6 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm" role="search"
            on:submit=move |ev| {
                ev.prevent_default();
                update(&|_| {}, false);
            }>
            <div class="grid gap-3 sm:grid-cols-2 lg:grid-cols-6">
                <label class="lg:col-span-2">
                    <span class="text-sm font-medium text-slate-700">{w("search-label")}</span>
                    <input type="search" name="q" placeholder=w("search-placeholder") class=input
                        value=move || query.get().q prop:value=move || query.get().q on:input=text(|q| &mut q.q, true) />
                </label>
                // On a phone the filters fold away behind "Filters" (a checkbox
                // and CSS, so it works without JavaScript); open when one is set.
                // Not there at all on wider screens, where the filters always show.
                <input type="checkbox" id="show-filters" class="peer sr-only sm:hidden"
                    checked=move || query.with(CatalogueQuery::has_filters) />
                <label for="show-filters" data-testid="filters-toggle"
                    class="cursor-pointer rounded-lg border border-slate-300 px-3 py-2 text-center text-sm font-semibold text-slate-700 peer-focus-visible:ring-2 peer-focus-visible:ring-indigo-400 sm:hidden">
                    {w("search-filters")}
                </label>
                <label class=FOLDED>
                    <span class="text-sm font-medium text-slate-700">{w("search-from")}</span>
                    <input type="date" name="from" class=input value=move || query.get().from prop:value=move || query.get().from
                        on:change=text(|q| &mut q.from, false) />
                </label>
                <label class=FOLDED>
                    <span class="text-sm font-medium text-slate-700">{w("search-to")}</span>
                    <input type="date" name="to" class=input value=move || query.get().to prop:value=move || query.get().to
                        on:change=text(|q| &mut q.to, false) />
                </label>
                <label class=FOLDED>
                    <span class="text-sm font-medium text-slate-700">{w("search-min-price")}</span>
                    <input type="number" min="0" step="any" inputmode="decimal" name="min_price" class=input
                        value=move || query.get().min_price prop:value=move || query.get().min_price on:change=text(|q| &mut q.min_price, false) />
                </label>
                <label class=FOLDED>
                    <span class="text-sm font-medium text-slate-700">{w("search-max-price")}</span>
                    <input type="number" min="0" step="any" inputmode="decimal" name="max_price" class=input
                        value=move || query.get().max_price prop:value=move || query.get().max_price on:change=text(|q| &mut q.max_price, false) />
                </label>
            </div>
            <div class="mt-3 flex flex-wrap items-center justify-between gap-3">
                <label class="flex items-center gap-2 text-sm text-slate-700">
                    <input type="checkbox" name="available" value="1" class="h-4 w-4 rounded border-slate-300"
                        checked=move || query.get().available prop:checked=move || query.get().available on:change=on_available />
                    {w("search-available")}
                </label>
                <div class="flex items-center gap-3">
                    <input type="hidden" name="sort" prop:value=move || if query.get().sort == SortOrder::Price { "price" } else { "date" } />
                    <div class="inline-flex rounded-lg border border-slate-200 bg-white p-1 text-sm" role="group" aria-label=w("search-sort")>
                        {sort_link(SortOrder::Date, w("sort-date"))}
                        {sort_link(SortOrder::Price, w("sort-price"))}
                    </div>
                    <button type="submit" class="rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-700">
                        {w("search-submit")}
                    </button>
                </div>
            </div>
        </form>
    }
}

/// A filter that folds away on a phone until "Filters" is opened.
const FOLDED: &str = "hidden peer-checked:block sm:block";

#[component]
fn Results(
    results: SearchResults,
    query: CatalogueQuery,
    words: StoredValue<Words>,
) -> impl IntoView {
    let w = move |key: &str| words.with_value(|words| words.get(key));
    let pages = results.pages();
    let summary = results.summary.clone();
    let page_label = results.page_label.clone();
    if results.items.is_empty() {
        return view! {
            <p class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600" data-testid="no-results">
                {if query.prices_reversed() {
                    w("no-results-prices")
                } else if query.dates_reversed() {
                    w("no-results-dates")
                } else {
                    w("no-results")
                }}
            </p>
        }
        .into_any();
    }
    let page = results.page;
    view! {
        // The cards' titles are h3: the count heads the results between them and the page's h1.
        <h2 class="mb-3 text-sm font-normal text-slate-600" data-testid="result-count">{summary}</h2>
        <div class="grid gap-5 sm:grid-cols-2 lg:grid-cols-3" data-testid="event-grid">
            {results.items.into_iter().map(|event| view! { <EventCardView event /> }).collect_view()}
        </div>
        <Show when=move || { pages > 1 }>
            <nav class="mt-6 flex items-center justify-center gap-3 text-sm" aria-label=w("pages-label")>
                {(page > 1).then(|| view! {
                    <a href=query.with_page(page - 1).href() class="rounded-lg border border-slate-300 px-3 py-1.5 hover:bg-slate-100">{w("page-previous")}</a>
                })}
                <span data-testid="page-indicator">{page_label.clone()}</span>
                {(page < pages).then(|| view! {
                    <a href=query.with_page(page + 1).href() class="rounded-lg border border-slate-300 px-3 py-1.5 hover:bg-slate-100">{w("page-next")}</a>
                })}
            </nav>
        </Show>
    }
    .into_any()
}
