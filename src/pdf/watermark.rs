//! Watermarking of gated PDF documents at download time.
//!
//! The portal serves confidential documents (audit reports, pentest summaries) to approved
//! customers. Every download is stamped with the recipient's identity so that a leaked copy can be
//! traced back: [`watermark_pdf`] takes the original file's bytes and a [`Stamp`] and returns a new
//! PDF; the original is only read, never modified.
//!
//! What the copy carries:
//!
//! - On **every page**, a line in small grey Helvetica along the bottom edge of the visible page
//!   ([`Stamp::text`], e.g. `Confidential – for Jane Doe <jane@acme.com>, Acme Corp – downloaded
//!   2026-11-23 16:05 UTC`) and a large, light, outlined diagonal `CONFIDENTIAL`. Both are drawn
//!   in an extra content stream after the page's own content, which is wrapped in `q … Q` (and
//!   closed, should it leave a text object or saved graphics states open), so nothing the page
//!   does to the graphics state can move, clip or hide the stamp. The stamp is placed inside the
//!   CropBox (or MediaBox) and upright as the page is displayed, whatever its `/Rotate`.
//! - In the **document information dictionary**: `/Subject` starts with the stamp line (the old
//!   subject follows it), `/CandorRecipient`, `/CandorDocument` and `/CandorDownloaded` (RFC 3339)
//!   are added, `/ModDate` is the download time, and every other entry is kept. The second element
//!   of the file `/ID` is derived from the stamp, as the PDF specification asks of a changed file.
//!   An XMP metadata stream, if there is one, is left as it is.
//!
//! The font is the standard-14 Helvetica with `/WinAnsiEncoding` (no font is embedded, the copy
//! grows by about a kilobyte). Text from the recipient is hostile input: control characters,
//! bidirectional overrides and other invisible formatting characters are removed, fields are
//! capped in length, and characters that WinAnsiEncoding cannot show become `?` on the page (the
//! metadata keeps them, as UTF-16).
//!
//! Encrypted PDFs are refused ([`WatermarkError::Encrypted`]): rewriting them would either drop
//! their protection or need their password.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::panic;

use chrono::{DateTime, Utc};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// Longest recipient name kept in the stamp, in characters; longer names end in `…`.
const MAX_NAME_CHARS: usize = 80;
/// Longest e-mail address kept in the stamp, in characters.
const MAX_EMAIL_CHARS: usize = 120;
/// Longest company name kept in the stamp, in characters.
const MAX_COMPANY_CHARS: usize = 80;
/// Longest document label kept in the metadata, in characters.
const MAX_DOCUMENT_CHARS: usize = 120;

/// Largest size any one stream of the input may decompress to (a defence against decompression
/// bombs; real documents are far smaller).
const MAX_DECOMPRESSED_BYTES: usize = 64 * 1024 * 1024;
/// Deepest page tree walked when looking for inherited page attributes.
const MAX_TREE_DEPTH: usize = 64;
/// Most graphics states left open by a page that are closed before the stamp; past this the
/// page is treated as broken beyond repair and the stamp is drawn where its state leaves it.
const MAX_OPEN_STATES: usize = 1024;

/// Font size of the stamp line, in points, when it fits the page width.
const LINE_FONT_SIZE: f64 = 7.0;
/// Smallest font size of the stamp line; a line that does not fit at this size is shortened.
const MIN_LINE_FONT_SIZE: f64 = 4.0;
/// Grey level of the stamp line (0 = black, 1 = white).
const LINE_GREY: f64 = 0.35;
/// Grey level of the outline of the diagonal mark.
const MARK_GREY: f64 = 0.75;
/// The diagonal mark.
const MARK_TEXT: &[u8] = b"CONFIDENTIAL";
/// Cap height of Helvetica, in thousandths of the font size (from its AFM).
const HELVETICA_CAP_HEIGHT: f64 = 718.0;
/// Page size assumed when a page has no usable MediaBox (US Letter, as PDF readers do).
const DEFAULT_PAGE_BOX: PageBox = PageBox {
    x0: 0.0,
    y0: 0.0,
    x1: 612.0,
    y1: 792.0,
};
/// Preferred name of the stamp font in the page resources (made unique per page if taken).
const FONT_RESOURCE_NAME: &str = "CandorStamp";

/// The recipient and time of one download, stamped onto the copy that is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp<'a> {
    /// The recipient's name, as they gave it (untrusted).
    pub name: &'a str,
    /// The recipient's e-mail address (untrusted).
    pub email: &'a str,
    /// The recipient's company (untrusted).
    pub company: &'a str,
    /// When the document was downloaded.
    pub time: DateTime<Utc>,
    /// Which document this is, for the metadata, e.g. `pentest-summary 2026 (en)`.
    pub document: &'a str,
}

impl Stamp<'_> {
    /// The line stamped on every page, e.g. `Confidential – for Jane Doe <jane@acme.com>, Acme
    /// Corp – downloaded 2026-11-23 16:05 UTC`.
    ///
    /// The fields are cleaned first: line breaks and other white space become single spaces,
    /// control characters and invisible formatting characters (bidirectional overrides such as
    /// U+202E, zero-width characters) are removed, the text is put in Unicode normal form C, and
    /// each field is cut to a sane length (ending in `…`). Empty fields are left out. The result
    /// is one line of at most a few hundred characters.
    pub fn text(&self) -> String {
        format!(
            "Confidential – for {} – downloaded {}",
            self.recipient(),
            self.time.format("%Y-%m-%d %H:%M UTC")
        )
    }

    /// Who the copy is for: `Name <email>, Company`, cleaned as described in [`Stamp::text`].
    fn recipient(&self) -> String {
        let name = clean_field(self.name, MAX_NAME_CHARS);
        let email = clean_field(self.email, MAX_EMAIL_CHARS);
        let company = clean_field(self.company, MAX_COMPANY_CHARS);
        let mut who = match (name.is_empty(), email.is_empty()) {
            (false, false) => format!("{name} <{email}>"),
            (false, true) => name,
            (true, false) => email,
            (true, true) => "an unnamed recipient".to_owned(),
        };
        if !company.is_empty() {
            who.push_str(", ");
            who.push_str(&company);
        }
        who
    }
}

