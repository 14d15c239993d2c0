//! Event cover images: checked, oriented, resized and re-encoded here (nothing
//! of the upload but its pixels survives: no metadata, no location), and kept
//! through `object_store` (a local folder by default, S3 or a compatible store
//! by configuration) under a name made of their content hash, so a cover is
//! never replaced in place and can be cached for ever.

use std::io::Cursor;
use std::sync::Arc;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use object_store::ObjectStore;
use object_store::path::Path;
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// The largest upload read; anything bigger is refused while it streams in.
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;
/// Smaller than this looks blurred on the event page.
const MIN_WIDTH: u32 = 640;
const MIN_HEIGHT: u32 = 320;
/// Larger than this is refused before it is decoded (a decompression bomb):
/// a side, the pixels in all, and the bytes the decoded image would take (a
/// 16-bit RGBA image takes 8 a pixel).
const MAX_SIDE: u32 = 12_000;
const MAX_PIXELS: u64 = 30_000_000;
pub const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;
/// Covers one organizer may upload an hour (each costs a decode).
pub const UPLOADS_PER_HOUR: u64 = 30;
/// Covers are resized to fit within this, keeping their proportions.
const OUT_WIDTH: u32 = 1600;
const OUT_HEIGHT: u32 = 1000;
const JPEG_QUALITY: u8 = 82;

/// Why an upload is not a usable cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CoverRefusal {
    #[error("Choose an image to upload.")]
    Empty,
    #[error("The image is larger than 8 MB; please choose a smaller file.")]
    TooLarge,
    #[error("Upload a JPEG, PNG or WebP image.")]
    NotAnImage,
    #[error("The image is too small: at least 640 × 320 pixels, please.")]
    TooSmall,
    #[error("The image has too many pixels: at most 12,000 on a side and 30 megapixels in all.")]
    TooManyPixels,
}

impl From<CoverRefusal> for AppError {
    fn from(refusal: CoverRefusal) -> Self {
        AppError::invalid("cover", refusal.to_string())
    }
}

