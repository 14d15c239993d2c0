//! The ticket types' rows in the editor: their signals, the list's moves, and
//! each row's card. A row's form names follow its position
//! (`form[types][1][price]`), which changes as rows move.

use leptos::prelude::*;

use crate::model::{MAX_TICKET_TYPES, TicketTypeForm, type_field};
use crate::ui::components::form::input_class;
use crate::ui::islands::typed_before_hydration;

/// One ticket type's fields; `key` stays the same while rows move.
#[derive(Clone, Copy)]
pub struct TypeSignals {
    pub key: u64,
    id: RwSignal<String>,
    name: RwSignal<String>,
    description: RwSignal<String>,
    price: RwSignal<String>,
    quantity: RwSignal<String>,
    sale_starts_at: RwSignal<String>,
    sale_ends_at: RwSignal<String>,
    max_per_order: RwSignal<String>,
    hidden: RwSignal<bool>,
    quota_until: RwSignal<String>,
    window_confirmed: RwSignal<bool>,
    /// The organizer set the sale window (or it was saved): it no longer
    /// follows the event's start.
    window_set: RwSignal<bool>,
}

impl TypeSignals {
    fn new(key: u64, form: TicketTypeForm, window_set: bool) -> Self {
        Self {
            key,
            window_confirmed: RwSignal::new(form.window_confirmed == "true"),
            window_set: RwSignal::new(window_set),
            id: RwSignal::new(form.id),
            name: RwSignal::new(form.name),
            description: RwSignal::new(form.description),
            price: RwSignal::new(form.price),
            quantity: RwSignal::new(form.quantity),
            sale_starts_at: RwSignal::new(form.sale_starts_at),
            sale_ends_at: RwSignal::new(form.sale_ends_at),
            max_per_order: RwSignal::new(form.max_per_order),
            hidden: RwSignal::new(form.hidden == "true"),
            quota_until: RwSignal::new(form.quota_until),
        }
    }

    pub fn get(&self) -> TicketTypeForm {
        TicketTypeForm {
            id: self.id.get(),
            name: self.name.get(),
            description: self.description.get(),
            price: self.price.get(),
            quantity: self.quantity.get(),
            sale_starts_at: self.sale_starts_at.get(),
            sale_ends_at: self.sale_ends_at.get(),
            max_per_order: self.max_per_order.get(),
            hidden: if self.hidden.get() { "true" } else { "" }.to_string(),
            quota_until: self.quota_until.get(),
            window_confirmed: if self.window_confirmed.get() {
                "true"
            } else {
                ""
            }
            .to_string(),
        }
    }

    /// Sales close when the event starts, until the organizer sets them.
    fn follow_start(&self, starts_at: &str) {
        if !self.window_set.get_untracked() {
            self.sale_ends_at.set(starts_at.to_string());
        }
    }
}

/// A new type's fields: the sale window of the first type, if any.
pub fn blank_type(first: Option<&TicketTypeForm>) -> TicketTypeForm {
    TicketTypeForm {
        sale_starts_at: first.map(|f| f.sale_starts_at.clone()).unwrap_or_default(),
        sale_ends_at: first.map(|f| f.sale_ends_at.clone()).unwrap_or_default(),
        window_confirmed: first
            .map(|f| f.window_confirmed.clone())
            .unwrap_or_default(),
        max_per_order: "10".into(),
        ..Default::default()
    }
}

/// The editor's ticket types, in order: added, copied, moved and removed here.
#[derive(Clone, Copy)]
pub struct TypeRows {
    pub rows: RwSignal<Vec<TypeSignals>>,
    next_key: StoredValue<u64>,
}