/// Why a PDF could not be watermarked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WatermarkError {
    /// The bytes are not a PDF that can be read.
    #[error("the file is not a readable PDF")]
    Parse(#[source] lopdf::Error),
    /// The PDF is encrypted (password-protected or with usage restrictions).
    #[error("the PDF is encrypted; encrypted documents cannot be watermarked")]
    Encrypted,
    /// The PDF has no pages to stamp.
    #[error("the PDF has no pages")]
    NoPages,
    /// The PDF reads, but its structure is broken in a way that prevents stamping.
    #[error("the PDF is damaged: {0}")]
    Damaged(&'static str),
    /// The PDF library panicked on this file (a bug in it, triggered by a malformed file).
    #[error("the PDF library failed on this file (it panicked); the file is probably malformed")]
    Panicked,
    /// The watermarked copy could not be written.
    #[error("could not write the watermarked PDF")]
    Write(#[source] std::io::Error),
}

/// Returns a copy of the PDF `original` with `stamp` on every page and in its metadata.
///
/// The input is only read. The output is a complete new PDF (not an incremental update, so the
/// original content cannot be recovered by cutting the file), with the same pages.
///
/// # Errors
///
/// [`WatermarkError`] when the input is not a readable PDF, is encrypted, has no pages or is
/// damaged; this function never panics on bad input. The PDF parser is meant to return errors
/// on malformed files, but it is a large body of code fed with files we did not write, so it is
/// run under [`std::panic::catch_unwind`]: a panic inside it becomes
/// [`WatermarkError::Panicked`] instead of taking the request (or the server) down. The panic
/// message is still printed by the process's panic hook. With `panic = "abort"` this safety net
/// does not exist; the crate does not set it.
pub fn watermark_pdf(original: &[u8], stamp: &Stamp) -> Result<Vec<u8>, WatermarkError> {
    // Both captures are shared references to data without interior mutability, so the closure
    // is `UnwindSafe`: a panic cannot leave anything the caller sees half-modified.
    panic::catch_unwind(|| watermark_unguarded(original, stamp))
        .unwrap_or(Err(WatermarkError::Panicked))
}

/// [`watermark_pdf`] without the panic guard.
fn watermark_unguarded(original: &[u8], stamp: &Stamp) -> Result<Vec<u8>, WatermarkError> {
    let mut doc = Document::load_mem_with_options(
        original,
        LoadOptions::with_max_decompressed_size(MAX_DECOMPRESSED_BYTES),
    )
    .map_err(|error| match error {
        lopdf::Error::InvalidPassword
        | lopdf::Error::Decryption(_)
        | lopdf::Error::UnsupportedSecurityHandler(_)
        | lopdf::Error::AlreadyEncrypted => WatermarkError::Encrypted,
        other => WatermarkError::Parse(other),
    })?;
    // lopdf opens files encrypted with an empty user password by itself; writing them out again
    // would silently remove their protection, so they are refused as well.
    if doc.trailer.has(b"Encrypt") || doc.was_encrypted() {
        return Err(WatermarkError::Encrypted);
    }

    let mut pages = Vec::new();
    let mut seen = HashSet::new();
    for page_id in doc.page_iter() {
        if seen.insert(page_id) {
            pages.push(page_id);
        }
    }
    if pages.is_empty() {
        return Err(WatermarkError::NoPages);
    }

    let text = stamp.text();
    let line = encode_win_ansi(&text);

    let font_id = add_object(&mut doc, helvetica())?;
    // One stream that opens the saved state around every page's own content.
    let open_id = add_object(&mut doc, Stream::new(Dictionary::new(), b"q\n".to_vec()))?;
    let mut stamped_resources: HashMap<ResourcesSource, (ObjectId, Vec<u8>)> = HashMap::new();

    for page_id in pages {
        let page = doc
            .get_dictionary(page_id)
            .map_err(|_| WatermarkError::Damaged("a page is not a dictionary"))?;
        let geometry = PageGeometry::of(&doc, page_id);
        let contents = content_references(&doc, page);
        let open = open_state(&doc, page_id);

        let source = resources_source(&doc, page_id);
        let (resources_id, font_name) = match stamped_resources.get(&source) {
            Some(found) => found.clone(),
            None => {
                let (resources, font_name) = resources_with_font(&doc, source, font_id);
                let id = add_object(&mut doc, resources)?;
                stamped_resources.insert(source, (id, font_name.clone()));
                (id, font_name)
            }
        };

        let mut stamp_stream = Stream::new(
            Dictionary::new(),
            stamp_content(&geometry, &open, &font_name, &line),
        );
        // Compressed like the rest of a typical PDF; if compression fails the plain stream is
        // just as valid.
        let _ = stamp_stream.compress();
        let stamp_id = add_object(&mut doc, stamp_stream)?;

        let mut new_contents = Vec::with_capacity(contents.len() + 2);
        new_contents.push(Object::Reference(open_id));
        new_contents.extend(contents);
        new_contents.push(Object::Reference(stamp_id));

        let page = doc
            .get_dictionary_mut(page_id)
            .map_err(|_| WatermarkError::Damaged("a page is not a dictionary"))?;
        page.set("Contents", Object::Array(new_contents));
        page.set("Resources", Object::Reference(resources_id));
    }

    set_info(&mut doc, stamp, &text)?;
    set_file_id(&mut doc, &text);

    let mut out = Vec::with_capacity(original.len() + 4096);
    doc.save_to(&mut out).map_err(WatermarkError::Write)?;
    Ok(out)
}

/// Adds `object` to `doc`, failing cleanly when the document's object numbers are exhausted.
fn add_object(doc: &mut Document, object: impl Into<Object>) -> Result<ObjectId, WatermarkError> {
    doc.try_add_object(object)
        .map_err(|_| WatermarkError::Damaged("it uses the highest possible object number"))
}

/// The standard-14 Helvetica font with WinAnsiEncoding (never embedded).
fn helvetica() -> Dictionary {
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Subtype", Object::Name(b"Type1".to_vec()));
    font.set("BaseFont", Object::Name(b"Helvetica".to_vec()));
    font.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
    font
}

// ---------------------------------------------------------------------------------------------
// Text: cleaning, encoding, measuring
// ---------------------------------------------------------------------------------------------

/// Cleans one untrusted field: white space (including line breaks) becomes single spaces,
/// control and invisible formatting characters are removed, the text is NFC-normalised and cut
/// to `max_chars` characters (the last one then being `…`).
pub(crate) fn clean_field(raw: &str, max_chars: usize) -> String {
    let mut cleaned = String::new();
    let mut pending_space = false;
    for c in raw.nfc() {
        if c.is_whitespace() {
            pending_space = true;
        } else if c.is_control() || is_invisible_format(c) {
            // Dropped without a trace: "a\u{202E}b" becomes "ab".
        } else {
            if pending_space && !cleaned.is_empty() {
                cleaned.push(' ');
            }
            pending_space = false;
            cleaned.push(c);
        }
    }
    if cleaned.chars().count() > max_chars {
        let mut cut: String = cleaned.chars().take(max_chars.saturating_sub(1)).collect();
        cut.truncate(cut.trim_end().len());
        cut.push('…');
        cut
    } else {
        cleaned
    }
}

/// Whether `c` is an invisible formatting character that hostile input could use to disguise
/// the stamp: bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069),
/// directional marks, zero-width characters, the byte order mark, variation selectors, tag
/// characters and the other default-ignorable format characters.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{08E2}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Whether `c` is a combining mark, drawn onto the previous letter. Marks that survive NFC
/// composition (no precomposed WinAnsi letter exists) are left out on the page, so `q̃` shows as
/// `q` rather than `q?`.
fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// The characters of WinAnsiEncoding's codes 0x80–0x9F (`None` where the code is unused).
const WIN_ANSI_80_9F: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The WinAnsiEncoding code of `c`, if it has one.
fn win_ansi_code(c: char) -> Option<u8> {
    match c {
        ' '..='~' | '\u{A1}'..='\u{AC}' | '\u{AE}'..='\u{FF}' => u8::try_from(u32::from(c)).ok(),
        '\u{A0}' => Some(b' '),
        _ => WIN_ANSI_80_9F
            .iter()
            .position(|&entry| entry == Some(c))
            .and_then(|index| u8::try_from(0x80 + index).ok()),
    }
}

/// Encodes (already cleaned) text to WinAnsiEncoding bytes: `?` for characters it cannot
/// represent, nothing for leftover combining marks and control characters.
pub(crate) fn encode_win_ansi(text: &str) -> Vec<u8> {
    text.nfc()
        .filter(|&c| !is_combining_mark(c) && !c.is_control() && !is_invisible_format(c))
        .map(|c| win_ansi_code(c).unwrap_or(b'?'))
        .collect()
}

/// Writes `bytes` as a PDF literal string: `(`, `)` and `\` escaped, everything outside
/// printable ASCII as an octal escape, so the content stream itself stays plain ASCII.
pub(crate) fn push_literal_string(out: &mut String, bytes: &[u8]) {
    out.push('(');
    for &byte in bytes {
        match byte {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(char::from(byte));
            }
            b' '..=b'~' => out.push(char::from(byte)),
            _ => {
                let _ = write!(out, "\\{byte:03o}");
            }
        }
    }
    out.push(')');
}

/// Helvetica glyph widths (thousandths of the font size) of WinAnsiEncoding codes 32–255: the
/// Adobe Helvetica AFM for ASCII, its metric-compatible URW Nimbus Sans for the rest; 0 for
/// unused codes.
#[rustfmt::skip]
const HELVETICA_WIDTHS: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// Width of WinAnsi-encoded `bytes` in Helvetica, in units of the font size.
pub(crate) fn text_width(bytes: &[u8]) -> f64 {
    let thousandths: u32 = bytes
        .iter()
        .map(|&byte| {
            usize::from(byte)
                .checked_sub(32)
                .and_then(|index| HELVETICA_WIDTHS.get(index))
                .map_or(0, |&width| u32::from(width))
        })
        .sum();
    f64::from(thousandths) / 1000.0
}

/// A number for a content stream: at most three decimals, no exponent, no `-0`.
pub(crate) fn num(value: f64) -> String {
    if !value.is_finite() {
        return "0".to_owned();
    }
    let mut text = format!("{value:.3}");
    if text.contains('.') {
        text.truncate(text.trim_end_matches('0').trim_end_matches('.').len());
    }
    if text == "-0" { "0".to_owned() } else { text }
}

// ---------------------------------------------------------------------------------------------
// Pages: inherited attributes, geometry, resources, content
// ---------------------------------------------------------------------------------------------

/// The value of an inheritable page attribute (`/MediaBox`, `/CropBox`, `/Rotate`,
/// `/Resources`), looked up on the page and then up its `/Parent` chain, with the id of the node
/// that holds it. Cycles and absurdly deep trees end the search.
fn inherited<'a>(
    doc: &'a Document,
    page_id: ObjectId,
    key: &[u8],
) -> Option<(ObjectId, &'a Object)> {
    let mut node_id = page_id;
    let mut seen = HashSet::new();
    for _ in 0..MAX_TREE_DEPTH {
        if !seen.insert(node_id) {
            return None;
        }
        let node = doc.get_dictionary(node_id).ok()?;
        if let Ok(value) = node.get(key) {
            return Some((node_id, value));
        }
        node_id = node.get(b"Parent").and_then(Object::as_reference).ok()?;
    }
    None
}

