//! Watermarking of gated PDF documents at download time.
//!
//! The portal serves confidential documents (audit reports, pentest summaries) to approved
//! customers. Every download is stamped with the recipient's identity so that a leaked copy can be
//! traced back: [`watermark_pdf`] takes the original file's bytes and a [`Stamp`] and returns a new
//! PDF; the original is only read, never modified.
//!
//! What the copy carries:
//!
//! - On **every page**, a line in small grey type along the bottom edge of the visible page
//!   ([`Stamp::text`], e.g. `Confidential – for Jane Doe <jane@acme.com>, Acme Corp – downloaded
//!   2026-11-23 16:05 UTC`) and a large, light, outlined diagonal `CONFIDENTIAL`. Both are drawn
//!   in an extra content stream after the page's own content, which is wrapped in `q … Q` (and
//!   closed, should it leave a text object or saved graphics states open), so nothing the page
//!   does to the graphics state can move, clip or hide the stamp. The stamp is placed inside the
//!   CropBox (or MediaBox) and upright as the page is displayed, whatever its `/Rotate`; the line
//!   is set at 7 pt, shrunk down to 4 pt to fit the page width (measured with the embedded
//!   font's own advance widths), and cut with `…` beyond that.
//! - In the **document information dictionary**: `/Subject` starts with the stamp line (the old
//!   subject follows it), `/CandorRecipient`, `/CandorDocument` and `/CandorDownloaded` (RFC 3339)
//!   are added, `/ModDate` is the download time, and every other entry is kept. The second element
//!   of the file `/ID` is derived from the stamp, as the PDF specification asks of a changed file.
//!   An XMP metadata stream, if there is one, is left as it is.
//!
//! **Fonts** (`font.rs`, `glyphs.rs`, `embed.rs`). Names are printed as written, in any script
//! the fonts cover:
//!
//! - The main font is **Noto Sans Regular** (Latin with every European diacritic – Polish,
//!   Turkish, German, Vietnamese –, Greek, Cyrillic; SIL Open Font License 1.1). It lives in
//!   `src/pdf/fonts/` with its licence text and is compiled into the binary with
//!   `include_bytes!` (512 kB): a download must never depend on what a server happens to have
//!   installed, and it belongs to the PDF code rather than to a site theme, which a site may
//!   replace.
//! - Characters Noto Sans lacks (Chinese, Japanese, Korean above all) come from a **fallback
//!   font** of the system: the file named by `CANDOR_FALLBACK_FONT` (TrueType or CFF OpenType,
//!   the first face of a collection; empty for none), else Debian's Droid Sans Fallback
//!   (`fonts-droid-fallback`) or Noto Sans CJK (`fonts-noto-cjk`) at their usual paths. It is
//!   looked for and read only when a stamp has such a character (once per process), and embedded
//!   only in copies that use it.
//! - A character no font has (most emoji: neither font draws them) is drawn as the placeholder
//!   U+FFFD `�` from Noto Sans, visibly and never as a silent `?`; a combining mark no font has
//!   is left out. The metadata always keeps the full name (UTF-16).
//! - Each font is embedded as a **subset** of the glyphs the stamp uses (typst's `subsetter`),
//!   as a Type0 font with `/Identity-H` encoding over a `CIDFontType2` (`/FontFile2`, CIDs are
//!   the subset's glyph ids) or, for CFF outlines, a `CIDFontType0` (`/FontFile3`), named
//!   `ABCDEF+NotoSans-Regular`, with `/W` widths and a `/ToUnicode` CMap, so copying or
//!   extracting the text (pdftotext) gives back the name. A copy grows by about 10–14 kB.
//! - One glyph per character, no shaping: kerning, ligatures, right-to-left order and Arabic
//!   joining are not applied (such text comes out unjoined in logical order, still valid).
//!
//! Text from the recipient is hostile input: control characters, bidirectional overrides and
//! other invisible formatting characters are removed and fields are capped in length
//! ([`Stamp::text`]); the line is written as two-byte glyph ids in hex strings, so no character
//! of it can end up as PDF syntax.
//!
//! Encrypted PDFs are refused ([`WatermarkError::Encrypted`]): rewriting them would either drop
//! their protection or need their password.

mod edit;
mod embed;
mod font;
mod glyphs;
mod layout;
mod stamp;

pub use stamp::{Stamp, WatermarkError};

use std::collections::{HashMap, HashSet};
use std::panic;

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, Stream};

use edit::{
    ResourcesSource, add_object, content_references, open_state, resources_source,
    resources_with_fonts, set_file_id, set_info,
};
use font::StampFont;
use glyphs::{Typeset, typeset};
use layout::{PageGeometry, stamp_content};
use stamp::MAX_DECOMPRESSED_BYTES;

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
    panic::catch_unwind(|| watermark_with(original, stamp, &font::system_fallback))
        .unwrap_or(Err(WatermarkError::Panicked))
}