impl TypeRows {
    pub fn new(initial: Vec<TicketTypeForm>) -> Self {
        Self {
            next_key: StoredValue::new(initial.len() as u64),
            rows: RwSignal::new(
                initial
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| {
                        let saved = !t.id.is_empty();
                        TypeSignals::new(i as u64, t, saved)
                    })
                    .collect(),
            ),
        }
    }

    /// The row without JavaScript: a blank one the rules skip while it stays
    /// empty (the add button needs JavaScript).
    pub fn spare(first: Option<&TicketTypeForm>) -> TypeSignals {
        TypeSignals::new(u64::MAX, blank_type(first), false)
    }

    pub fn forms(&self) -> Vec<TicketTypeForm> {
        self.rows.get().iter().map(TypeSignals::get).collect()
    }

    pub fn len(&self) -> usize {
        self.rows.with(Vec::len)
    }

    pub fn index_of(&self, key: u64) -> usize {
        self.rows
            .with(|all| all.iter().position(|t| t.key == key).unwrap_or(0))
    }

    /// A new blank type, or a copy of `copy_of` (a new type: no id, and a name
    /// of its own), up to [`MAX_TICKET_TYPES`].
    pub fn add(&self, copy_of: Option<TypeSignals>) {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        let window_set = copy_of.is_some_and(|t| t.window_set.get_untracked());
        let mut fields = copy_of.map(|t| t.get()).unwrap_or_else(|| {
            let first = self
                .rows
                .with_untracked(|all| all.first().map(TypeSignals::get));
            blank_type(first.as_ref())
        });
        fields.id = String::new();
        if copy_of.is_some() {
            fields.name = format!("{} (copy)", fields.name);
        }
        self.rows.update(|all| {
            if all.len() < MAX_TICKET_TYPES {
                all.push(TypeSignals::new(key, fields, window_set));
            }
        });
    }

    /// Moves the row one place up or down, if it can.
    pub fn shift(&self, key: u64, up: bool) {
        self.rows.update(|all| {
            if let Some(i) = all.iter().position(|t| t.key == key) {
                let j = if up {
                    i.checked_sub(1)
                } else {
                    Some(i + 1).filter(|j| *j < all.len())
                };
                if let Some(j) = j {
                    all.swap(i, j);
                }
            }
        });
    }

    /// The event's start moved: windows the organizer has not set follow it.
    pub fn follow_start(&self, starts_at: &str) {
        self.rows
            .with_untracked(|all| all.iter().for_each(|t| t.follow_start(starts_at)));
    }

    pub fn remove(&self, key: u64) {
        self.rows.update(|all| all.retain(|t| t.key != key));
    }
}

