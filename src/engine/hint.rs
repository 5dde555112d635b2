//! A cache hint for the store scan's random accesses (a compound's slot, its tally): asked for
//! a visit or two ahead, the cache line arrives while the scan parses the rows in between,
//! instead of stalling the core when it is read. Only a hint: it never changes a result.

/// Start fetching the cache line holding `x` into every cache level.
#[inline(always)]
pub fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    safe_arch::prefetch_t0(x);
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}