/// A number, following references.
fn number(doc: &Document, object: &Object) -> Option<f64> {
    let (_, object) = doc.dereference(object).ok()?;
    object.as_float().ok().map(f64::from)
}

/// A rectangle in default user space, normalised so that `x0 < x1` and `y0 < y1`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PageBox {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl PageBox {
    /// The rectangle in page attribute `key`, if it is present and sensible.
    fn read(doc: &Document, page_id: ObjectId, key: &[u8]) -> Option<PageBox> {
        let (_, value) = inherited(doc, page_id, key)?;
        let (_, value) = doc.dereference(value).ok()?;
        let Object::Array(items) = value else {
            return None;
        };
        let [a, b, c, d] = items.as_slice() else {
            return None;
        };
        let [a, b, c, d] = [a, b, c, d].map(|item| number(doc, item));
        PageBox::new(a?, b?, c?, d?)
    }

    /// A normalised box from two corners, if it has an area and sane coordinates.
    fn new(a: f64, b: f64, c: f64, d: f64) -> Option<PageBox> {
        // The PDF specification's implementation limits are far below this; larger numbers are
        // garbage, and would make the stamp's arithmetic meaningless.
        const LIMIT: f64 = 1.0e7;
        if [a, b, c, d]
            .iter()
            .any(|v| !v.is_finite() || v.abs() > LIMIT)
        {
            return None;
        }
        let page_box = PageBox {
            x0: a.min(c),
            y0: b.min(d),
            x1: a.max(c),
            y1: b.max(d),
        };
        (page_box.width() >= 1.0 && page_box.height() >= 1.0).then_some(page_box)
    }

    fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    /// The overlap of two boxes, if they overlap.
    fn intersect(&self, other: &PageBox) -> Option<PageBox> {
        let (x0, y0) = (self.x0.max(other.x0), self.y0.max(other.y0));
        let (x1, y1) = (self.x1.min(other.x1), self.y1.min(other.y1));
        // Checked before `new`, which would turn swapped corners into a box.
        if x0 < x1 && y0 < y1 {
            PageBox::new(x0, y0, x1, y1)
        } else {
            None
        }
    }
}

/// Where a page is visible and how it is turned.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PageGeometry {
    /// The visible part of the page: CropBox clipped to MediaBox.
    visible: PageBox,
    /// Clockwise rotation when displayed: 0, 90, 180 or 270.
    rotate: i64,
}

impl PageGeometry {
    /// The geometry of a page, with defaults for missing or nonsensical attributes.
    fn of(doc: &Document, page_id: ObjectId) -> PageGeometry {
        let media = PageBox::read(doc, page_id, b"MediaBox").unwrap_or(DEFAULT_PAGE_BOX);
        let visible = PageBox::read(doc, page_id, b"CropBox")
            .and_then(|crop| crop.intersect(&media))
            .unwrap_or(media);
        let rotate = inherited(doc, page_id, b"Rotate")
            .and_then(|(_, value)| number(doc, value))
            .filter(|degrees| degrees.fract() == 0.0 && degrees.abs() < 1.0e6)
            // The cast is exact: the value is a whole number well inside i64.
            .map(|degrees| (degrees as i64).rem_euclid(360))
            .filter(|degrees| degrees % 90 == 0)
            .unwrap_or(0);
        PageGeometry { visible, rotate }
    }

    /// Width and height of the page as displayed (swapped for a quarter turn).
    fn display_size(&self) -> (f64, f64) {
        let (width, height) = (self.visible.width(), self.visible.height());
        if self.rotate % 180 == 0 {
            (width, height)
        } else {
            (height, width)
        }
    }

