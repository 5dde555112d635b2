//! A reader made for the store's own month files, the shape this tool writes (`write_finding`:
//! the csv crate, quoting only where needed): eleven fields, the first ten never quoted in
//! practice (ids, a date, words, whole numbers, a team name), the note quoted when it holds a
//! comma, a quote or a line break. It hands over records of that plain shape only:
//!
//! - ten fields without a quote, a `\r` or a line break, then the note, either unquoted
//!   (without a comma, a quote or a `\r`) or quoted with its inner quotes doubled, no `\r` and
//!   no blank line inside; the record ends at a `\n` (or at the end of the file).
//!
//! Such a record is read by the csv crate exactly so, on the same line; anything else stops
//! the reader, and the scan reads the rest of the file with the csv crate, whose reading,
//! line numbers and messages are the contract. (simd-csv did this splitting before: a general
//! CSV state machine finding every separator of every record, then a check that the record was
//! plain; here the check *is* the splitting, one byte loop over the short fields.)
//!
//! Two more things the store's shape gives:
//! - Consecutive rows of a visit repeat its first seven fields (visit id to compound id) byte
//!   for byte. A row that begins with the previous row's head is split from its item on, and
//!   its head's fields are the previous row's, at the same offsets (a head holds no quote, so
//!   equal bytes are equal fields).
//! - UTF-8 is checked once per buffer (SIMD) rather than field by field: every record ending
//!   before [`StoreRows::text_end`] is text in every field (the separators are ASCII, and
//!   valid UTF-8 cut at ASCII bytes stays valid).
//!
//! The file is read with `read` into one buffer, not mapped: a mapping needs `unsafe` (the
//! crate forbids it), and a mapped month file's pages would count in the resident memory (two
//! 116 MB files at once) that DESIGN §12 caps at 200 MiB.

use std::io::Read;

use super::scan::FIELDS;

/// Fields of a row's head: those a visit's rows share (visit id to compound id).
pub(crate) const HEAD: usize = 7;

/// The buffer's first size; it grows only for a record longer than it. (64 KiB, as simd-csv's
/// was: 256 KiB gave the same instruction count.)
const BUFFER: usize = 1 << 16;

/// Where a record's fields are, as offsets from its first byte: field `i` ends at `commas[i]`
/// (the note at `note_end`), and begins after the previous comma.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Cut {
    /// The commas after the first ten fields.
    pub(crate) commas: [u32; FIELDS - 1],
    /// The note's end (before its closing quote, if quoted).
    pub(crate) note_end: u32,
    /// The note's start (after its opening quote, if quoted).
    pub(crate) note_start: u32,
    /// The record's length, its `\n` included.
    pub(crate) len: u32,
    /// Line breaks inside the (quoted) note.
    pub(crate) breaks: u32,
    /// Whether the record began with the given head (its first seven fields are the head's).
    pub(crate) same_head: bool,
}

impl Cut {
    /// Field `i` of the record `rec` this cut was made of.
    #[inline(always)]
    pub(crate) fn field<'r>(&self, rec: &'r [u8], i: usize) -> &'r [u8] {
        let start = if i == 0 { 0 } else { self.commas[i - 1] as usize + 1 };
        match self.commas.get(i) {
            Some(&end) => rec.get(start..end as usize).unwrap_or_default(),
            None => rec
                .get(self.note_start as usize..self.note_end as usize)
                .unwrap_or_default(),
        }
    }

    /// Field `i` (one of the first ten) of the record's text `text`, a prefix of the record
    /// this cut was made of holding the field: [`Cut::field`]'s bytes, as text.
    #[inline(always)]
    pub(crate) fn text_field<'r>(&self, text: &'r str, i: usize) -> Option<&'r str> {
        let start = if i == 0 {
            0
        } else {
            *self.commas.get(i - 1)? as usize + 1
        };
        text.get(start..*self.commas.get(i)? as usize)
    }

    /// The length of the record's head, its seventh comma included.
    #[inline(always)]
    pub(crate) fn head_len(&self) -> usize {
        self.commas[HEAD - 1] as usize + 1
    }
}

