//! `/organizer/events/{id}/staff`: the organizer's door staff for an event;
//! `/door-invite?token=…`: where an invitee accepts. Plain server pages.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use crate::api::door_staff::{AcceptInvitation, InviteStaff, RevokeStaff, door_staff};
use crate::error::AppError;
use crate::model::{DoorStaffView, format_utc_time};
use crate::ui::auth::use_auth;
use crate::ui::components::form::{Field, FormError, SubmitButton, field_error, url_error};
use crate::ui::components::refusal::refusal;
use crate::ui::params::use_id_param;

#[component]
pub fn DoorStaffPage() -> impl IntoView {
    let id = use_id_param();
    let invited = use_query_map().read_untracked().get("invited").is_some();
    let staff = Resource::new(id, |id| async move {
        match id {
            Some(id) => door_staff(id).await.map(|list| (id, list)),
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Title text="Door staff" />
        <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match staff.await {
                    Ok((event, (title, staff))) => view! { <StaffList event title staff invited /> }.into_any(),
                    Err(err) => refusal(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffList(
    event: Uuid,
    title: String,
    staff: Vec<DoorStaffView>,
    invited: bool,
) -> impl IntoView {
    let invite = ServerAction::<InviteStaff>::new();
    let revoke = ServerAction::<RevokeStaff>::new();
    let error = Signal::stored(url_error::<InviteStaff>());
    let email = RwSignal::new(String::new());
    view! {
        <section class="mx-auto max-w-2xl space-y-6">
            <h1 class="text-2xl font-bold">"Door staff · " {title}</h1>
            <p class="text-slate-600">"Door staff can open this event's check-in page and nothing else of yours."</p>
            {invited.then(|| view! { <p role="status" class="rounded-lg bg-emerald-50 px-4 py-2 text-emerald-800">"Invitation sent."</p> })}
            <ul class="divide-y divide-slate-100 rounded-xl bg-white shadow-sm" data-testid="door-staff">
                {staff.into_iter().map(|s| {
                    let state = match (&s.accepted_at, s.expired) {
                        (Some(at), _) => format!("{} · since {}", s.name.clone().unwrap_or_default(), format_utc_time(*at)),
                        (None, true) => "invitation expired".to_string(),
                        (None, false) => format!("invited {}", format_utc_time(s.invited_at)),
                    };
                    view! {
                        <li class="flex items-center justify-between p-3">
                            <span>{s.email.clone()} <span class="ml-2 text-sm text-slate-600">{state}</span></span>
                            <ActionForm action=revoke>
                                <input type="hidden" name="event" value=event.to_string() />
                                <input type="hidden" name="invitation" value=s.id.to_string() />
                                <button type="submit" class="text-sm font-semibold text-rose-700 hover:underline">"Revoke"</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ActionForm action=invite attr:class="grid gap-3 sm:max-w-md">
                <FormError error beside=|f| f == "email" />
                <input type="hidden" name="event" value=event.to_string() />
                <Field label="Invite by email" name="email" input_type="email" value=email server_error=field_error(error, "email") />
                <SubmitButton label="Send invitation" pending=invite.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
pub fn DoorInvitePage() -> impl IntoView {
    let token = use_query_map()
        .read_untracked()
        .get("token")
        .unwrap_or_default();
    let auth = use_auth();
    let here = format!("/door-invite?token={token}");
    let action = ServerAction::<AcceptInvitation>::new();
    let error = url_error::<AcceptInvitation>();
    view! {
        <Title text="Door invitation" />
        <section class="mx-auto max-w-md rounded-2xl border border-slate-200 bg-white p-8 shadow-sm">
            <h1 class="text-2xl font-bold">"Check tickets in"</h1>
            {error.map(|err| view! { <p role="alert" class="mt-4 rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-rose-800" data-testid="invite-error">{err.to_string()}</p> })}
            <Suspense fallback=|| view! { <p class="text-slate-600">"Loading…"</p> }>
                {move || {
                    let (token, here) = (token.clone(), here.clone());
                    Suspend::new(async move {
                        match auth.user.await {
                            Ok(Some(user)) => view! {
                                <p class="mt-4">"You are signed in as " <strong>{user.email}</strong> "."</p>
                                <ActionForm action attr:class="mt-4">
                                    <input type="hidden" name="token" value=token />
                                    <SubmitButton label="Accept and open the door page" pending=action.pending() />
                                </ActionForm>
                            }.into_any(),
                            _ => view! {
                                <p class="mt-4">"Sign in with the address the invitation was sent to, then accept it here."</p>
                                <p class="mt-4 flex gap-4">
                                    <A href=format!("/signin?next={}", url::form_urlencoded::byte_serialize(here.as_bytes()).collect::<String>()) attr:class="font-semibold text-indigo-700 hover:underline">"Sign in"</A>
                                    <A href="/signup" attr:class="font-semibold text-indigo-700 hover:underline">"Create an account"</A>
                                </p>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
