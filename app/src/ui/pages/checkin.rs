use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::checkin::{ScanPass, get_door_stats};
use crate::error::AppError;
use crate::model::{DoorStats, ScanResult};
use crate::ui::components::form::{FormError, action_error, url_error};
use crate::ui::components::qr_camera::QrCamera;
use crate::ui::components::refusal::refusal;
use crate::ui::islands::mark_ready;
use crate::ui::params::use_id_param;
use uuid::Uuid;

/// The door: scan a ticket's QR code with the camera, or type (or paste from a
/// hand scanner) its code; the answer is shown in an unmistakable colour, with
/// live checked-in / sold counts.
#[component]
pub fn CheckInPage() -> impl IntoView {
    let event = use_id_param();
    let stats = Resource::new(event, |event| async move {
        match event {
            Some(event) => get_door_stats(event).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text="Door check-in" />
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (stats.await, event()) {
                    (Ok(stats), Some(event)) => view! {
                        <DoorCheckIn event stats url_error={url_error::<ScanPass>()} />
                    }
                    .into_any(),
                    (Err(err), _) => refusal(err),
                    (Ok(_), None) => refusal(AppError::NotFound),
                }
            })}
        </Suspense>
    }
}

/// Organizers and their door staff only: a lazy island, its own wasm chunk
/// (and the QR decoder another, fetched only if the browser cannot decode).
#[island(lazy)]
fn DoorCheckIn(event: Uuid, stats: DoorStats, url_error: Option<AppError>) -> impl IntoView {
    mark_ready();
    let scan = ServerAction::<ScanPass>::new();
    let error = action_error(scan, url_error);
    let stats = RwSignal::new(stats);
    let code = RwSignal::new(String::new());
    // After each scan: clear the field for the next guest and count again.
    Effect::new(move |_| {
        if scan.version().get() > 0 {
            code.set(String::new());
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = get_door_stats(event).await {
                    stats.set(fresh);
                }
            });
        }
    });
    let scan_from_camera = move |code: String| {
        scan.dispatch(ScanPass { event, code });
    };
    let result = move || {
        scan.value()
            .get()
            .and_then(Result::ok)
            .map(|result| match result {
                ScanResult::Admitted {
                    seat_no,
                    holder,
                    type_name,
                } => (
                    "bg-emerald-600 text-white",
                    format!("Checked in: {holder}, {type_name}, ticket {seat_no}"),
                ),
                ScanResult::AlreadyCheckedIn { at, by } => (
                    "bg-rose-600 text-white",
                    format!("Already checked in at {} by {by}", at.clock()),
                ),
                ScanResult::Refused(reason) => ("bg-amber-400 text-slate-900", reason.to_string()),
            })
    };
    view! {
        <section class="mx-auto max-w-md space-y-4">
            <h1 class="text-2xl font-bold">{move || stats.with(|s| s.title.clone())}</h1>
            <p class="text-lg" data-testid="door-counts">
                {move || stats.with(|s| format!("{} checked in of {} sold", s.checked_in, s.sold))}
            </p>
        </section>
        <section class="mx-auto mt-4 max-w-md space-y-4">
            {move || result().map(|(class, text)| view! {
                <p class=format!("rounded-2xl p-6 text-center text-xl font-bold {class}") role="status" data-testid="scan-result">{text}</p>
            })}
            <FormError error />
            <QrCamera on_code=scan_from_camera />
            <ActionForm action=scan attr:class="flex gap-2">
                <input type="hidden" name="event" value=event.to_string() />
                <label class="sr-only" for="ticket-code">"Ticket code"</label>
                <input id="ticket-code" name="code" autocomplete="off" autofocus=true placeholder="Ticket code"
                    class="flex-1 rounded-lg border border-slate-300 px-3 py-3 font-mono" bind:value=code />
                <button type="submit" class="rounded-lg bg-indigo-600 px-4 py-3 font-semibold text-white hover:bg-indigo-700">
                    "Check in"
                </button>
            </ActionForm>
        </section>
    }
}
