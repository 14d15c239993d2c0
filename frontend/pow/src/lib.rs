//! The waiting room's proof of work (see `app::backend::queue::challenge`).
//!
//! A challenge is a string the server signed; a solution is a nonce such
//! that SHA-256(challenge ‖ nonce as 8 little-endian bytes) starts with at
//! least `bits` zero bits. Finding one takes 2^bits hashes on average;
//! checking it takes one. The server checks with [`meets`]; browsers solve
//! with [`solve`], compiled to `pow.wasm` (no JavaScript glue: the holding
//! page's worker, `public/pow-worker.js`, calls its two exports).

// In the browser nothing but the hash is needed (a module of a few KB).
#![cfg_attr(target_arch = "wasm32", no_std)]

use sha2::{Digest, Sha256};

/// The most bits a challenge may ask: beyond it no phone would finish.
pub const MAX_BITS: u32 = 32;

fn zero_bits(hash: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in hash {
        if *byte == 0 {
            bits += 8;
        } else {
            return bits + byte.leading_zeros();
        }
    }
    bits
}

/// Whether `nonce` solves `challenge` at `bits`.
pub fn meets(challenge: &[u8], nonce: u64, bits: u32) -> bool {
    let hash = Sha256::new()
        .chain_update(challenge)
        .chain_update(nonce.to_le_bytes())
        .finalize();
    zero_bits(&hash) >= bits.min(MAX_BITS)
}

/// The first nonce in `from..from + count` that solves `challenge` at `bits`.
pub fn solve(challenge: &[u8], bits: u32, from: u64, count: u64) -> Option<u64> {
    // The challenge's blocks are hashed once; each try adds only the nonce.
    let prefix = Sha256::new().chain_update(challenge);
    (from..from.saturating_add(count)).find(|nonce| {
        let hash = prefix.clone().chain_update(nonce.to_le_bytes()).finalize();
        zero_bits(&hash) >= bits.min(MAX_BITS)
    })
}

/// The exports `pow.wasm` offers its worker: the challenge is written into
/// [`input`]'s buffer, then [`solve_range`] is asked range after range (so
/// the worker can report progress between them).
#[cfg(target_arch = "wasm32")]
mod wasm {
    /// Room for a challenge; the server's are about 120 bytes.
    const ROOM: usize = 512;
    static mut INPUT: [u8; ROOM] = [0; ROOM];

    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo) -> ! {
        core::arch::wasm32::unreachable()
    }

    /// Where to write the challenge (at most 512 bytes).
    #[unsafe(no_mangle)]
    pub extern "C" fn input() -> *mut u8 {
        (&raw mut INPUT).cast()
    }

    /// The first solving nonce in `from..from + count` for the `len` bytes
    /// written at [`input`], or -1. Nonces are whole numbers below 2^53, so
    /// they cross to JavaScript as doubles.
    #[unsafe(no_mangle)]
    pub extern "C" fn solve_range(len: u32, bits: u32, from: f64, count: u32) -> f64 {
        // SAFETY: the worker is single-threaded and writes the buffer only
        // between calls; `len` is clamped to the buffer.
        let challenge = unsafe {
            core::slice::from_raw_parts((&raw const INPUT).cast::<u8>(), (len as usize).min(ROOM))
        };
        // Beyond 2^53 a double no longer names every nonce.
        if !(0.0..9_007_199_254_740_992.0).contains(&from) {
            return -1.0;
        }
        match super::solve(challenge, bits, from as u64, u64::from(count)) {
            Some(nonce) => nonce as f64,
            None => -1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_solution_meets_its_bits_and_a_wrong_nonce_does_not() {
        let challenge = b"v1.event.member.1700000000000.12.salt.mac";
        let nonce = solve(challenge, 12, 0, 1 << 24).expect("found within 2^24 tries");
        assert!(meets(challenge, nonce, 12));
        // The first solution: every nonce before it fails.
        assert!((0..nonce).all(|n| !meets(challenge, n, 12)));
        // Asked for more bits, the same nonce (almost surely) fails.
        assert!(!meets(challenge, nonce, 30));
    }

    #[test]
    fn zero_bits_counts_across_bytes() {
        assert_eq!(zero_bits(&[0, 0, 0x1f, 0xff]), 19);
        assert_eq!(zero_bits(&[0x80]), 0);
        assert_eq!(zero_bits(&[0, 0]), 16);
    }
}