/// What [`split`] found at the start of some bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Split {
    /// A plain record, its cut written.
    Record,
    /// The bytes end before the record does (a plain one, as far as it goes).
    More,
    /// Not a plain record.
    Stop,
}

/// Split the plain record at the start of `b` into `cut` (left half-written unless the record
/// is). `head` is the previous record's head (its bytes and commas) when the caller may take
/// its fields for this record's.
///
/// The cut is written in place rather than returned: a returned cut was copied to the
/// caller with wide loads of the commas just stored one by one, and every such load waited
/// for the stores to drain.
#[inline]
pub(crate) fn split(b: &[u8], head: Option<(&[u8], &[u32; HEAD])>, cut: &mut Cut) -> Split {
    let commas = &mut cut.commas;
    let (mut k, mut i, mut same_head) = (0, 0, false);
    if let Some((bytes, head_commas)) = head {
        if starts_with(b, bytes) {
            commas[..HEAD].copy_from_slice(head_commas);
            (k, i, same_head) = (HEAD, bytes.len(), true);
        }
    }
    // Eight bytes at a time while they are there: the commas before the first byte that
    // stops the record, in order.
    while k < FIELDS - 1 {
        let Some(word) = b.get(i..i + 8) else {
            break;
        };
        let x = u64::from_le_bytes(word.try_into().unwrap_or_default());
        // Most words of a record hold no byte at or below `"`, so none of the three that stop
        // it (`"`, `\n`, `\r`).
        let stop = if any_below(x, b'"' + 1) {
            bytes_equal(x, b'"') | bytes_equal(x, b'\n') | bytes_equal(x, b'\r')
        } else {
            0
        };
        // The bits below the first stopping byte's.
        let before = stop.wrapping_sub(1) & !stop;
        let mut found = bytes_equal(x, b',') & before;
        while found != 0 && k < FIELDS - 1 {
            commas[k] = (i + (found.trailing_zeros() / 8) as usize) as u32;
            k += 1;
            found &= found - 1;
        }
        if k < FIELDS - 1 && stop != 0 {
            return Split::Stop;
        }
        i += 8;
    }
    if k == FIELDS - 1 {
        i = commas[FIELDS - 2] as usize + 1;
    }
    // The last few bytes of the buffer, one at a time.
    while k < FIELDS - 1 {
        let Some(&c) = b.get(i) else {
            return Split::More;
        };
        match c {
            b',' => {
                commas[k] = i as u32;
                k += 1;
            }
            b'"' | b'\n' | b'\r' => return Split::Stop,
            _ => {}
        }
        i += 1;
    }
    let note = &b[i..];
    let (note_start, note_end, len, breaks) = match note.first() {
        None => return Split::More,
        Some(b'\n') => (i, i, i + 1, 0),
        Some(b'"') => {
            // Quoted: the inner quotes in pairs, then `"\n`.
            let mut j = 1;
            let close = loop {
                let Some(q) = memchr::memchr2(b'"', b'\r', &note[j..]) else {
                    return Split::More;
                };
                let q = j + q;
                if note[q] == b'\r' {
                    return Split::Stop;
                }
                match note.get(q + 1) {
                    None => return Split::More,
                    Some(b'"') => j = q + 2,
                    Some(b'\n') => break q,
                    Some(_) => return Split::Stop,
                }
            };
            let inner = &note[1..close];
            let mut breaks = 0;
            if memchr::memchr(b'\n', inner).is_some() {
                // A blank line inside is left to the csv crate, as one between records is.
                if memchr::memmem::find(inner, b"\n\n").is_some() {
                    return Split::Stop;
                }
                breaks = memchr::memchr_iter(b'\n', inner).count();
            }
            (i + 1, i + close, i + close + 2, breaks)
        }
        Some(_) => {
            let Some(n) = memchr::memchr(b'\n', note) else {
                return Split::More;
            };
            if memchr::memchr3(b',', b'"', b'\r', &note[..n]).is_some() {
                return Split::Stop;
            }
            (i, i + n, i + n + 1, 0)
        }
    };
    // (A month file is far below 4 GiB a record; one that is not stops here.)
    let (Ok(note_start), Ok(note_end), Ok(len), Ok(breaks)) = (
        u32::try_from(note_start),
        u32::try_from(note_end),
        u32::try_from(len),
        u32::try_from(breaks),
    ) else {
        return Split::Stop;
    };
    (cut.note_start, cut.note_end, cut.len, cut.breaks, cut.same_head) = (note_start, note_end, len, breaks, same_head);
    Split::Record
}

