//! The kit's random numbers: [`Rng`] (splitmix64), tiny, fast, and the same sequence on every
//! platform.
//!
//! The demo and synth draw from [`Rng`], so a fixture changes only when its generator's calls
//! change. Two older sequences are kept beside it, frozen, because committed files and
//! published benchmark figures were made with them: [`XorShift64Star`] (the July sheets) and
//! [`XorShift64`] (the import benchmark's sheet). The order and arithmetic of each method are part of the fixtures'
//! bytes: the committed demo district and the synth benchmark's workspaces depend on them.

/// splitmix64 (Steele, Lea and Flood), seeded by the caller.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`); the modulo bias is negligible for the small `n` used here.
    pub fn below_u64(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// [`Rng::below_u64`] for indices.
    pub fn below(&mut self, n: usize) -> usize {
        self.below_u64(n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below_u64(u64::from(hi - lo + 1)) as u32
    }

    /// True with probability `p` percent.
    pub fn percent(&mut self, p: u32) -> bool {
        self.between(0, 99) < p
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }

    /// `k` distinct indices of `0..n`, in random order.
    pub fn sample(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        self.shuffle(&mut all);
        all.truncate(k);
        all
    }
}

/// xorshift64* (Vigna): the generator `examples/july_sheets.rs` was written with. Frozen: the
/// sheets in `examples/sheets/` are committed and the import tests read them, so this sequence
/// must not change; new generators draw from [`Rng`].
pub struct XorShift64Star(u64);

impl XorShift64Star {
    pub fn new(seed: u64) -> XorShift64Star {
        XorShift64Star(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n > 0`), up to the modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// xorshift64 (Marsaglia, 13/7/17): the generator of `examples/synth_sheet.rs`. Frozen, so
/// that the import benchmark's sheet stays the one its published figures were measured on.
pub struct XorShift64(u64);

impl XorShift64 {
    pub fn new(seed: u64) -> XorShift64 {
        XorShift64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}