    /// The `cm` matrix that maps display coordinates (origin at the bottom left of the page as
    /// the reader shows it, x to the right, y up) to default user space.
    fn display_matrix(&self) -> [f64; 6] {
        let PageBox { x0, y0, x1, y1 } = self.visible;
        match self.rotate {
            90 => [0.0, 1.0, -1.0, 0.0, x1, y0],
            180 => [-1.0, 0.0, 0.0, -1.0, x1, y1],
            270 => [0.0, -1.0, 1.0, 0.0, x0, y1],
            _ => [1.0, 0.0, 0.0, 1.0, x0, y0],
        }
    }
}

/// The page's content streams as they appear in its `/Contents` (a stream or an array of them,
/// possibly behind a reference).
fn content_references(doc: &Document, page: &Dictionary) -> Vec<Object> {
    match page.get(b"Contents") {
        Ok(Object::Reference(id)) => match doc.get_object(*id) {
            Ok(Object::Array(items)) => items.clone(),
            _ => vec![Object::Reference(*id)],
        },
        Ok(Object::Array(items)) => items.clone(),
        _ => Vec::new(),
    }
}

/// What a page's content leaves open at its end, to be closed before the stamp.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct OpenState {
    /// Graphics states saved with `q` and never restored.
    saved_states: usize,
    /// Whether a text object (`BT`) is left unclosed.
    in_text: bool,
}

/// Scans a page's content for unbalanced `q`/`Q` and `BT`/`ET`. Well-formed content leaves
/// nothing open; content that cannot be read is assumed to be balanced.
fn open_state(doc: &Document, page_id: ObjectId) -> OpenState {
    let Ok(content) = doc.get_page_content_with_limit(page_id, MAX_DECOMPRESSED_BYTES) else {
        return OpenState::default();
    };
    let mut state = OpenState::default();
    for operation in Content::decode_iter(&content) {
        let Ok(operation) = operation else {
            break;
        };
        match operation.operator.as_str() {
            "q" => state.saved_states = state.saved_states.saturating_add(1),
            "Q" => state.saved_states = state.saved_states.saturating_sub(1),
            "BT" => state.in_text = true,
            "ET" => state.in_text = false,
            _ => {}
        }
    }
    state.saved_states = state.saved_states.min(MAX_OPEN_STATES);
    state
}

/// Where a page's effective `/Resources` dictionary comes from; pages with the same source share
/// one stamped copy of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ResourcesSource {
    /// An indirect dictionary (the usual case, possibly shared by many pages).
    Object(ObjectId),
    /// A dictionary written directly into this page or page tree node.
    DirectIn(ObjectId),
    /// No usable resources at all.
    None,
}

/// Finds where the page's resources come from, following inheritance and references.
fn resources_source(doc: &Document, page_id: ObjectId) -> ResourcesSource {
    let Some((node_id, value)) = inherited(doc, page_id, b"Resources") else {
        return ResourcesSource::None;
    };
    match doc.dereference(value) {
        Ok((Some(id), Object::Dictionary(_))) => ResourcesSource::Object(id),
        Ok((None, Object::Dictionary(_))) => ResourcesSource::DirectIn(node_id),
        _ => ResourcesSource::None,
    }
}

/// A copy of the resources from `source` with the stamp font added to its `/Font` dictionary
/// under a name not used yet, and that name. The original dictionaries are copied, not changed,
/// so nothing else that refers to them (form XObjects, annotation appearances) is affected.
fn resources_with_font(
    doc: &Document,
    source: ResourcesSource,
    font_id: ObjectId,
) -> (Dictionary, Vec<u8>) {
    let mut resources = match source {
        ResourcesSource::Object(id) => doc.get_dictionary(id).ok().cloned(),
        ResourcesSource::DirectIn(node_id) => doc
            .get_dictionary(node_id)
            .ok()
            .and_then(|node| node.get(b"Resources").ok())
            .and_then(|value| value.as_dict().ok())
            .cloned(),
        ResourcesSource::None => None,
    }
    .unwrap_or_default();

    let mut fonts = resources
        .get(b"Font")
        .ok()
        .and_then(|value| doc.dereference(value).ok())
        .and_then(|(_, value)| value.as_dict().ok())
        .cloned()
        .unwrap_or_default();
    let mut name = FONT_RESOURCE_NAME.as_bytes().to_vec();
    let mut counter = 1_u32;
    while fonts.has(&name) {
        counter += 1;
        name = format!("{FONT_RESOURCE_NAME}{counter}").into_bytes();
    }
    fonts.set(name.clone(), Object::Reference(font_id));
    resources.set("Font", Object::Dictionary(fonts));
    (resources, name)
}

/// The content stream appended to a page: closes what the page left open, restores the state
/// saved before the page's content, and draws the diagonal mark and the stamp line upright in
/// the visible area.
fn stamp_content(geometry: &PageGeometry, open: &OpenState, font: &[u8], line: &[u8]) -> Vec<u8> {
    let mut out = String::from("\n");
    if open.in_text {
        out.push_str("ET\n");
    }
    for _ in 0..open.saved_states {
        out.push_str("Q\n");
    }
    // Restores the state saved by the `q` in front of the page's content.
    out.push_str("Q\nq\n");
    let matrix = geometry.display_matrix().map(num).join(" ");
    let _ = writeln!(out, "{matrix} cm");
    let font = String::from_utf8_lossy(font);
    let (width, height) = geometry.display_size();

    // Diagonal mark: outlined, light grey, across the middle of the page.
    let mark_width = text_width(MARK_TEXT);
    let diagonal = width.hypot(height);
    let mark_size = (0.55 * diagonal / mark_width).min(0.4 * width.min(height));
    let angle = height.atan2(width);
    let (sin, cos) = angle.sin_cos();
    let half_width = mark_width * mark_size / 2.0;
    let half_cap = HELVETICA_CAP_HEIGHT / 1000.0 * mark_size / 2.0;
    let mark_x = width / 2.0 - (half_width * cos - half_cap * sin);
    let mark_y = height / 2.0 - (half_width * sin + half_cap * cos);
    let _ = writeln!(
        out,
        "q {grey} G {line_width} w 1 J 1 j [] 0 d\nBT 0 Tc 0 Tw 100 Tz 0 Ts 1 Tr /{font} {size} Tf {tm} Tm",
        grey = num(MARK_GREY),
        line_width = num((mark_size / 60.0).clamp(0.3, 2.0)),
        size = num(mark_size),
        tm = [cos, sin, -sin, cos, mark_x, mark_y].map(num).join(" "),
    );
    push_literal_string(&mut out, MARK_TEXT);
    out.push_str(" Tj ET Q\n");

    // The recipient line, centred along the bottom edge.
    let margin = (width * 0.05).clamp(1.0, 36.0);
    let available = (width - 2.0 * margin).max(1.0);
    let full_width = text_width(line);
    let mut size = LINE_FONT_SIZE;
    let mut shown = line.to_vec();
    if full_width * size > available {
        size = (available / full_width).max(MIN_LINE_FONT_SIZE);
        if full_width * size > available {
            // Too long even in the smallest size: shorten, ending in an ellipsis (0x85).
            let ellipsis = text_width(&[0x85]);
            while !shown.is_empty() && (text_width(&shown) + ellipsis) * size > available {
                shown.pop();
            }
            shown.push(0x85);
        }
    }
    let x = ((width - text_width(&shown) * size) / 2.0).max(0.0);
    let y = (height * 0.015).clamp(1.0, 12.0);
    let _ = write!(
        out,
        "{grey} g\nBT 0 Tc 0 Tw 100 Tz 0 Ts 0 Tr /{font} {size} Tf 1 0 0 1 {x} {y} Tm ",
        grey = num(LINE_GREY),
        size = num(size),
        x = num(x),
        y = num(y),
    );
    push_literal_string(&mut out, &shown);
    out.push_str(" Tj ET\nQ\n");
    out.into_bytes()
}