/// Whether `b` begins with `head`: `b.starts_with(head)`, compared eight bytes at a time in
/// line (a row's head is some forty bytes, compared on every row: a call to `memcmp` cost
/// more than the comparison).
#[inline(always)]
fn starts_with(b: &[u8], head: &[u8]) -> bool {
    let Some(b) = b.get(..head.len()) else {
        return false;
    };
    let (mut x, mut y) = (b.chunks_exact(8), head.chunks_exact(8));
    let word = |w: &[u8]| u64::from_ne_bytes(w.try_into().unwrap_or_default());
    if !(&mut x).zip(&mut y).all(|(p, q)| word(p) == word(q)) {
        return false;
    }
    x.remainder().iter().zip(y.remainder()).all(|(p, q)| p == q)
}

/// The high bit of each byte of `x` that equals `c`, no other bit (exact, without the carries
/// of the shorter zero-byte test).
#[inline(always)]
fn bytes_equal(x: u64, c: u8) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let v = x ^ (0x0101_0101_0101_0101 * u64::from(c));
    !(((v & LOW7) + LOW7) | v | LOW7)
}

/// Whether some byte of `x` is below `n` (at most 128): exact as a yes or no, though the bits
/// it sets do not say which byte (a borrow can mark the byte above a low one).
#[inline(always)]
fn any_below(x: u64, n: u8) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    x.wrapping_sub(ONES * u64::from(n)) & !x & (ONES * 0x80) != 0
}

/// A month file's bytes after its header, read into one buffer a record at a time.
pub(crate) struct StoreRows<R> {
    inner: R,
    buf: Vec<u8>,
    /// The next record's first byte.
    pos: usize,
    /// The end of the bytes read.
    end: usize,
    /// Every byte before this is UTF-8 (from the buffer's start).
    text_end: usize,
    eof: bool,
}

/// What [`StoreRows::next`] gives.
pub(crate) enum Next {
    /// A plain record at `at` in [`StoreRows::bytes`], its cut written.
    Record(usize),
    /// The end of the file, every record plain.
    End,
    /// A record that is not plain (or a read that failed): the careful reader goes on from it.
    Stop,
}

impl<R: Read> StoreRows<R> {
    /// Read `inner`, and its header: `None` when the file does not begin with the store's
    /// header line exactly (after at most one byte-order mark), for the careful reader to read.
    pub(crate) fn new(inner: R) -> Option<StoreRows<R>> {
        let mut rows = StoreRows {
            inner,
            buf: vec![0; BUFFER],
            pos: 0,
            end: 0,
            text_end: 0,
            eof: false,
        };
        rows.fill().ok()?;
        let header = crate::model::records::STORE_HEADER.join(",");
        let b = &rows.buf[..rows.end];
        let b = b.strip_prefix(crate::workspace::store::BOM).unwrap_or(b);
        let rest = b.strip_prefix(header.as_bytes())?.strip_prefix(b"\n")?;
        rows.pos = rows.end - rest.len();
        Some(rows)
    }

    /// The buffer the records are in.
    #[inline(always)]
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Whether the record at `at`, `len` bytes long, is UTF-8 in every field.
    #[inline(always)]
    pub(crate) fn is_text(&self, at: usize, len: usize) -> bool {
        at + len <= self.text_end
    }

    /// The next record, cut into `cut`; `head` as for [`split`]. The record is taken: the next
    /// call reads on after it.
    #[inline]
    pub(crate) fn next(&mut self, head: Option<(&[u8], &[u32; HEAD])>, cut: &mut Cut) -> Next {
        loop {
            if self.pos == self.end && self.eof {
                return Next::End;
            }
            match split(&self.buf[self.pos..self.end], head, cut) {
                Split::Record => {
                    let at = self.pos;
                    self.pos += cut.len as usize;
                    return Next::Record(at);
                }
                Split::Stop => return Next::Stop,
                Split::More if self.eof => return Next::Stop,
                Split::More => {
                    if self.fill().is_err() {
                        return Next::Stop;
                    }
                }
            }
        }
    }