/// A cover ready to store: JPEG bytes and the name they are kept under.
#[derive(Debug, Clone)]
pub struct Cover {
    /// `<32 hex digits of its SHA-256>.jpg`.
    pub key: String,
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// A key [`prepare`] could have made; anything else names no cover.
pub fn is_cover_key(key: &str) -> bool {
    key.strip_suffix(".jpg").is_some_and(|hash| {
        hash.len() == 32 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// Decodes `upload` (JPEG, PNG or WebP, whatever its name says), applies its
/// orientation, checks its size, fits it within 1600 × 1000 and encodes it as
/// a JPEG on white. CPU-bound: call it off the async runtime.
pub fn prepare(upload: &[u8]) -> Result<Cover, CoverRefusal> {
    if upload.is_empty() {
        return Err(CoverRefusal::Empty);
    }
    if upload.len() > MAX_UPLOAD_BYTES {
        return Err(CoverRefusal::TooLarge);
    }
    let format = image::guess_format(upload).map_err(|_| CoverRefusal::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(CoverRefusal::NotAnImage);
    }
    let mut reader = ImageReader::with_format(Cursor::new(upload), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits.clone());
    let refused = |err: ImageError| match err {
        ImageError::Limits(_) => CoverRefusal::TooManyPixels,
        _ => CoverRefusal::NotAnImage,
    };
    let mut decoder = reader.into_decoder().map_err(refused)?;
    // `into_decoder` + `from_decoder` do not reserve the image's bytes against
    // `max_alloc` as `decode` does: the header's size is checked here, before
    // a single pixel is decoded, and the limits are set on the decoder itself.
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS
        || decoder.total_bytes() > MAX_DECODED_BYTES
    {
        return Err(CoverRefusal::TooManyPixels);
    }
    decoder.set_limits(limits).map_err(refused)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(refused)?;
    picture.apply_orientation(orientation);
    if picture.width() < MIN_WIDTH || picture.height() < MIN_HEIGHT {
        return Err(CoverRefusal::TooSmall);
    }
    if picture.width() > OUT_WIDTH || picture.height() > OUT_HEIGHT {
        picture = picture.resize(OUT_WIDTH, OUT_HEIGHT, FilterType::Lanczos3);
    }
    let rgb = on_white(&picture);
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(&rgb)
        .map_err(|_| CoverRefusal::NotAnImage)?;
    let hash = hex::encode(Sha256::digest(&jpeg));
    Ok(Cover {
        key: format!("{}.jpg", &hash[..32]),
        width: rgb.width(),
        height: rgb.height(),
        jpeg,
    })
}

/// [`prepare`] on a blocking thread, at most one per CPU at a time: a burst of
/// uploads waits its turn instead of decoding (and holding) them all at once.
pub async fn prepare_in_turn(upload: Vec<u8>) -> Result<Cover, AppError> {
    static DECODING: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
        tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
        )
    });
    let _turn = DECODING.acquire().await.map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(move || prepare(&upload))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(AppError::from)
}

/// Transparent parts (PNG, WebP) become white rather than black.
fn on_white(picture: &DynamicImage) -> image::RgbImage {
    let rgba = picture.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend =
            |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

/// Where covers are kept.
#[derive(Clone)]
pub struct CoverStore {
    store: Arc<dyn ObjectStore>,
    prefix: Path,
}

impl CoverStore {
    /// `file:///srv/covers` or `s3://bucket/covers` (credentials and region
    /// from the usual `AWS_*` variables; `AWS_ENDPOINT` for S3-compatible stores).
    pub fn open(url: &str) -> Result<Self, String> {
        let url = url::Url::parse(url).map_err(|err| format!("not a URL: {err}"))?;
        let aws_settings = std::env::vars()
            .filter(|(name, _)| name.starts_with("AWS_"))
            .map(|(name, value)| (name.to_ascii_lowercase(), value));
        let (store, prefix) =
            object_store::parse_url_opts(&url, aws_settings).map_err(|err| err.to_string())?;
        Ok(Self {
            store: Arc::from(store),
            prefix,
        })
    }

    fn path(&self, key: &str) -> Path {
        self.prefix.child(key)
    }

    pub async fn put(&self, cover: &Cover) -> object_store::Result<()> {
        self.store
            .put(&self.path(&cover.key), cover.jpeg.clone().into())
            .await
            .map(|_| ())
    }

    /// The cover's bytes; `None` when there is no such cover.
    pub async fn get(&self, key: &str) -> object_store::Result<Option<bytes::Bytes>> {
        if !is_cover_key(key) {
            return Ok(None);
        }
        match self.store.get(&self.path(key)).await {
            Ok(found) => found.bytes().await.map(Some),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(err) => Err(err),
        }
    }
}

/// The address a cover is served from.
pub fn cover_url(key: &str) -> String {
    format!("/covers/{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbaImage::from_fn(width, height, |x, y| {
            image::Rgba([
                (x % 256) as u8,
                (y % 256) as u8,
                128,
                if x < 10 { 0 } else { 255 },
            ])
        });
        let mut out = Cursor::new(Vec::new());
        picture.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbImage::from_pixel(width, height, image::Rgb([200, 40, 40]));
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&picture)
            .unwrap();
        out
    }

    #[test]
    fn a_large_image_is_fitted_and_re_encoded_as_jpeg() {
        let cover = prepare(&png(2400, 1200)).unwrap();
        assert_eq!((cover.width, cover.height), (1600, 800));
        assert_eq!(image::guess_format(&cover.jpeg).unwrap(), ImageFormat::Jpeg);
        assert!(is_cover_key(&cover.key), "{}", cover.key);
        // The same pixels always get the same name.
        assert_eq!(prepare(&png(2400, 1200)).unwrap().key, cover.key);
        // Transparent pixels become white.
        let decoded = image::load_from_memory(&cover.jpeg).unwrap().to_rgb8();
        assert!(decoded.get_pixel(1, 400).0.iter().all(|c| *c > 240));
        // A small enough image keeps its size.
        let kept = prepare(&jpeg(800, 400)).unwrap();
        assert_eq!((kept.width, kept.height), (800, 400));
    }

    #[test]
    fn metadata_does_not_survive() {
        // A JPEG with an EXIF segment (APP1) carrying a location.
        let plain = jpeg(700, 400);
        let mut exif = vec![0xFF, 0xE1];
        let body = b"Exif\0\0GPS 51.5007N 0.1246W secret-place";
        exif.extend(((body.len() + 2) as u16).to_be_bytes());
        exif.extend(body);
        let with_exif = [&plain[..2], &exif, &plain[2..]].concat();
        assert!(image::load_from_memory(&with_exif).is_ok());
        let cover = prepare(&with_exif).unwrap();
        let text = String::from_utf8_lossy(&cover.jpeg);
        assert!(!text.contains("secret-place") && !text.contains("Exif"));
    }

    #[test]
    fn what_is_not_a_usable_cover_is_refused() {
        assert_eq!(prepare(b"").unwrap_err(), CoverRefusal::Empty);
        assert_eq!(
            prepare(b"<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap_err(),
            CoverRefusal::NotAnImage
        );
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert_eq!(prepare(gif).unwrap_err(), CoverRefusal::NotAnImage);
        // A PNG signature on a broken file.
        let mut broken = png(700, 400);
        broken.truncate(60);
        assert_eq!(prepare(&broken).unwrap_err(), CoverRefusal::NotAnImage);
        assert_eq!(prepare(&png(600, 400)).unwrap_err(), CoverRefusal::TooSmall);
        assert_eq!(prepare(&png(700, 300)).unwrap_err(), CoverRefusal::TooSmall);
        assert_eq!(
            prepare(&vec![0u8; MAX_UPLOAD_BYTES + 1]).unwrap_err(),
            CoverRefusal::TooLarge
        );
        // Wider than 12,000 pixels: refused by the decoder's limits.
        assert_eq!(
            prepare(&png(12_001, 1)).unwrap_err(),
            CoverRefusal::TooManyPixels
        );
    }

    #[test]
    fn keys_are_content_hashes_only() {
        assert!(is_cover_key("0123456789abcdef0123456789abcdef.jpg"));
        assert!(!is_cover_key("../../etc/passwd"));
        assert!(!is_cover_key("0123456789abcdef0123456789abcdeF.jpg"));
        assert!(!is_cover_key("0123456789abcdef0123456789abcdef.png"));
        assert!(!is_cover_key("0123456789abcdef.jpg"));
    }

    #[tokio::test]
    async fn a_local_store_keeps_and_returns_covers() {
        let dir = std::env::temp_dir().join(format!("covers-{}", uuid::Uuid::new_v4()));
        let store = CoverStore::open(&format!("file://{}", dir.display())).unwrap();
        let cover = prepare(&jpeg(800, 400)).unwrap();
        store.put(&cover).await.unwrap();
        assert_eq!(
            store.get(&cover.key).await.unwrap().as_deref(),
            Some(&cover.jpeg[..])
        );
        assert_eq!(
            store
                .get("00000000000000000000000000000000.jpg")
                .await
                .unwrap(),
            None
        );
        assert_eq!(store.get("../secret").await.unwrap(), None);
        std::fs::remove_dir_all(dir).ok();
    }
}