// ---------------------------------------------------------------------------------------------
// Metadata
// ---------------------------------------------------------------------------------------------

/// Records the stamp in the document information dictionary, keeping its other entries; creates
/// the dictionary if there is none.
fn set_info(doc: &mut Document, stamp: &Stamp, text: &str) -> Result<(), WatermarkError> {
    let existing_id = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|value| doc.dereference(value).ok())
        .and_then(|(id, value)| id.filter(|_| value.as_dict().is_ok()));
    let info_id = match existing_id {
        Some(id) => id,
        None => {
            // A direct dictionary in the trailer (not allowed, but seen) is moved into an object;
            // anything else there is replaced.
            let info = match doc.trailer.get(b"Info") {
                Ok(Object::Dictionary(info)) => info.clone(),
                _ => Dictionary::new(),
            };
            let id = add_object(doc, info)?;
            doc.trailer.set("Info", Object::Reference(id));
            id
        }
    };
    let info = doc
        .get_dictionary_mut(info_id)
        .map_err(|_| WatermarkError::Damaged("the document information is not a dictionary"))?;

    let subject = match info
        .get(b"Subject")
        .ok()
        .and_then(|value| lopdf::decode_text_string(value).ok())
        .map(|old| clean_field(&old, 1000))
        .filter(|old| !old.is_empty())
    {
        Some(old) => format!("{text} | {old}"),
        None => text.to_owned(),
    };
    info.set("Subject", lopdf::text_string(&subject));
    info.set("CandorRecipient", lopdf::text_string(&stamp.recipient()));
    info.set(
        "CandorDocument",
        lopdf::text_string(&clean_field(stamp.document, MAX_DOCUMENT_CHARS)),
    );
    info.set(
        "CandorDownloaded",
        lopdf::text_string(&stamp.time.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
    );
    info.set(
        "ModDate",
        Object::string_literal(stamp.time.format("D:%Y%m%d%H%M%SZ").to_string()),
    );
    Ok(())
}

/// Gives the copy its own second file identifier (the first, which names the document across
/// versions, is kept), derived from the original identifier and the stamp.
fn set_file_id(doc: &mut Document, text: &str) {
    let Ok(Object::Array(ids)) = doc.trailer.get_mut(b"ID") else {
        return;
    };
    let [Object::String(first, _), Object::String(second, format)] = ids.as_mut_slice() else {
        return;
    };
    let digest = Sha256::new()
        .chain_update(first.as_slice())
        .chain_update(text.as_bytes())
        .finalize();
    *second = digest[..16].to_vec();
    *format = StringFormat::Hexadecimal;
}

#[cfg(test)]
mod tests {
    use super::*;

    use chrono::TimeZone;

