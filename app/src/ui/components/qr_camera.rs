//! The door's camera: reads ticket QR codes and hands each new code to the page.
//! Uses the browser's `BarcodeDetector` where there is one, otherwise decodes
//! frames in WebAssembly (`ui::qr_decode`).

use leptos::prelude::*;

#[component]
pub fn QrCamera(#[prop(into)] on_code: Callback<String>) -> impl IntoView {
    let video = NodeRef::<leptos::html::Video>::new();
    let running = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let start = move |_| {
        #[cfg(feature = "hydrate")]
        camera::start(video, running, problem, on_code);
        #[cfg(not(feature = "hydrate"))]
        let _ = on_code;
    };
    view! {
        <div class="space-y-2">
            <video
                node_ref=video
                class=move || if running.get() { "w-full rounded-2xl bg-black" } else { "hidden" }
                muted=true
                playsinline=true
                data-testid="camera-view"
            />
            {move || problem.get().map(|text| view! {
                <p class="text-sm text-rose-700" role="alert" data-testid="camera-problem">{text}</p>
            })}
            <Show
                when=move || running.get()
                fallback=move || view! {
                    <button type="button" on:click=start
                        class="w-full rounded-lg border border-indigo-600 px-4 py-3 font-semibold text-indigo-700 hover:bg-indigo-50">
                        "Scan with camera"
                    </button>
                }
            >
                <button type="button" on:click=move |_| running.set(false)
                    class="w-full rounded-lg border border-slate-400 px-4 py-3 font-semibold text-slate-700 hover:bg-slate-50">
                    "Stop camera"
                </button>
            </Show>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod camera {
    use js_sys::{Array, Object, Promise, Reflect};
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue, prelude::wasm_bindgen};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaStream,
        MediaStreamConstraints, MediaStreamTrack,
    };

    use crate::ui::qr_decode::decode_rgba_frame;

    // Not in web-sys yet; present in Chrome on Android/macOS/ChromeOS and Safari 17+.
    #[wasm_bindgen]
    extern "C" {
        type BarcodeDetector;
        #[wasm_bindgen(constructor, catch)]
        fn new(options: &JsValue) -> Result<BarcodeDetector, JsValue>;
        #[wasm_bindgen(method)]
        fn detect(this: &BarcodeDetector, source: &HtmlVideoElement) -> Promise;
    }

    /// Time between frames looked at: fast enough to feel instant at the door,
    /// slow enough to leave a phone's CPU mostly idle.
    const FRAME_GAP_MS: i32 = 200;
    /// A code still in view is not sent again; it must leave the frame this long.
    const SAME_CODE_PAUSE_MS: f64 = 3000.0;
    /// Frames are scaled down to this many pixels on their long side before
    /// decoding in WebAssembly: a ticket held up to the camera stays readable.
    const DECODE_SIZE: f64 = 640.0;

    pub fn start(
        video: NodeRef<leptos::html::Video>,
        running: RwSignal<bool>,
        problem: RwSignal<Option<String>>,
        on_code: Callback<String>,
    ) {
        problem.set(None);
        leptos::task::spawn_local(async move {
            let Some(video) = video.get_untracked() else {
                return;
            };
            let stream = match open_camera().await {
                Ok(stream) => stream,
                Err(message) => {
                    problem.set(Some(message));
                    return;
                }
            };
            video.set_src_object(Some(&stream));
            running.set(true);
            if let Ok(playing) = video.play() {
                let _ = JsFuture::from(playing).await;
            }
            scan(&video, running, on_code).await;
            for track in stream.get_tracks() {
                track.unchecked_into::<MediaStreamTrack>().stop();
            }
            video.set_src_object(None);
        });
    }

    async fn open_camera() -> Result<MediaStream, String> {
        let devices = window().navigator().media_devices().map_err(|_| {
            "This browser cannot use a camera on this page (it needs https); type the code instead."
                .to_string()
        })?;
        // Prefer the back camera on a phone.
        let facing = Object::new();
        let _ = Reflect::set(&facing, &"ideal".into(), &"environment".into());
        let video = Object::new();
        let _ = Reflect::set(&video, &"facingMode".into(), &facing);
        let constraints = MediaStreamConstraints::new();
        constraints.set_video(&video);
        let opening = devices
            .get_user_media_with_constraints(&constraints)
            .map_err(camera_refusal)?;
        JsFuture::from(opening)
            .await
            .map(JsCast::unchecked_into)
            .map_err(camera_refusal)
    }

    fn camera_refusal(err: JsValue) -> String {
        let name = Reflect::get(&err, &"name".into())
            .ok()
            .and_then(|name| name.as_string());
        match name.as_deref() {
            Some("NotAllowedError") => {
                "Camera access was refused. Allow it in the browser, or type the code.".into()
            }
            Some("NotFoundError") | Some("OverconstrainedError") => {
                "No camera found on this device; type the code instead.".into()
            }
            _ => "The camera could not start; type the code instead.".into(),
        }
    }

    async fn scan(video: &HtmlVideoElement, running: RwSignal<bool>, on_code: Callback<String>) {
        let mut native = native_detector();
        let canvas: Option<HtmlCanvasElement> = document()
            .create_element("canvas")
            .ok()
            .map(JsCast::unchecked_into);
        let mut last_seen: Option<(String, f64)> = None;
        // `try_get` is None once the page has gone: the camera is released then too.
        while running.try_get_untracked().unwrap_or(false) {
            sleep(FRAME_GAP_MS).await;
            // HAVE_CURRENT_DATA: a frame to look at.
            if video.ready_state() < 2 {
                continue;
            }
            let found = match &native {
                Some(detector) => match detect_native(detector, video).await {
                    Ok(found) => found,
                    // Present but unable (e.g. no QR support): decode ourselves.
                    Err(()) => {
                        native = None;
                        None
                    }
                },
                None => match canvas.as_ref().and_then(|c| grab_frame(video, c)) {
                    Some((width, height, rgba)) => decode_rgba_frame(width, height, rgba).await,
                    None => None,
                },
            };
            let Some(code) = found else { continue };
            let now = js_sys::Date::now();
            let still_in_view = matches!(&last_seen,
                Some((previous, at)) if *previous == code && now - at < SAME_CODE_PAUSE_MS);
            if !still_in_view && running.try_get_untracked().unwrap_or(false) {
                on_code.run(code.clone());
            }
            last_seen = Some((code, now));
        }
    }

    fn native_detector() -> Option<BarcodeDetector> {
        if !Reflect::has(&window(), &"BarcodeDetector".into()).unwrap_or(false) {
            return None;
        }
        let options = Object::new();
        let _ = Reflect::set(&options, &"formats".into(), &Array::of1(&"qr_code".into()));
        BarcodeDetector::new(&options).ok()
    }

    async fn detect_native(
        detector: &BarcodeDetector,
        video: &HtmlVideoElement,
    ) -> Result<Option<String>, ()> {
        let found = JsFuture::from(detector.detect(video))
            .await
            .map_err(|_| ())?;
        let first = Array::from(&found).get(0);
        if first.is_undefined() {
            return Ok(None);
        }
        Ok(Reflect::get(&first, &"rawValue".into())
            .ok()
            .and_then(|raw| raw.as_string()))
    }

    /// The current frame, scaled down, as (width, height, RGBA bytes).
    fn grab_frame(
        video: &HtmlVideoElement,
        canvas: &HtmlCanvasElement,
    ) -> Option<(usize, usize, Vec<u8>)> {
        let (width, height) = (video.video_width() as f64, video.video_height() as f64);
        if width == 0.0 || height == 0.0 {
            return None;
        }
        let scale = (DECODE_SIZE / width.max(height)).min(1.0);
        let (w, h) = ((width * scale).round(), (height * scale).round());
        canvas.set_width(w as u32);
        canvas.set_height(h as u32);
        let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.unchecked_into();
        context
            .draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, w, h)
            .ok()?;
        let pixels = context.get_image_data(0.0, 0.0, w, h).ok()?.data();
        Some((w as usize, h as usize, pixels.0))
    }

    async fn sleep(ms: i32) {
        let timer = Promise::new(&mut |resolve, _| {
            let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        });
        let _ = JsFuture::from(timer).await;
    }
}