/// [`watermark_pdf`] without the panic guard, with the fallback font that `fallback` returns
/// (called only if the stamp has a character Noto Sans lacks).
fn watermark_with(
    original: &[u8],
    stamp: &Stamp,
    fallback: &dyn Fn() -> Option<&'static StampFont>,
) -> Result<Vec<u8>, WatermarkError> {
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
    let (typeset, programs) = typeset_and_subset(&text, fallback)?;
    let mut font_ids = Vec::with_capacity(programs.len());
    for (subset, program) in typeset.subsets.iter().zip(programs) {
        font_ids.push(subset.write(&mut doc, program)?);
    }
    // One stream that opens the saved state around every page's own content.
    let open_id = add_object(&mut doc, Stream::new(Dictionary::new(), b"q\n".to_vec()))?;
    let mut stamped_resources: HashMap<ResourcesSource, (ObjectId, Vec<Vec<u8>>)> = HashMap::new();

    for page_id in pages {
        let page = doc
            .get_dictionary(page_id)
            .map_err(|_| WatermarkError::Damaged("a page is not a dictionary"))?;
        let geometry = PageGeometry::of(&doc, page_id);
        let contents = content_references(&doc, page);
        let open = open_state(&doc, page_id);

        let source = resources_source(&doc, page_id);
        let (resources_id, font_names) = match stamped_resources.get(&source) {
            Some(found) => found.clone(),
            None => {
                let (resources, font_names) = resources_with_fonts(&doc, source, &font_ids);
                let id = add_object(&mut doc, resources)?;
                stamped_resources.insert(source, (id, font_names.clone()));
                (id, font_names)
            }
        };

        let mut stamp_stream = Stream::new(
            Dictionary::new(),
            stamp_content(&geometry, &open, &font_names, &typeset),
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

    let mut out = Vec::with_capacity(original.len() + 32 * 1024);
    doc.save_to(&mut out).map_err(WatermarkError::Write)?;
    Ok(out)
}

/// The glyphs of the stamp line and the mark, and the font program of each subset they use.
/// Should the fallback font fail to subset, the line is set again without it (its characters
/// become the placeholder).
fn typeset_and_subset(
    text: &str,
    fallback: &dyn Fn() -> Option<&'static StampFont>,
) -> Result<(Typeset, Vec<Vec<u8>>), WatermarkError> {
    let main = font::bundled().ok_or(WatermarkError::Font)?;
    let typeset = typeset(text, main, fallback);
    if let Some(programs) = typeset.subsets.iter().map(embed::Subset::program).collect() {
        return Ok((typeset, programs));
    }
    let typeset = glyphs::typeset(text, main, &|| None);
    let programs = typeset
        .subsets
        .iter()
        .map(embed::Subset::program)
        .collect::<Option<Vec<_>>>()
        .ok_or(WatermarkError::Font)?;
    Ok((typeset, programs))
}
#[cfg(test)]
mod tests {
    use super::edit::{FALLBACK_RESOURCE_NAME, FONT_RESOURCE_NAME, OpenState};
    use super::stamp::MAX_NAME_CHARS;
    use super::stamp::tests::jane;
    use super::*;
    use crate::pdf::text::is_invisible_format;

    pub(super) const PENTEST: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/content/documents/pentest-summary/pentest-summary-2026-en.pdf"
    );

    pub(super) fn example(path: &str) -> Vec<u8> {
        std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// All example PDFs of the example site.
    pub(super) fn example_pdfs() -> Vec<std::path::PathBuf> {
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

    pub(super) fn load(bytes: &[u8]) -> Document {
        Document::load_mem(bytes).expect("the watermarked PDF parses again")
    }

    /// Text of one page as lopdf extracts it, with white space collapsed (lopdf puts line
    /// breaks between text objects).
    pub(super) fn page_text(doc: &Document, page: u32) -> String {
        doc.extract_text(&[page])
            .expect("text extraction")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub(super) fn info_string(doc: &Document, key: &[u8]) -> String {
        let info_id = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
        let info = doc.get_dictionary(info_id).unwrap();
        lopdf::decode_text_string(info.get(key).unwrap()).unwrap()
    }

    /// Builds a PDF with `pages` pages through lopdf: resources inherited from the page tree
    /// as an indirect object, content streams that leave a graphics state and a text object
    /// open on odd pages, page 2 rotated by 90 degrees, page 3 with a CropBox.
    pub(super) fn multi_page_pdf(pages: u32) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(crate::pdf::text::standard_font("Helvetica"));
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
        // lopdf decodes the page text through the font's ToUnicode CMap.
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
            ("Zoë 李", "Zoë \u{FFFD}"),
        ];
        for (name, shown) in cases {
            let stamp = Stamp { name, ..jane() };
            // Without a fallback font, so that `李` is the placeholder on every machine.
            let after = load(&watermark_with(&original, &stamp, &|| None).unwrap());
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
        // The embedded subset of Noto Sans is most of the growth.
        assert!(
            output.len() < original.len() + 24 * 1024,
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
        fonts.set(FALLBACK_RESOURCE_NAME, Object::Reference((98, 0)));
        fonts.set(
            format!("{FALLBACK_RESOURCE_NAME}2"),
            Object::Reference((97, 0)),
        );
        let mut resources = Dictionary::new();
        resources.set("Font", Object::Dictionary(fonts));
        let mut doc = Document::with_version("1.7");
        let id = doc.add_object(resources);
        let (stamped, names) =
            resources_with_fonts(&doc, ResourcesSource::Object(id), &[(7, 0), (8, 0)]);
        assert_eq!(
            names,
            [
                format!("{FONT_RESOURCE_NAME}2").into_bytes(),
                format!("{FALLBACK_RESOURCE_NAME}3").into_bytes()
            ]
        );
        let fonts = stamped.get(b"Font").unwrap().as_dict().unwrap();
        assert_eq!(
            fonts.get(FONT_RESOURCE_NAME.as_bytes()).unwrap(),
            &Object::Reference((99, 0))
        );
        assert_eq!(
            fonts.get(FALLBACK_RESOURCE_NAME.as_bytes()).unwrap(),
            &Object::Reference((98, 0))
        );
        assert_eq!(fonts.get(&names[0]).unwrap(), &Object::Reference((7, 0)));
        assert_eq!(fonts.get(&names[1]).unwrap(), &Object::Reference((8, 0)));
        // The original object is untouched.
        let original = doc
            .get_dictionary(id)
            .unwrap()
            .get(b"Font")
            .unwrap()
            .as_dict()
            .unwrap();
        assert_eq!(original.len(), 3);
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

    /// The text of each page as poppler's `pdftotext` reads it, white space collapsed; `None`
    /// when pdftotext is not installed (`scripts/test` installs poppler-utils).
    pub(super) fn poppler_pages(bytes: &[u8]) -> Option<Vec<String>> {
        use std::process::Command;
        if Command::new("pdftotext").arg("-v").output().is_err() {
            eprintln!("SKIPPED: pdftotext not found (apt-get install poppler-utils)");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("copy.pdf");
        std::fs::write(&path, bytes).unwrap();
        let pages = load(bytes).get_pages().len();
        let texts = (1..=pages)
            .map(|page| {
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
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect();
        Some(texts)
    }

    /// Asserts that `qpdf --check` finds nothing wrong with `bytes`, when qpdf is installed.
    pub(super) fn assert_qpdf_check(bytes: &[u8], what: &str) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("copy.pdf");
        std::fs::write(&path, bytes).unwrap();
        match std::process::Command::new("qpdf")
            .arg("--check")
            .arg(&path)
            .output()
        {
            Ok(check) => assert!(
                check.status.success() && check.stderr.is_empty(),
                "qpdf --check {what}: {}{}",
                String::from_utf8_lossy(&check.stdout),
                String::from_utf8_lossy(&check.stderr)
            ),
            Err(_) => eprintln!("SKIPPED: qpdf not found (apt-get install qpdf)"),
        }
    }

    /// Checks the copy with poppler's `pdftotext` (and `qpdf --check` when installed), tools
    /// written independently of lopdf. `scripts/test` installs both.
    #[test]
    fn poppler_extracts_the_stamp_from_every_page() {
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
            let Some(pages) = poppler_pages(&bytes) else {
                return;
            };
            assert_eq!(pages.len(), load(&bytes).get_pages().len());
            for (page, text) in pages.iter().enumerate() {
                assert!(
                    text.contains(&stamp.text()),
                    "{name} page {}: {text}",
                    page + 1
                );
            }
            assert_qpdf_check(&bytes, name);
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

        /// Any recipient name yields a single clean line, drawn as one glyph (at most) per
        /// character from the fonts the copy embeds, in a content stream of plain ASCII.
        #[test]
        fn arbitrary_names_give_one_clean_line(name in ".{0,300}") {
            let stamp = Stamp { name: &name, ..jane() };
            let text = stamp.text();
            proptest::prop_assert!(!text.chars().any(|c| c.is_control() || is_invisible_format(c)));
            proptest::prop_assert!(text.chars().count() < 400);
            let main = font::bundled().unwrap();
            let set = typeset(&text, main, &|| None);
            proptest::prop_assert!(set.line.len() <= text.chars().count());
            proptest::prop_assert_eq!(set.subsets.len(), 1);
            let fonts = [FONT_RESOURCE_NAME.as_bytes().to_vec()];
            // No such page: the default geometry.
            let page = PageGeometry::of(&Document::new(), (1, 0));
            let content = stamp_content(&page, &OpenState::default(), &fonts, &set);
            proptest::prop_assert!(content.is_ascii());
            proptest::prop_assert!(set.subsets[0].program().is_some());
        }
    }
}