    const PENTEST: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/documents/pentest-summary/pentest-summary-2026-en.pdf"
    );

    fn jane() -> Stamp<'static> {
        Stamp {
            name: "Jane Doe",
            email: "jane@acme.com",
            company: "Acme Corp",
            time: Utc.with_ymd_and_hms(2026, 11, 23, 16, 5, 42).unwrap(),
            document: "pentest-summary 2026 (en)",
        }
    }

    fn example(path: &str) -> Vec<u8> {
        std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// All example PDFs of the example site.
    fn example_pdfs() -> Vec<std::path::PathBuf> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/documents");
        let mut found: Vec<_> = walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .map(|entry| entry.into_path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "pdf"))
            .collect();
        found.sort();
        assert!(!found.is_empty(), "no example PDFs found");
        found
    }

    fn load(bytes: &[u8]) -> Document {
        Document::load_mem(bytes).expect("the watermarked PDF parses again")
    }

    /// Text of one page as lopdf extracts it, with white space collapsed (lopdf puts line
    /// breaks between text objects).
    fn page_text(doc: &Document, page: u32) -> String {
        doc.extract_text(&[page])
            .expect("text extraction")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn info_string(doc: &Document, key: &[u8]) -> String {
        let info_id = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
        let info = doc.get_dictionary(info_id).unwrap();
        lopdf::decode_text_string(info.get(key).unwrap()).unwrap()
    }

    /// Builds a PDF with `pages` pages through lopdf: resources inherited from the page tree
    /// as an indirect object, content streams that leave a graphics state and a text object
    /// open on odd pages, page 2 rotated by 90 degrees, page 3 with a CropBox.
    fn multi_page_pdf(pages: u32) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(helvetica());
        let mut fonts = Dictionary::new();
        fonts.set("F1", Object::Reference(font_id));
        let mut resources = Dictionary::new();
        resources.set("Font", Object::Dictionary(fonts));
        let resources_id = doc.add_object(resources);
        let mut kids = Vec::new();
        for number in 1..=pages {
            let content = if number % 2 == 1 {
                // Unbalanced: a scaling `q … cm` and a `BT` never closed.
                format!("q 0.01 0 0 0.01 0 0 cm BT /F1 12 Tf 72 720 Td (Body of page {number}) Tj")
            } else {
                format!("BT /F1 12 Tf 72 720 Td (Body of page {number}) Tj ET")
            };
            let content_id = doc.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
            let mut page = Dictionary::new();
            page.set("Type", Object::Name(b"Page".to_vec()));
            page.set("Parent", Object::Reference(pages_id));
            page.set("Contents", Object::Reference(content_id));
            if number == 2 {
                page.set("Rotate", Object::Integer(90));
            }
            if number == 3 {
                page.set(
                    "CropBox",
                    Object::Array(vec![20.into(), 30.into(), 500.into(), 700.into()]),
                );
            }
            kids.push(Object::Reference(doc.add_object(page)));
        }
        let mut tree = Dictionary::new();
        tree.set("Type", Object::Name(b"Pages".to_vec()));
        tree.set("Count", Object::Integer(i64::from(pages)));
        tree.set("Kids", Object::Array(kids));
        tree.set("Resources", Object::Reference(resources_id));
        tree.set(
            "MediaBox",
            Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]),
        );
        doc.objects.insert(pages_id, Object::Dictionary(tree));
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference(pages_id));
        let catalog_id = doc.add_object(catalog);
        doc.trailer.set("Root", Object::Reference(catalog_id));
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn stamp_text_names_recipient_company_and_minute_of_download() {
        assert_eq!(
            jane().text(),
            "Confidential – for Jane Doe <jane@acme.com>, Acme Corp – downloaded 2026-11-23 16:05 UTC"
        );
    }

    #[test]
    fn stamp_text_leaves_out_empty_fields() {
        let stamp = Stamp {
            company: " ",
            ..jane()
        };
        assert!(
            stamp
                .text()
                .contains("for Jane Doe <jane@acme.com> – downloaded")
        );
        let stamp = Stamp {
            name: "",
            company: "",
            ..jane()
        };
        assert!(stamp.text().contains("for jane@acme.com – downloaded"));
        let stamp = Stamp {
            name: "",
            email: "\u{202E}",
            company: "",
            ..jane()
        };
        assert!(
            stamp
                .text()
                .contains("for an unnamed recipient – downloaded")
        );
    }

    #[test]
    fn stamp_text_strips_bidi_overrides_and_control_characters() {
        let stamp = Stamp {
            name: "Eve\u{202E}gnp.exe\u{0000}\u{200B}\u{2066}x\u{2069}\u{FEFF}",
            company: "Line\nbreak\r\nand\ttab",
            ..jane()
        };
        let text = stamp.text();
        assert!(
            text.contains("for Evegnp.exex <jane@acme.com>, Line break and tab –"),
            "{text}"
        );
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() || is_invisible_format(c))
        );
    }

    #[test]
    fn stamp_text_caps_very_long_fields() {
        let long = "A".repeat(10_000);
        let stamp = Stamp {
            name: &long,
            email: &long,
            company: &long,
            ..jane()
        };
        let text = stamp.text();
        assert!(
            text.chars().count() < 400,
            "{} characters",
            text.chars().count()
        );
        assert!(text.contains("A…"));
        assert!(text.ends_with("downloaded 2026-11-23 16:05 UTC"));
    }

    #[test]
    fn stamp_text_composes_decomposed_umlauts() {
        let stamp = Stamp {
            name: "Ju\u{0308}rgen Mu\u{0308}ller",
            ..jane()
        };
        assert!(stamp.text().contains("Jürgen Müller"));
    }

    #[test]
    fn win_ansi_encoding_covers_latin1_and_cp1252_extras() {
        assert_eq!(
            encode_win_ansi("Zoë Ærøskøbing"),
            b"Zo\xEB \xC6r\xF8sk\xF8bing"
        );
        assert_eq!(encode_win_ansi("– € Š ™"), b"\x96 \x80 \x8A \x99");
        assert_eq!(encode_win_ansi("Jürgen Groß"), b"J\xFCrgen Gro\xDF");
    }

    #[test]
    fn win_ansi_encoding_replaces_what_it_cannot_show_with_question_marks() {
        assert_eq!(encode_win_ansi("李 Łukasz Ωmega 😀"), b"? ?ukasz ?mega ?");
        // A combining mark without a precomposed form is left out, not shown as `?`.
        assert_eq!(encode_win_ansi("q\u{0303}"), b"q");
    }

    #[test]
    fn literal_strings_escape_parentheses_backslashes_and_non_ascii() {
        let mut out = String::new();
        push_literal_string(&mut out, b"a)b(c\\d \xFC\x85\n");
        assert_eq!(out, r"(a\)b\(c\\d \374\205\012)");
    }

    #[test]
    fn numbers_are_written_without_exponents_or_negative_zero() {
        assert_eq!(num(7.0), "7");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(595.2756), "595.276");
        assert_eq!(num(1.0e-12), "0");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn helvetica_widths_match_the_afm_for_sample_glyphs() {
        assert_eq!(text_width(b" "), 0.278);
        assert_eq!(text_width(b"W"), 0.944);
        assert_eq!(text_width(b"\xFC"), 0.556); // udieresis
        assert_eq!(text_width(b"\x80"), 0.556); // Euro
        assert_eq!(text_width(b"\x85"), 1.0); // ellipsis
    }

    #[test]
    fn display_matrix_maps_the_displayed_bottom_left_corner_for_each_rotation() {
        let visible = PageBox::new(10.0, 20.0, 110.0, 220.0).unwrap();
        let corner = |rotate| {
            let [a, b, c, d, e, f] = PageGeometry { visible, rotate }.display_matrix();
            // Display (0, 0) and (1, 0): the origin and the direction text runs in.
            ((e, f), (a + e, b + f), (c, d))
        };
        // Upright: bottom left, text to the right.
        assert_eq!(corner(0), ((10.0, 20.0), (11.0, 20.0), (0.0, 1.0)));
        // Turned clockwise: the displayed bottom edge is the right edge, read upwards.
        assert_eq!(corner(90), ((110.0, 20.0), (110.0, 21.0), (-1.0, 0.0)));
        assert_eq!(corner(180), ((110.0, 220.0), (109.0, 220.0), (0.0, -1.0)));
        assert_eq!(corner(270), ((10.0, 220.0), (10.0, 219.0), (1.0, 0.0)));
        let turned = PageGeometry {
            visible,
            rotate: 90,
        };
        assert_eq!(turned.display_size(), (200.0, 100.0));
    }

    #[test]
    fn page_boxes_reject_nonsense() {
        assert_eq!(PageBox::new(0.0, 0.0, 0.0, 100.0), None);
        assert_eq!(PageBox::new(0.0, 0.0, f64::INFINITY, 100.0), None);
        assert_eq!(PageBox::new(0.0, 0.0, 1.0e30, 100.0), None);
        assert_eq!(
            PageBox::new(595.0, 842.0, 0.0, 0.0),
            Some(PageBox {
                x0: 0.0,
                y0: 0.0,
                x1: 595.0,
                y1: 842.0
            })
        );
        let a = PageBox::new(0.0, 0.0, 100.0, 100.0).unwrap();
        let b = PageBox::new(200.0, 200.0, 300.0, 300.0).unwrap();
        assert_eq!(a.intersect(&b), None);
    }

    #[test]
    fn example_pdf_keeps_its_pages_and_gets_the_stamp_on_each() {
        let original = example(PENTEST);
        let before = load(&original);
        let output = watermark_pdf(&original, &jane()).expect("watermarked");
        let after = load(&output);
        assert_eq!(after.get_pages().len(), before.get_pages().len());
        assert!(
            after.get_pages().len() >= 2,
            "the pentest summary has two pages"
        );
        for (&number, _) in after.get_pages().iter() {
            let text = page_text(&after, number);
            assert!(
                text.contains(&jane().text()),
                "page {number} lacks the stamp line: {text}"
            );
            assert!(text.contains("CONFIDENTIAL"), "page {number}: {text}");
            // The page's own text is still there.
            let own = page_text(&before, number);
            let own_start: String = own.chars().take(30).collect();
            assert!(text.contains(&own_start), "page {number} lost its text");
        }
    }

    #[test]
    fn every_example_pdf_can_be_watermarked() {
        for path in example_pdfs() {
            let original = std::fs::read(&path).unwrap();
            let output = watermark_pdf(&original, &jane())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let after = load(&output);
            assert_eq!(
                after.get_pages().len(),
                load(&original).get_pages().len(),
                "{}",
                path.display()
            );
            for &number in after.get_pages().keys() {
                assert!(
                    page_text(&after, number).contains(&jane().text()),
                    "{} page {number}",
                    path.display()
                );
            }
        }
    }

    #[test]
    fn original_bytes_are_unchanged() {
        let original = example(PENTEST);
        let copy = original.clone();
        let output = watermark_pdf(&original, &jane()).unwrap();
        assert_eq!(original, copy);
        assert_ne!(output, original);
        // Not an incremental update: the original is not a prefix of the copy.
        assert!(!output.starts_with(&original));
    }

    #[test]
    fn info_dictionary_carries_the_recipient_and_keeps_other_entries() {
        let original = example(PENTEST);
        let before = load(&original);
        let after = load(&watermark_pdf(&original, &jane()).unwrap());
        assert_eq!(
            info_string(&after, b"CandorRecipient"),
            "Jane Doe <jane@acme.com>, Acme Corp"
        );
        assert_eq!(
            info_string(&after, b"CandorDownloaded"),
            "2026-11-23T16:05:42Z"
        );
        assert_eq!(
            info_string(&after, b"CandorDocument"),
            "pentest-summary 2026 (en)"
        );
        let subject = info_string(&after, b"Subject");
        assert!(subject.starts_with(&jane().text()), "{subject}");
        assert!(
            subject.ends_with(&info_string(&before, b"Subject")),
            "{subject}"
        );
        for key in [
            &b"Title"[..],
            b"Author",
            b"Creator",
            b"Producer",
            b"CreationDate",
        ] {
            assert_eq!(info_string(&after, key), info_string(&before, key));
        }
        assert_eq!(info_string(&after, b"ModDate"), "D:20261123160542Z");
    }

    #[test]
    fn file_id_keeps_the_permanent_part_and_changes_per_recipient() {
        let original = example(PENTEST);
        let id = |doc: &Document| doc.trailer.get(b"ID").unwrap().as_array().unwrap().clone();
        let before = id(&load(&original));
        let for_jane = id(&load(&watermark_pdf(&original, &jane()).unwrap()));
        let joe = Stamp {
            name: "Joe Bloggs",
            ..jane()
        };
        let for_joe = id(&load(&watermark_pdf(&original, &joe).unwrap()));
        assert_eq!(for_jane[0].as_str().unwrap(), before[0].as_str().unwrap());
        assert_ne!(for_jane[1].as_str().unwrap(), before[1].as_str().unwrap());
        assert_ne!(for_jane[1].as_str().unwrap(), for_joe[1].as_str().unwrap());
    }

    #[test]
    fn metadata_keeps_umlauts_that_the_page_shows() {
        let original = example(PENTEST);
        let stamp = Stamp {
            name: "Jürgen Groß",
            company: "Müller & Söhne GmbH",
            ..jane()
        };
        let after = load(&watermark_pdf(&original, &stamp).unwrap());
        assert_eq!(
            info_string(&after, b"CandorRecipient"),
            "Jürgen Groß <jane@acme.com>, Müller & Söhne GmbH"
        );
        // lopdf decodes the page text through the font's WinAnsiEncoding.
        assert!(
            page_text(&after, 1).contains("for Jürgen Groß <jane@acme.com>, Müller & Söhne GmbH")
        );
    }

    #[test]
    fn hostile_strings_render_harmlessly() {
        let original = example(PENTEST);
        let long = "W".repeat(10_000);
        let cases = [
            ("Eve\u{202E}gnp.exe", "Evegnp.exe"),
            ("a)b(c\\d", "a)b(c\\d"),
            ("<script>alert(1)</script>", "<script>alert(1)</script>"),
            (
                "\") Tj ET BT /F1 99 Tf (pwned",
                "\") Tj ET BT /F1 99 Tf (pwned",
            ),
            ("Zoë 李", "Zoë ?"),
        ];
        for (name, shown) in cases {
            let stamp = Stamp { name, ..jane() };
            let after = load(&watermark_pdf(&original, &stamp).unwrap());
            for &number in after.get_pages().keys() {
                let text = page_text(&after, number);
                assert!(
                    text.contains(&format!("for {shown} <jane@acme.com>")),
                    "{name:?}: {text}"
                );
            }
            assert!(!info_string(&after, b"CandorRecipient").contains('\u{202E}'));
        }

        // A 10,000-character name is cut; the line still ends with the download time if it
        // fits, and is shortened with an ellipsis on the page otherwise.
        let stamp = Stamp {
            name: &long,
            ..jane()
        };
        let output = watermark_pdf(&original, &stamp).unwrap();
        assert!(
            output.len() < original.len() + 8 * 1024,
            "{} bytes",
            output.len()
        );
        let after = load(&output);
        let text = page_text(&after, 1);
        assert!(text.contains("Confidential – for WWWW"), "{text}");
        assert!(!text.contains(&"W".repeat(MAX_NAME_CHARS + 1)));
    }

    #[test]
    fn multi_page_pdf_gets_the_stamp_on_every_page_and_keeps_shared_resources() {
        let original = multi_page_pdf(5);
        let output = watermark_pdf(&original, &jane()).unwrap();
        let after = load(&output);
        assert_eq!(after.get_pages().len(), 5);
        let mut resources = HashSet::new();
        for (&number, &page_id) in after.get_pages().iter() {
            let text = page_text(&after, number);
            assert!(text.contains(&format!("Body of page {number}")), "{text}");
            assert!(text.contains(&jane().text()), "page {number}: {text}");
            let fonts = after.get_page_fonts(page_id).unwrap();
            assert!(
                fonts.contains_key(b"F1".as_slice()),
                "page {number} lost its own font"
            );
            assert!(fonts.contains_key(FONT_RESOURCE_NAME.as_bytes()));
            let page = after.get_dictionary(page_id).unwrap();
            resources.insert(page.get(b"Resources").unwrap().as_reference().unwrap());
        }
        // The inherited resources were copied once, not once per page.
        assert_eq!(resources.len(), 1);
    }

    #[test]
    fn stamp_closes_what_the_page_left_open_before_restoring_the_state() {
        let original = multi_page_pdf(2);
        let after = load(&watermark_pdf(&original, &jane()).unwrap());
        let pages = after.get_pages();
        // Page 1 leaves `q … cm` and `BT` open, page 2 is balanced.
        for (number, expected_prefix) in [(1, "\nET\nQ\nQ\nq\n"), (2, "\nQ\nq\n")] {
            let page_id = pages[&number];
            let contents = after.get_page_contents(page_id);
            let first = after.get_object(contents[0]).unwrap().as_stream().unwrap();
            assert_eq!(first.content, b"q\n");
            let last = after
                .get_object(*contents.last().unwrap())
                .unwrap()
                .as_stream()
                .unwrap()
                .decompressed_content()
                .unwrap();
            let last = String::from_utf8(last).unwrap();
            assert!(last.starts_with(expected_prefix), "page {number}: {last:?}");
            // The whole page is balanced again.
            let all = after.get_page_content(page_id);
            assert_eq!(
                open_state(&after, page_id),
                OpenState::default(),
                "{}",
                String::from_utf8_lossy(&all)
            );
        }
    }

    #[test]
    fn rotated_and_cropped_pages_get_the_line_inside_the_visible_area() {
        let original = multi_page_pdf(3);
        let after = load(&watermark_pdf(&original, &jane()).unwrap());
        let pages = after.get_pages();
        // Page 2 is turned by 90 degrees: the stamp is drawn with the matching matrix.
        let rotated = PageGeometry::of(&after, pages[&2]);
        assert_eq!(rotated.rotate, 90);
        let content = |number: u32| {
            let contents = after.get_page_contents(pages[&number]);
            let stream = after
                .get_object(*contents.last().unwrap())
                .unwrap()
                .as_stream()
                .unwrap();
            String::from_utf8(stream.decompressed_content().unwrap()).unwrap()
        };
        assert!(content(2).contains("0 1 -1 0 595 0 cm"), "{}", content(2));
        // Page 3 has a CropBox: the stamp starts at its corner.
        assert!(content(3).contains("1 0 0 1 20 30 cm"), "{}", content(3));
        assert!(content(1).contains("1 0 0 1 0 0 cm"), "{}", content(1));
    }

    #[test]
    fn page_resources_written_into_the_page_are_kept() {
        // The example documents write `/Resources << /Font << /F1 … /F2 … >> >>` into each page.
        let original = example(PENTEST);
        let after = load(&watermark_pdf(&original, &jane()).unwrap());
        for &page_id in after.get_pages().values() {
            let fonts = after.get_page_fonts(page_id).unwrap();
            for name in [&b"F1"[..], b"F2", FONT_RESOURCE_NAME.as_bytes()] {
                assert!(
                    fonts.contains_key(name),
                    "missing font {}",
                    String::from_utf8_lossy(name)
                );
            }
        }
    }

    #[test]
    fn font_name_already_used_by_the_page_is_not_overwritten() {
        let mut fonts = Dictionary::new();
        fonts.set(FONT_RESOURCE_NAME, Object::Reference((99, 0)));
        let mut resources = Dictionary::new();
        resources.set("Font", Object::Dictionary(fonts));
        let mut doc = Document::with_version("1.7");
        let id = doc.add_object(resources);
        let (stamped, name) = resources_with_font(&doc, ResourcesSource::Object(id), (7, 0));
        assert_eq!(name, format!("{FONT_RESOURCE_NAME}2").into_bytes());
        let fonts = stamped.get(b"Font").unwrap().as_dict().unwrap();
        assert_eq!(
            fonts.get(FONT_RESOURCE_NAME.as_bytes()).unwrap(),
            &Object::Reference((99, 0))
        );
        assert_eq!(fonts.get(&name).unwrap(), &Object::Reference((7, 0)));
        // The original object is untouched.
        let original = doc
            .get_dictionary(id)
            .unwrap()
            .get(b"Font")
            .unwrap()
            .as_dict()
            .unwrap();
        assert_eq!(original.len(), 1);
    }

    #[test]
    fn garbage_and_truncated_input_is_an_error_not_a_panic() {
        let original = example(PENTEST);
        let mut inputs: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"%PDF-1.4".to_vec(),
            b"%PDF-1.7\n%%EOF".to_vec(),
            b"not a pdf at all".to_vec(),
            vec![0; 4096],
            b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
                .to_vec(),
        ];
        for cut in [
            10,
            100,
            original.len() / 3,
            original.len() / 2,
            original.len() - 40,
        ] {
            inputs.push(original[..cut].to_vec());
        }
        for input in &inputs {
            // Truncated files may still be repaired by the lenient parser; what matters is
            // that the result is an error or a valid PDF, never a panic.
            if let Ok(output) = watermark_pdf(input, &jane()) {
                assert!(Document::load_mem(&output).is_ok());
            }
        }
        // The clearly broken ones are errors.
        for input in &inputs[..5] {
            assert!(watermark_pdf(input, &jane()).is_err(), "{input:?}");
        }
    }

    #[test]
    fn pdf_without_pages_is_an_error() {
        let input =
            b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF";
        assert!(matches!(
            watermark_pdf(input, &jane()),
            Err(WatermarkError::NoPages | WatermarkError::Parse(_))
        ));
    }

    #[test]
    fn encrypted_pdf_is_refused() {
        let doc = load(&example(PENTEST));
        for user_password in ["", "secret"] {
            let mut encrypted = doc.clone();
            let version = lopdf::EncryptionVersion::V2 {
                document: &doc,
                owner_password: "owner",
                user_password,
                key_length: 128,
                permissions: lopdf::Permissions::PRINTABLE,
            };
            let state = lopdf::EncryptionState::try_from(version).unwrap();
            encrypted.encrypt(&state).unwrap();
            let mut bytes = Vec::new();
            encrypted.save_to(&mut bytes).unwrap();
            assert!(
                matches!(
                    watermark_pdf(&bytes, &jane()),
                    Err(WatermarkError::Encrypted)
                ),
                "user password {user_password:?}"
            );
        }
    }

    /// Checks the copy with poppler's `pdftotext` (and `qpdf --check` when installed), tools
    /// written independently of lopdf. `scripts/test` installs both.
    #[test]
    fn poppler_extracts_the_stamp_from_every_page() {
        use std::process::Command;
        if Command::new("pdftotext").arg("-v").output().is_err() {
            eprintln!("SKIPPED: pdftotext not found (apt-get install poppler-utils)");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let stamp = Stamp {
            name: "Jürgen Groß",
            ..jane()
        };
        for (name, bytes) in [
            (
                "pentest.pdf",
                watermark_pdf(&example(PENTEST), &stamp).unwrap(),
            ),
            (
                "multi.pdf",
                watermark_pdf(&multi_page_pdf(4), &stamp).unwrap(),
            ),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            let pages = load(&bytes).get_pages().len();
            for page in 1..=pages {
                let output = Command::new("pdftotext")
                    .args([
                        "-enc",
                        "UTF-8",
                        "-f",
                        &page.to_string(),
                        "-l",
                        &page.to_string(),
                    ])
                    .arg(&path)
                    .arg("-")
                    .output()
                    .unwrap();
                assert!(
                    output.status.success(),
                    "{}",
                    String::from_utf8_lossy(&output.stderr)
                );
                let text = String::from_utf8(output.stdout).unwrap();
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(text.contains(&stamp.text()), "{name} page {page}: {text}");
            }
            if let Ok(check) = Command::new("qpdf").arg("--check").arg(&path).output() {
                assert!(
                    check.status.success(),
                    "qpdf --check {name}: {}",
                    String::from_utf8_lossy(&check.stdout)
                );
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Random bytes, and the example PDF with random bytes overwritten, never panic.
        #[test]
        fn arbitrary_input_never_panics(
            noise in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048),
            position in 0_usize..10_000,
        ) {
            let _ = watermark_pdf(&noise, &jane());
            let mut damaged = example(PENTEST);
            let start = position % damaged.len();
            let end = (start + noise.len()).min(damaged.len());
            damaged[start..end].copy_from_slice(&noise[..end - start]);
            if let Ok(output) = watermark_pdf(&damaged, &jane()) {
                proptest::prop_assert!(Document::load_mem(&output).is_ok());
            }
        }

        /// Any recipient name yields a single clean line, and a PDF that still parses.
        #[test]
        fn arbitrary_names_give_one_clean_line(name in ".{0,300}") {
            let stamp = Stamp { name: &name, ..jane() };
            let text = stamp.text();
            proptest::prop_assert!(!text.chars().any(|c| c.is_control() || is_invisible_format(c)));
            proptest::prop_assert!(text.chars().count() < 400);
            let line = encode_win_ansi(&text);
            let mut literal = String::new();
            push_literal_string(&mut literal, &line);
            proptest::prop_assert!(literal.is_ascii());
        }
    }
}
