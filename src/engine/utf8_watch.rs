//! Whether a stream is UTF-8 so far, checked in bulk as its bytes pass (SIMD, several GB/s)
//! instead of row by row. While the flag holds, every complete CSV row read from the stream is
//! text in every field: the delimiters are ASCII, and cutting valid UTF-8 at ASCII bytes leaves
//! valid UTF-8. Once the flag drops (a damaged byte somewhere, perhaps in a note no report
//! reads), the scan checks each row's own fields as before.

use std::cell::Cell;
use std::io::Read;

/// A reader that clears `valid` once the bytes read through it stop being UTF-8. A character
/// cut by a read's end is carried to the next read; one still cut at the end of the stream
/// clears the flag.
pub struct Utf8Watch<'a, R> {
    inner: R,
    valid: &'a Cell<bool>,
    carry: [u8; 4],
    carry_len: usize,
}

impl<'a, R: Read> Utf8Watch<'a, R> {
    /// Watch `inner`; `valid` should start true.
    pub fn new(inner: R, valid: &'a Cell<bool>) -> Self {
        Utf8Watch {
            inner,
            valid,
            carry: [0; 4],
            carry_len: 0,
        }
    }

    fn check(&mut self, mut b: &[u8]) {
        if self.carry_len > 0 {
            // The carry is the valid start of a character; its lead byte gives its length.
            let len = match self.carry[0] {
                0xC2..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            let take = (len - self.carry_len).min(b.len());
            self.carry[self.carry_len..self.carry_len + take].copy_from_slice(&b[..take]);
            self.carry_len += take;
            b = &b[take..];
            let whole = std::str::from_utf8(&self.carry[..self.carry_len]);
            match whole {
                Ok(_) => self.carry_len = 0,
                Err(e) if e.error_len().is_none() && self.carry_len < len => return,
                Err(_) => return self.valid.set(false),
            }
        }
        match simdutf8::compat::from_utf8(b) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => {
                let rest = &b[e.valid_up_to()..];
                self.carry[..rest.len()].copy_from_slice(rest);
                self.carry_len = rest.len();
            }
            Err(_) => self.valid.set(false),
        }
    }
}

impl<R: Read> Read for Utf8Watch<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.valid.get() {
            if n == 0 && !buf.is_empty() {
                // The end: a character still cut is damaged.
                if self.carry_len > 0 {
                    self.valid.set(false);
                }
            } else {
                self.check(&buf[..n]);
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Gives its bytes in reads of the given sizes (cycled).
    struct Chunks<'a> {
        data: &'a [u8],
        sizes: Vec<usize>,
        k: usize,
    }

    impl Read for Chunks<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let size = self.sizes[self.k % self.sizes.len()];
            self.k += 1;
            let n = size.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            6 => "[a-z,\"\n]{1,8}".prop_map(String::into_bytes),
            6 => "[住户称已整改现场未见组]{1,4}".prop_map(String::into_bytes),
            2 => "[\u{10000}-\u{10FFFF}\u{80}-\u{7FF}]{1,2}".prop_map(String::into_bytes),
            1 => prop::collection::vec(any::<u8>(), 1..3),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        /// However the stream is cut into reads, the flag at the end says whether the whole is
        /// UTF-8, and while it holds, everything read but a carried partial character is.
        #[test]
        fn agrees_with_std(data in bytes(), sizes in prop::collection::vec(1usize..9, 1..5)) {
            let valid = Cell::new(true);
            let mut w = Utf8Watch::new(Chunks { data: &data, sizes, k: 0 }, &valid);
            let mut read = 0;
            let mut buf = [0u8; 16];
            loop {
                let n = w.read(&mut buf).unwrap();
                read += n;
                if valid.get() {
                    prop_assert!(std::str::from_utf8(&data[..read - w.carry_len]).is_ok());
                }
                if n == 0 {
                    break;
                }
            }
            prop_assert_eq!(valid.get(), std::str::from_utf8(&data).is_ok());
        }
    }

    #[test]
    fn a_character_cut_at_the_end_is_damage() {
        let data = "组".as_bytes();
        let valid = Cell::new(true);
        let mut w = Utf8Watch::new(&data[..2], &valid);
        std::io::copy(&mut w, &mut std::io::sink()).unwrap();
        assert!(!valid.get());
    }
}
