use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::checkin::{ScanPass, get_door_stats};
use crate::error::AppError;
use crate::model::ScanResult;
use crate::ui::components::form::{FormError, action_error};
use crate::ui::components::qr_camera::QrCamera;
use crate::ui::components::refusal::refusal;
use crate::ui::params::use_id_param;

/// The door: scan a pass's QR code with the camera, or type (or paste from a
/// hand scanner) its code; the answer is shown in an unmistakable colour, with
/// live checked-in / sold counts.
#[component]
pub fn CheckInPage() -> impl IntoView {
    let event = use_id_param();
    let scan = ServerAction::<ScanPass>::new();
    let error = action_error(scan);
    let stats = Resource::new(
        move || (event(), scan.version().get()),
        |(event, _)| async move {
            match event {
                Some(event) => get_door_stats(event).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // The scanner shows only for a door the user may keep; it stays mounted
    // (camera running) while the counts reload after each scan.
    let allowed = Memo::new(move |before: Option<&bool>| match stats.get() {
        Some(answer) => answer.is_ok(),
        None => before.copied().unwrap_or(false),
    });
    let code = RwSignal::new(String::new());
    // Clear the field after each scan, ready for the next guest.
    Effect::new(move |_| {
        if scan.version().get() > 0 {
            code.set(String::new());
        }
    });
    let scan_from_camera = move |code: String| {
        if let Some(event) = event() {
            scan.dispatch(ScanPass { event, code });
        }
    };
    let result = move || {
        scan.value()
            .get()
            .and_then(Result::ok)
            .map(|result| match result {
                ScanResult::Admitted { seat_no, holder } => (
                    "bg-emerald-600 text-white",
                    format!("Checked in: {holder}, seat {seat_no}"),
                ),
                ScanResult::AlreadyCheckedIn { at, by } => (
                    "bg-rose-600 text-white",
                    format!("Already checked in at {} by {by}", at.format("%H:%M")),
                ),
                ScanResult::Refused(reason) => ("bg-amber-400 text-slate-900", reason),
            })
    };
    view! {
        <Title text="Door check-in" />
        <Transition fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match stats.await {
                    Ok(stats) => view! {
                        <section class="mx-auto max-w-md space-y-4">
                            <h1 class="text-2xl font-bold">{stats.title}</h1>
                            <p class="text-lg" data-testid="door-counts">
                                {format!("{} checked in of {} sold", stats.checked_in, stats.sold)}
                            </p>
                        </section>
                    }.into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Transition>
        <Show when=move || allowed.get()>
        <section class="mx-auto mt-4 max-w-md space-y-4">
            {move || result().map(|(class, text)| view! {
                <p class=format!("rounded-2xl p-6 text-center text-xl font-bold {class}") role="status" data-testid="scan-result">{text}</p>
            })}
            <FormError error />
            <QrCamera on_code=scan_from_camera />
            <ActionForm action=scan attr:class="flex gap-2">
                <input type="hidden" name="event" value=move || event().map(|e| e.to_string()).unwrap_or_default() />
                <label class="sr-only" for="pass-code">"Pass code"</label>
                <input id="pass-code" name="code" autocomplete="off" autofocus=true placeholder="Pass code"
                    class="flex-1 rounded-lg border border-slate-300 px-3 py-3 font-mono" bind:value=code />
                <button type="submit" class="rounded-lg bg-indigo-600 px-4 py-3 font-semibold text-white hover:bg-indigo-700">
                    "Check in"
                </button>
            </ActionForm>
        </section>
        </Show>
    }
}