/// One ticket type's card in the editor. Its form names follow its position
/// (`form[types][1][price]`), which changes as rows move.
#[component]
pub fn TypeEditor(
    row: TypeSignals,
    index: Signal<usize>,
    count: Signal<usize>,
    error_for: impl Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
    touched: RwSignal<Vec<String>>,
    on_up: impl Fn() + Send + Sync + 'static,
    on_down: impl Fn() + Send + Sync + 'static,
    on_copy: impl Fn() + Send + Sync + 'static,
    on_remove: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let error = move |field: &'static str| {
        Signal::derive(move || error_for(type_field(index.get(), field)).get())
    };
    let small = "rounded-md px-2 py-1 text-xs font-semibold text-slate-600 hover:bg-slate-100 disabled:opacity-40";
    view! {
        <div class="rounded-xl border border-slate-200 p-4" data-testid="type-editor">
            <input type="hidden" name=move || format!("form[types][{}][id]", index.get()) prop:value=move || row.id.get() value=row.id.get_untracked() />
            <div class="mb-2 flex items-center justify-between">
                <p class="text-sm font-semibold text-slate-600">{move || format!("Ticket type {}", index.get() + 1)}</p>
                <div class="flex gap-1">
                    <button type="button" class=small aria-label="Move up" disabled=move || { index.get() == 0 } on:click=move |_| on_up()>"↑"</button>
                    <button type="button" class=small aria-label="Move down" disabled=move || { index.get() + 1 >= count.get() } on:click=move |_| on_down()>"↓"</button>
                    <button type="button" class=small on:click=move |_| on_copy()>"Duplicate"</button>
                    <button type="button" class=small disabled=move || { count.get() <= 1 } on:click=move |_| on_remove()>"Remove"</button>
                </div>
            </div>
            <div class="grid gap-4 sm:grid-cols-2">
                <TypeField label="Name" field="name" index value=row.name error=error("name") touched />
                <TypeField label="Price" field="price" index value=row.price error=error("price") touched />
                <div class="sm:col-span-2">
                    <TypeField label="What it includes (optional)" field="description" index value=row.description
                        error=error("description") touched />
                </div>
                <TypeField label="Quantity" field="quantity" input_type="number" index value=row.quantity
                    error=error("quantity") touched />
                <TypeField label="Most per order" field="max_per_order" input_type="number" index
                    value=row.max_per_order error=error("max_per_order") touched />
                <TypeField label="Sale opens (local time)" field="sale_starts_at" input_type="datetime-local" index
                    value=row.sale_starts_at error=error("sale_starts_at") touched sets=row.window_set />
                <TypeField label="Sale closes (local time)" field="sale_ends_at" input_type="datetime-local" index
                    value=row.sale_ends_at error=error("sale_ends_at") touched sets=row.window_set />
                // Asked only when the window is unusual (and kept once ticked);
                // rendered by the server too, for the form without JavaScript.
                <div class="rounded-lg bg-amber-50 p-3 sm:col-span-2" data-testid="window-confirm"
                    class:hidden=move || error("window_confirmed").get().is_none() && !row.window_confirmed.get()>
                    <p class="text-sm text-amber-900" data-testid=move || format!("error-types-{}-window_confirmed", index.get())>
                        {move || error("window_confirmed").get()}
                    </p>
                    <label class="mt-2 flex items-center gap-2 text-sm font-medium text-slate-800">
                        <input type="checkbox" value="true" name=move || format!("form[types][{}][window_confirmed]", index.get())
                            checked=row.window_confirmed.get_untracked() bind:checked=row.window_confirmed />
                        "Yes, this sale window is what I want"
                    </label>
                </div>
                <label class="flex items-center gap-2 text-sm text-slate-700 sm:col-span-2">
                    <input type="checkbox" value="true" name=move || format!("form[types][{}][hidden]", index.get())
                        checked=row.hidden.get_untracked() bind:checked=row.hidden />
                    "Hidden: not listed on the event's page"
                </label>
                // A quota: the hidden type's seats are kept out of the shared
                // capacity for code holders until then.
                <TypeField label="Hidden type: set its seats aside for code holders until (local time, optional)"
                    field="quota_until" input_type="datetime-local" index value=row.quota_until
                    error=error("quota_until") touched />
            </div>
        </div>
    }
}

/// A ticket type's input: its form name (`form[types][1][price]`), element id
/// and error key (`types[1].price`) follow the row's position.
#[component]
fn TypeField(
    label: &'static str,
    field: &'static str,
    index: Signal<usize>,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    touched: RwSignal<Vec<String>>,
    #[prop(default = "text")] input_type: &'static str,
    /// Set once the organizer edits this field.
    #[prop(optional)]
    sets: Option<RwSignal<bool>>,
) -> impl IntoView {
    let id = move || format!("field-types-{}-{field}", index.get());
    if let Some(typed) = typed_before_hydration(&id()) {
        value.set(typed);
    }
    let class = move || input_class(error.get().is_some());
    let mark = move |_| {
        if let Some(sets) = sets {
            sets.set(true);
        }
        let index = index.get_untracked();
        // A sale time edited is also when the window's question may arise.
        let mut keys = vec![type_field(index, field)];
        if field.starts_with("sale_") {
            keys.push(type_field(index, "window_confirmed"));
        }
        touched.update(|t| {
            keys.into_iter().for_each(|k| {
                if !t.contains(&k) {
                    t.push(k);
                }
            })
        });
    };
    view! {
        <div>
            <label for=id class="block text-sm font-medium text-slate-700">{label}</label>
            // `value` renders the field's content into the page (the form works
            // before and without JavaScript); `bind:value` keeps it live after.
            <input id=id name=move || format!("form[types][{}][{field}]", index.get()) type=input_type class=class
                value=value.get_untracked() bind:value=value on:input=mark />
            <p class="mt-1 min-h-5 text-sm text-rose-700" data-testid=move || format!("error-types-{}-{field}", index.get())>
                {move || error.get()}
            </p>
        </div>
    }
}