    /// Keep the bytes not yet taken and read more after them, as many as the buffer holds
    /// (doubling it when it is all one record); check the complete lines as UTF-8.
    fn fill(&mut self) -> std::io::Result<()> {
        self.buf.copy_within(self.pos..self.end, 0);
        self.end -= self.pos;
        self.pos = 0;
        if self.end == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        while self.end < self.buf.len() {
            let n = self.inner.read(&mut self.buf[self.end..])?;
            if n == 0 {
                self.eof = true;
                // A last record without its `\n` ends the same as with it.
                if self.end > 0 && self.buf[self.end - 1] != b'\n' {
                    if self.end == self.buf.len() {
                        self.buf.push(0);
                    }
                    self.buf[self.end] = b'\n';
                    self.end += 1;
                }
                break;
            }
            self.end += n;
        }
        let lines = memchr::memrchr(b'\n', &self.buf[..self.end]).map_or(0, |i| i + 1);
        self.text_end = if simdutf8::basic::from_utf8(&self.buf[..lines]).is_ok() {
            lines
        } else {
            0
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The plain rule stated on the csv crate's reading of one record: eleven fields, the first
    /// ten unquoted without `"`, `\r` or `\n`; the note unquoted without `,` `"` `\r`, or quoted
    /// with no `\r` and no blank line inside, and written back the same (its quotes doubled).
    fn oracle(data: &[u8]) -> Option<(Vec<Vec<u8>>, u64, usize)> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(data);
        let mut rec = csv::ByteRecord::new();
        if !rdr.read_byte_record(&mut rec).ok()? {
            return None;
        }
        let len = rdr.position().byte() as usize;
        let raw = &data[..len];
        if rec.len() != FIELDS || !raw.ends_with(b"\n") || raw.contains(&b'\r') {
            return None;
        }
        let head: usize = rec.iter().take(FIELDS - 1).map(|f| f.len() + 1).sum();
        if raw[..head].iter().any(|&c| c == b'"' || c == b'\n') {
            return None;
        }
        let note = rec.get(FIELDS - 1)?;
        let written = &raw[head..len - 1];
        let quoted = format!("\"{}\"", String::from_utf8_lossy(note).replace('"', "\"\""));
        let plain_ok = written == note && !note.iter().any(|&c| c == b',' || c == b'"' || c == b'\n');
        let quoted_ok = written == quoted.as_bytes() && std::str::from_utf8(note).is_ok();
        if !(plain_ok || quoted_ok) || memchr::memmem::find(note, b"\n\n").is_some() {
            return None;
        }
        let breaks = note.iter().filter(|&&c| c == b'\n').count() as u64;
        let mut fields: Vec<Vec<u8>> = rec.iter().map(<[u8]>::to_vec).collect();
        fields.truncate(FIELDS);
        Some((fields, breaks, len))
    }

    fn cut_fields(rec: &[u8], cut: &Cut) -> Vec<Vec<u8>> {
        (0..FIELDS).map(|i| cut.field(rec, i).to_vec()).collect()
    }

    proptest! {
        /// A record the splitter takes is the csv crate's, field for field and line for line;
        /// one it leaves is not plain, or is cut short.
        #[test]
        fn split_reads_as_the_csv_crate(
            fields in prop::collection::vec("[a,\"\n\r住]{0,3}", 9..13),
            note in "[a,\"\n\r住]{0,6}",
            quote in prop::bool::ANY,
            tail in "[a,\"\n]{0,3}",
        ) {
            let note = if quote { format!("\"{}\"", note.replace('"', "\"\"")) } else { note };
            let data = format!("{},{note}\n{tail}", fields.join(","));
            let b = data.as_bytes();
            let mut cut = Cut::default();
            match split(b, None, &mut cut) {
                Split::Record => {
                    let (expected, breaks, len) = oracle(b).expect("the csv crate reads it so");
                    prop_assert_eq!(cut_fields(b, &cut), expected);
                    prop_assert_eq!(u64::from(cut.breaks), breaks);
                    prop_assert_eq!(cut.len as usize, len);
                }
                Split::More | Split::Stop => prop_assert!(oracle(b).is_none(), "refused a plain record: {:?}", data),
            }
        }

        /// With a head given, a record that begins with it is split to the same cut.
        #[test]
        fn the_head_shortcut_cuts_the_same(
            head in prop::collection::vec("[a住]{0,3}", 7),
            tail in prop::collection::vec("[a,\"\n]{0,3}", 4),
        ) {
            let first = format!("{},A1,1,0,\n", head.join(","));
            let second = format!("{},{}\n", head.join(","), tail.join(","));
            let mut c1 = Cut::default();
            let Split::Record = split(first.as_bytes(), None, &mut c1) else {
                return Err(TestCaseError::fail("first record refused"));
            };
            let h = &first.as_bytes()[..c1.head_len()];
            let commas: [u32; HEAD] = c1.commas[..HEAD].try_into().unwrap();
            // (Each cut begins as the first record's, as the reader's reused one would.)
            let (mut a, mut b) = (c1, c1);
            let with = split(second.as_bytes(), Some((h, &commas)), &mut a);
            let without = split(second.as_bytes(), None, &mut b);
            prop_assert_eq!(with, without);
            if with == Split::Record {
                prop_assert!(a.same_head);
                prop_assert_eq!(Cut { same_head: false, ..a }, b);
            }
        }

        /// Read through any buffer splits, the records and text flags are the whole reading's.
        #[test]
        fn reads_whole_records_across_reads(
            rows in prop::collection::vec(("[ab]{1,2}", "[a\"\n住]{0,4}", prop::bool::ANY), 0..40),
            step in 1usize..7,
        ) {
            let mut data = format!("{}\n", crate::model::records::STORE_HEADER.join(","));
            for (id, note, quote) in &rows {
                let note = if *quote { format!("\"{}\"", note.replace('"', "\"\"")) } else { note.replace(['"', '\n'], "") };
                data.push_str(&format!("{id},2026-06-01,community,routine,t,1,P1,A01,1,0,{note}\n"));
            }
            struct Trickle<'a>(&'a [u8], usize);
            impl Read for Trickle<'_> {
                fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                    let n = self.1.min(self.0.len()).min(buf.len());
                    buf[..n].copy_from_slice(&self.0[..n]);
                    self.0 = &self.0[n..];
                    Ok(n)
                }
            }
            let mut rdr = StoreRows::new(Trickle(data.as_bytes(), step)).expect("header read");
            let (mut got, mut cut) = (Vec::new(), Cut::default());
            loop {
                match rdr.next(None, &mut cut) {
                    Next::Record(at) => {
                        let rec = &rdr.bytes()[at..at + cut.len as usize];
                        prop_assert!(rdr.is_text(at, cut.len as usize));
                        got.push(cut_fields(rec, &cut));
                    }
                    Next::End => break,
                    Next::Stop => break,
                }
            }
            // Every row is plain but for blank lines in a note: the reading stops at the first.
            let first_blank = rows.iter().position(|(_, note, q)| *q && note.contains("\n\n"));
            prop_assert_eq!(got.len(), first_blank.unwrap_or(rows.len()));
        }
    }

    proptest! {
        /// The word test marks exactly the bytes equal to the one asked.
        #[test]
        fn bytes_equal_marks_exactly_the_equal_bytes(word in prop::array::uniform8(prop_oneof![Just(b','), Just(0u8), Just(0x80u8), any::<u8>()]), c in prop_oneof![Just(b','), any::<u8>()]) {
            let x = u64::from_le_bytes(word);
            let expected = word.iter().enumerate().fold(0u64, |m, (i, &w)| if w == c { m | 0x80u64 << (8 * i) } else { m });
            prop_assert_eq!(bytes_equal(x, c), expected);
        }

        /// The word test for a byte below `n` says yes exactly when one is, whatever the
        /// other bytes (high ones included).
        #[test]
        fn any_below_is_exact(word in prop::array::uniform8(prop_oneof![Just(b'"'), Just(b'#'), Just(b'\n'), Just(0u8), Just(0x80u8), Just(0xffu8), any::<u8>()]), n in prop_oneof![Just(b'"' + 1), 1u8..=128]) {
            let x = u64::from_le_bytes(word);
            prop_assert_eq!(any_below(x, n), word.iter().any(|&b| b < n));
        }

        /// The in-line head comparison answers as `starts_with`, for heads of every length
        /// against bytes that share a prefix of any length with them.
        #[test]
        fn starts_with_is_slices_starts_with(head in prop::collection::vec(prop_oneof![Just(b'a'), Just(b','), any::<u8>()], 0..50), shared in 0usize..60, tail in prop::collection::vec(prop_oneof![Just(b'a'), Just(b','), any::<u8>()], 0..60)) {
            let mut b = head[..shared.min(head.len())].to_vec();
            b.extend_from_slice(&tail);
            prop_assert_eq!(starts_with(&b, &head), b.starts_with(&head));
            let mut whole = head.clone();
            whole.extend_from_slice(&tail);
            prop_assert!(starts_with(&whole, &head));
        }
    }

    /// A header that is not exactly the store's is left to the careful reader.
    #[test]
    fn only_the_exact_header_is_read() {
        let header = crate::model::records::STORE_HEADER.join(",");
        assert!(StoreRows::new(format!("{header}\n").as_bytes()).is_some());
        assert!(StoreRows::new(format!("\u{FEFF}{header}\nx").as_bytes()).is_some());
        assert!(StoreRows::new(format!("{header}\r\n").as_bytes()).is_none());
        assert!(StoreRows::new(format!("\"visit_id\"{}\n", &header[8..]).as_bytes()).is_none());
        let mut bare = StoreRows::new(header.as_bytes()).expect("a header without its line break");
        assert!(matches!(bare.next(None, &mut Cut::default()), Next::End));
    }

    /// A field cut out of the record's text is the field's bytes as text; a field whose
    /// bounds are not in the text given is `None`.
    #[test]
    fn text_fields_are_the_fields_bytes() {
        let header = crate::model::records::STORE_HEADER.join(",");
        let data = format!("{header}\nV1,2026-06-01,community,routine,社区组1,1,P1,A01,1,0,x\n");
        let (mut rdr, mut cut) = (StoreRows::new(data.as_bytes()).unwrap(), Cut::default());
        let Next::Record(at) = rdr.next(None, &mut cut) else {
            panic!("no record")
        };
        let rec = &rdr.bytes()[at..at + cut.len as usize];
        let text = std::str::from_utf8(rec).unwrap();
        for i in 0..10 {
            assert_eq!(
                cut.text_field(text, i).map(str::as_bytes),
                Some(cut.field(rec, i)),
                "field {i}"
            );
        }
        assert_eq!(cut.text_field(text, 4), Some("社区组1"));
        assert_eq!(cut.text_field(&text[..cut.head_len()], 7), None);
        assert_eq!(cut.text_field(text, 10), None);
    }

    /// A last record without its line break reads as with it; a damaged byte makes its
    /// buffer's records not text, and they are still handed over.
    #[test]
    fn the_last_record_and_damaged_text() {
        let header = crate::model::records::STORE_HEADER.join(",");
        let mut data = format!("{header}\nV1,2026-06-01,community,routine,t,1,P1,A01,1,0,x").into_bytes();
        let (mut rdr, mut cut) = (StoreRows::new(data.as_slice()).unwrap(), Cut::default());
        let Next::Record(at) = rdr.next(None, &mut cut) else {
            panic!("no record")
        };
        assert!(rdr.is_text(at, cut.len as usize));
        assert_eq!(cut.field(&rdr.bytes()[at..], 10), b"x");
        assert!(matches!(rdr.next(None, &mut cut), Next::End));
        data.extend_from_slice(b"\xff\n");
        let (mut rdr, mut cut) = (StoreRows::new(data.as_slice()).unwrap(), Cut::default());
        let Next::Record(at) = rdr.next(None, &mut cut) else {
            panic!("no record")
        };
        assert!(!rdr.is_text(at, cut.len as usize));
    }
}
