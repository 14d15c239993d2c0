//! Reads a QR code from a camera frame, for browsers without `BarcodeDetector`
//! (desktop Chrome on Linux and Windows, Firefox, Safari before 17).

/// Luminance (0 = black, 255 = white) of each pixel of an RGBA frame, as a
/// canvas's `getImageData` returns it; Rec. 601 weights in integer arithmetic.
pub fn luma_from_rgba(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|px| ((299 * px[0] as u32 + 587 * px[1] as u32 + 114 * px[2] as u32) / 1000) as u8)
        .collect()
}

/// The text of the first readable QR code in a `width` × `height` greyscale
/// frame, if any.
pub fn decode_qr(width: usize, height: usize, luma: &[u8]) -> Option<String> {
    if width == 0 || height == 0 || luma.len() < width * height {
        return None;
    }
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| luma[y * width + x]);
    image
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}

/// A camera frame (RGBA, as a canvas gives it) read for a QR code. Lazy: with
/// `cargo leptos build --split` the decoder is a separate wasm chunk, fetched
/// the first time a door without `BarcodeDetector` decodes a frame, so buyers
/// never download it.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
pub fn decode_rgba_frame(width: usize, height: usize, rgba: Vec<u8>) -> Option<String> {
    decode_qr(width, height, &luma_from_rgba(&rgba))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An RGBA frame with `text`'s QR code drawn at `scale` pixels per module,
    /// offset into a larger grey-ish background, as a camera would see it.
    fn frame_with_code(text: &str, scale: usize) -> (usize, usize, Vec<u8>) {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let modules = code.width();
        let colors = code.to_colors();
        let (width, height) = (640, 480);
        let (left, top) = (100, 60);
        let mut rgba = vec![0u8; width * height * 4];
        for y in 0..height {
            for x in 0..width {
                let dark = x >= left
                    && y >= top
                    && (x - left) / scale < modules
                    && (y - top) / scale < modules
                    && colors[((y - top) / scale) * modules + (x - left) / scale]
                        == qrcode::Color::Dark;
                let (r, g, b) = if dark { (20, 24, 30) } else { (235, 232, 225) };
                rgba[(y * width + x) * 4..][..4].copy_from_slice(&[r, g, b, 255]);
            }
        }
        (width, height, rgba)
    }

    #[test]
    fn reads_a_pass_code_from_a_frame() {
        let ticket_code = "p7Hq2mZ0kVx9cT4rW1sY8uN3bL6dE5fG";
        let (width, height, rgba) = frame_with_code(ticket_code, 8);
        let luma = luma_from_rgba(&rgba);
        assert_eq!(luma.len(), width * height);
        assert_eq!(
            decode_qr(width, height, &luma).as_deref(),
            Some(ticket_code)
        );
    }

    #[test]
    fn reads_a_signed_payload_from_a_frame() {
        // A ticket's QR payload (`checkin::signed`): 114 characters, a
        // denser code than the printed one, at a smaller scale.
        let payload = format!("TS1-{}Ab", "Ab9_-x".repeat(18));
        assert_eq!(payload.len(), 114);
        let (width, height, rgba) = frame_with_code(&payload, 5);
        let luma = luma_from_rgba(&rgba);
        assert_eq!(decode_qr(width, height, &luma), Some(payload));
    }

    #[test]
    fn a_frame_without_a_code_reads_nothing() {
        let luma = vec![200u8; 320 * 240];
        assert_eq!(decode_qr(320, 240, &luma), None);
        assert_eq!(decode_qr(0, 0, &[]), None);
        assert_eq!(
            decode_qr(10, 10, &[0; 5]),
            None,
            "short buffers are refused"
        );
    }

    #[test]
    fn luma_weights_green_most() {
        assert_eq!(
            luma_from_rgba(&[255, 255, 255, 255, 0, 0, 0, 255]),
            vec![255, 0]
        );
        let [red, green, blue] =
            [[255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255]].map(|px| luma_from_rgba(&px)[0]);
        assert!(green > red && red > blue);
    }
}
