//! Embedding a font in the copy: only the glyphs the stamp uses ([`Subset`]), cut out of the
//! font with typst's `subsetter`, written as a composite (Type0) font with `/Identity-H`
//! encoding, so that every glyph is addressed by a two-byte CID, and a `/ToUnicode` CMap, so
//! that copying or extracting the text gives back the characters.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use super::edit::add_object;
use super::font::{Outlines, StampFont};
use super::stamp::WatermarkError;
use crate::pdf::text::num;

/// The glyphs of one font that a stamp uses. A glyph's CID is its number in the subset, which
/// `subsetter` assigns in the order glyphs are added (`.notdef` is CID 0).
#[derive(Debug)]
pub(super) struct Subset {
    font: &'static StampFont,
    remapper: GlyphRemapper,
    /// The character each CID stands for (the first one, should two share a glyph).
    text: BTreeMap<u16, char>,
    /// Advance width of each CID, in thousandths of the font size.
    widths: BTreeMap<u16, f64>,
}

impl Subset {
    pub(super) fn new(font: &'static StampFont) -> Subset {
        Subset {
            font,
            remapper: GlyphRemapper::new(),
            text: BTreeMap::new(),
            widths: BTreeMap::new(),
        }
    }

    pub(super) fn font(&self) -> &'static StampFont {
        self.font
    }

    /// Adds glyph `gid` of the font, drawn for `c`, and returns its CID and advance width.
    pub(super) fn add(&mut self, gid: u16, c: char) -> (u16, f64) {
        let cid = self.remapper.remap(gid);
        self.text.entry(cid).or_insert(c);
        let width = *self
            .widths
            .entry(cid)
            .or_insert_with(|| self.font.advance(gid));
        (cid, width)
    }

    /// The character CID `cid` stands for.
    #[cfg(test)]
    pub(super) fn text_of(&self, cid: u16) -> Option<char> {
        self.text.get(&cid).copied()
    }

    /// The font program to embed: the subset as an OpenType file for TrueType outlines, its bare
    /// CFF table for CFF outlines. `None` if the font cannot be subset (the subsetter returned an
    /// error, or panicked on a damaged font).
    pub(super) fn program(&self) -> Option<Vec<u8>> {
        let font = self.font;
        let remapper = &self.remapper;
        let subset = panic::catch_unwind(AssertUnwindSafe(|| {
            subsetter::subset(font.data, font.index, remapper)
        }))
        .ok()?
        .ok()?;
        match font.outlines {
            Outlines::TrueType => Some(subset),
            Outlines::Cff => ttf_parser::RawFace::parse(&subset, 0)
                .ok()?
                .table(ttf_parser::Tag::from_bytes(b"CFF "))
                .map(<[u8]>::to_vec),
        }
    }

    /// The subset's name, `ABCDEF+NotoSans-Regular`: six capital letters derived from the
    /// glyphs it holds, as the PDF specification (9.6.4) asks of subset fonts.
    pub(super) fn base_font(&self) -> String {
        let mut hash = Sha256::new();
        hash.update(self.font.postscript_name.as_bytes());
        for gid in self.remapper.remapped_gids() {
            hash.update(gid.to_be_bytes());
        }
        let tag: String = hash.finalize()[..6]
            .iter()
            .map(|byte| char::from(b'A' + byte % 26))
            .collect();
        format!("{tag}+{}", self.font.postscript_name)
    }

    /// Writes the font into `doc` (font program, descriptor, CID font, ToUnicode CMap and the
    /// Type0 font a page's resources refer to) and returns the Type0 font's id.
    pub(super) fn write(
        &self,
        doc: &mut Document,
        program: Vec<u8>,
    ) -> Result<ObjectId, WatermarkError> {
        let font = self.font;
        let base_font = Object::Name(self.base_font().into_bytes());

        let mut file_dict = Dictionary::new();
        let file_key = match font.outlines {
            Outlines::TrueType => {
                file_dict.set(
                    "Length1",
                    Object::Integer(i64::try_from(program.len()).unwrap_or(i64::MAX)),
                );
                "FontFile2"
            }
            Outlines::Cff => {
                file_dict.set("Subtype", Object::Name(b"CIDFontType0C".to_vec()));
                "FontFile3"
            }
        };
        let file = match compress_fast(&program) {
            Some(compressed) => {
                file_dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
                Stream::new(file_dict, compressed)
            }
            // The plain stream is just as valid.
            None => Stream::new(file_dict, program),
        };
        let file_id = add_object(doc, file)?;

        let mut descriptor = Dictionary::new();
        descriptor.set("Type", Object::Name(b"FontDescriptor".to_vec()));
        descriptor.set("FontName", base_font.clone());
        // Symbolic: glyphs are picked by CID, not through a standard Latin encoding.
        descriptor.set("Flags", Object::Integer(4));
        descriptor.set(
            "FontBBox",
            Object::Array(font.bounding_box().map(real).to_vec()),
        );
        descriptor.set("ItalicAngle", real(font.italic_angle()));
        descriptor.set("Ascent", real(font.ascent()));
        descriptor.set("Descent", real(font.descent()));
        descriptor.set("CapHeight", real(font.cap_height()));
        descriptor.set("StemV", real(font.stem_v()));
        descriptor.set(file_key, Object::Reference(file_id));
        let descriptor_id = add_object(doc, descriptor)?;

        let mut system_info = Dictionary::new();
        system_info.set("Registry", Object::string_literal("Adobe"));
        system_info.set("Ordering", Object::string_literal("Identity"));
        system_info.set("Supplement", Object::Integer(0));
        let mut cid_font = Dictionary::new();
        cid_font.set("Type", Object::Name(b"Font".to_vec()));
        let subtype: &[u8] = match font.outlines {
            Outlines::TrueType => b"CIDFontType2",
            Outlines::Cff => b"CIDFontType0",
        };
        cid_font.set("Subtype", Object::Name(subtype.to_vec()));
        cid_font.set("BaseFont", base_font.clone());
        cid_font.set("CIDSystemInfo", Object::Dictionary(system_info));
        cid_font.set("FontDescriptor", Object::Reference(descriptor_id));
        cid_font.set("DW", real(font.advance(0)));
        cid_font.set("W", Object::Array(self.widths_array()));
        if font.outlines == Outlines::TrueType {
            // The subset's glyph ids are the CIDs.
            cid_font.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
        }
        let cid_font_id = add_object(doc, cid_font)?;

        let mut to_unicode = Stream::new(Dictionary::new(), self.to_unicode_cmap().into_bytes());
        let _ = to_unicode.compress();
        let to_unicode_id = add_object(doc, to_unicode)?;

        let mut type0 = Dictionary::new();
        type0.set("Type", Object::Name(b"Font".to_vec()));
        type0.set("Subtype", Object::Name(b"Type0".to_vec()));
        type0.set("BaseFont", base_font);
        type0.set("Encoding", Object::Name(b"Identity-H".to_vec()));
        type0.set(
            "DescendantFonts",
            Object::Array(vec![Object::Reference(cid_font_id)]),
        );
        type0.set("ToUnicode", Object::Reference(to_unicode_id));
        add_object(doc, type0)
    }

    /// The `/W` array: `first [w1 w2 …]` for each run of consecutive CIDs.
    fn widths_array(&self) -> Vec<Object> {
        let mut array = Vec::new();
        let mut run: Vec<Object> = Vec::new();
        let mut run_start = 0_u16;
        let mut next = None;
        for (&cid, &width) in &self.widths {
            if next != Some(cid) && !run.is_empty() {
                array.push(Object::Integer(i64::from(run_start)));
                array.push(Object::Array(std::mem::take(&mut run)));
            }
            if run.is_empty() {
                run_start = cid;
            }
            run.push(real(width));
            next = cid.checked_add(1);
        }
        if !run.is_empty() {
            array.push(Object::Integer(i64::from(run_start)));
            array.push(Object::Array(run));
        }
        array
    }

    /// The `/ToUnicode` CMap: each CID to the character it was drawn for (UTF-16BE).
    fn to_unicode_cmap(&self) -> String {
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        let entries: Vec<(&u16, &char)> = self.text.iter().collect();
        // At most 100 entries per block (PDF 1.7, 9.10.3; the CMap specification's limit).
        for block in entries.chunks(100) {
            let _ = writeln!(cmap, "{} beginbfchar", block.len());
            for &(&cid, &c) in block {
                let _ = write!(cmap, "<{cid:04X}> <");
                let mut units = [0_u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(cmap, "{unit:04X}");
                }
                cmap.push_str(">\n");
            }
            cmap.push_str("endbfchar\n");
        }
        cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        cmap
    }
}

/// `data` compressed with zlib at the fastest level: a subset of Noto Sans (about 13 kB) takes
/// about 75 µs and 8.4 kB this way, against 175 µs and 7.7 kB at the best level that lopdf's
/// [`Stream::compress`] uses (a whole watermark of the example PDF: 295 against 390 µs).
/// `None` if compression fails.
fn compress_fast(data: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write as _;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).ok()?;
    encoder.finish().ok()
}

/// A number for the font dictionaries, rounded like the content streams' numbers.
fn real(value: f64) -> Object {
    let text = num(value);
    match text.parse::<i64>() {
        Ok(integer) => Object::Integer(integer),
        Err(_) => Object::Real(text.parse::<f32>().unwrap_or(0.0)),
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use lopdf::Document;

    use super::super::edit::{FALLBACK_RESOURCE_NAME, FONT_RESOURCE_NAME};
    use super::super::font::tests::droid_fallback;
    use super::super::font::{NOTO_SANS, bundled};
    use super::super::glyphs::PLACEHOLDER;
    use super::super::stamp::Stamp;
    use super::super::stamp::tests::jane;
    use super::super::tests::{
        PENTEST, assert_qpdf_check, example, info_string, load, multi_page_pdf, page_text,
        poppler_pages,
    };
    use super::super::watermark_with;
    use super::*;

    /// The names of issue 17: Polish, German, Turkish, Greek, Cyrillic.
    const EUROPEAN_NAMES: [&str; 5] = [
        "Łukasz Żółć",
        "Jürgen Weiß",
        "Işıl Çağlar Şahin",
        "Γιώργος Παπαδόπουλος",
        "Дмитрий Иванов",
    ];
    const JAPANESE_NAME: &str = "山田太郎";

    /// The embedded fonts of a watermarked copy: each Type0 font of the stamp with its
    /// descendant CID font and font descriptor.
    struct Embedded {
        base_font: String,
        cid_font: Dictionary,
        descriptor: Dictionary,
        /// The decompressed font program.
        program: Vec<u8>,
        to_unicode: String,
    }

    fn embedded_fonts(doc: &Document) -> Vec<Embedded> {
        let mut found = Vec::new();
        for object in doc.objects.values() {
            let Ok(font) = object.as_dict() else { continue };
            if font.get(b"Subtype").and_then(Object::as_name).ok() != Some(&b"Type0"[..]) {
                continue;
            }
            assert_eq!(
                font.get(b"Encoding").unwrap().as_name().unwrap(),
                b"Identity-H"
            );
            let descendants = font.get(b"DescendantFonts").unwrap().as_array().unwrap();
            let cid_font = doc
                .get_dictionary(descendants[0].as_reference().unwrap())
                .unwrap()
                .clone();
            let descriptor = doc
                .get_dictionary(
                    cid_font
                        .get(b"FontDescriptor")
                        .unwrap()
                        .as_reference()
                        .unwrap(),
                )
                .unwrap()
                .clone();
            let file = descriptor
                .get(b"FontFile2")
                .or_else(|_| descriptor.get(b"FontFile3"))
                .unwrap()
                .as_reference()
                .unwrap();
            let program = doc
                .get_object(file)
                .unwrap()
                .as_stream()
                .unwrap()
                .decompressed_content()
                .unwrap();
            let to_unicode = doc
                .get_object(font.get(b"ToUnicode").unwrap().as_reference().unwrap())
                .unwrap()
                .as_stream()
                .unwrap()
                .decompressed_content()
                .unwrap();
            found.push(Embedded {
                base_font: String::from_utf8(
                    font.get(b"BaseFont").unwrap().as_name().unwrap().to_vec(),
                )
                .unwrap(),
                cid_font,
                descriptor,
                program,
                to_unicode: String::from_utf8(to_unicode).unwrap(),
            });
        }
        found.sort_by(|a, b| a.base_font.cmp(&b.base_font));
        found
    }

    /// Watermarks the pentest summary and a multi-page PDF (rotated, cropped, unbalanced
    /// pages) for `name` and checks that poppler and lopdf read the exact stamp line on every
    /// page and that qpdf finds the files sound. Returns the copies.
    fn assert_prints_as_written(
        name: &str,
        fallback: &dyn Fn() -> Option<&'static StampFont>,
    ) -> Vec<Vec<u8>> {
        let stamp = Stamp { name, ..jane() };
        let line = stamp.text();
        assert!(line.contains(name));
        let mut copies = Vec::new();
        for original in [example(PENTEST), multi_page_pdf(3)] {
            let copy = watermark_with(&original, &stamp, fallback).unwrap();
            let doc = load(&copy);
            for &number in doc.get_pages().keys() {
                let text = page_text(&doc, number);
                assert!(text.contains(&line), "{name}: lopdf page {number}: {text}");
            }
            if let Some(pages) = poppler_pages(&copy) {
                for (page, text) in pages.iter().enumerate() {
                    assert!(
                        text.contains(&line),
                        "{name}: pdftotext page {}: {text}",
                        page + 1
                    );
                }
            }
            assert_qpdf_check(&copy, name);
            assert_eq!(info_string(&doc, b"CandorRecipient"), stamp.recipient());
            copies.push(copy);
        }
        copies
    }

    #[test]
    fn european_names_print_as_written_on_every_page() {
        for name in EUROPEAN_NAMES {
            // Noto Sans has them all: the fallback is not even looked for.
            for copy in assert_prints_as_written(name, &|| panic!("fallback looked for")) {
                let fonts = embedded_fonts(&load(&copy));
                assert_eq!(fonts.len(), 1, "{name}");
                assert!(fonts[0].base_font.ends_with("+NotoSans-Regular"));
            }
        }
    }

    #[test]
    fn japanese_name_prints_from_the_fallback_font() {
        let Some(droid) = droid_fallback() else {
            eprintln!(
                "SKIPPED: Droid Sans Fallback not installed (apt-get install fonts-droid-fallback)"
            );
            return;
        };
        for copy in assert_prints_as_written(JAPANESE_NAME, &|| Some(droid)) {
            let fonts = embedded_fonts(&load(&copy));
            assert_eq!(fonts.len(), 2);
            assert!(
                fonts
                    .iter()
                    .any(|font| font.base_font.ends_with("+DroidSansFallback"))
            );
            // Every page refers to both fonts.
            let doc = load(&copy);
            for &page in doc.get_pages().values() {
                let page_fonts = doc.get_page_fonts(page).unwrap();
                assert!(page_fonts.contains_key(FONT_RESOURCE_NAME.as_bytes()));
                assert!(page_fonts.contains_key(FALLBACK_RESOURCE_NAME.as_bytes()));
            }
        }
        // And the name in the metadata in any case.
        let mixed = format!("{JAPANESE_NAME} (Taro Yamada)");
        assert_prints_as_written(&mixed, &|| Some(droid));
    }

    #[test]
    fn without_a_fallback_font_missing_characters_are_a_visible_placeholder() {
        let asked = Cell::new(0);
        let fallback = || {
            asked.set(asked.get() + 1);
            None
        };
        let stamp = Stamp {
            name: JAPANESE_NAME,
            ..jane()
        };
        let copy = watermark_with(&example(PENTEST), &stamp, &fallback).unwrap();
        assert_eq!(asked.get(), 1);
        let doc = load(&copy);
        let shown = stamp
            .text()
            .replace(JAPANESE_NAME, &PLACEHOLDER.to_string().repeat(4));
        assert!(
            page_text(&doc, 1).contains(&shown),
            "{}",
            page_text(&doc, 1)
        );
        if let Some(pages) = poppler_pages(&copy) {
            assert!(pages.iter().all(|text| text.contains(&shown)), "{pages:?}");
        }
        assert_qpdf_check(&copy, "placeholder");
        // The metadata keeps the name.
        assert!(info_string(&doc, b"CandorRecipient").starts_with(JAPANESE_NAME));
        assert!(info_string(&doc, b"Subject").contains(JAPANESE_NAME));
        assert_eq!(embedded_fonts(&doc).len(), 1);
    }

    #[test]
    fn emoji_is_the_placeholder_and_the_pdf_stays_sound() {
        let stamp = Stamp {
            name: "Jane 🙂 Doe",
            ..jane()
        };
        let fallbacks: [&dyn Fn() -> Option<&'static StampFont>; 2] =
            [&|| None, &|| droid_fallback()];
        for fallback in fallbacks {
            let copy = watermark_with(&example(PENTEST), &stamp, fallback).unwrap();
            let doc = load(&copy);
            let shown = format!("for Jane {PLACEHOLDER} Doe <jane@acme.com>");
            for &number in doc.get_pages().keys() {
                assert!(page_text(&doc, number).contains(&shown));
            }
            if let Some(pages) = poppler_pages(&copy) {
                assert!(pages.iter().all(|text| text.contains(&shown)), "{pages:?}");
            }
            assert_qpdf_check(&copy, "emoji");
            assert!(info_string(&doc, b"CandorRecipient").starts_with("Jane 🙂 Doe"));
            // Droid Sans Fallback has no emoji either: nothing of it is embedded.
            assert_eq!(embedded_fonts(&doc).len(), 1);
        }
    }

    #[test]
    fn embedded_fonts_are_small_subsets_with_widths_and_unicode() {
        let Some(droid) = droid_fallback() else {
            eprintln!("SKIPPED: Droid Sans Fallback not installed");
            return;
        };
        let stamp = Stamp {
            name: "山田太郎 Łukasz",
            ..jane()
        };
        let original = example(PENTEST);
        let copy = watermark_with(&original, &stamp, &|| Some(droid)).unwrap();
        let fonts = embedded_fonts(&load(&copy));
        assert_eq!(fonts.len(), 2);
        for font in &fonts {
            // `ABCDEF+Name`, six capital letters.
            let (tag, name) = font.base_font.split_once('+').unwrap();
            assert!(
                tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()),
                "{tag}"
            );
            assert_eq!(
                font.descriptor.get(b"FontName").unwrap().as_name().unwrap(),
                font.base_font.as_bytes()
            );
            let original_size = if name == "NotoSans-Regular" {
                NOTO_SANS.len()
            } else {
                droid.data.len()
            };
            // A few dozen glyphs out of thousands.
            assert!(
                font.program.len() * 10 < original_size,
                "{name}: {} of {original_size} bytes",
                font.program.len()
            );
            let subset = ttf_parser::Face::parse(&font.program, 0).expect("the subset is a font");
            assert!(
                subset.number_of_glyphs() < 80,
                "{}",
                subset.number_of_glyphs()
            );
            assert_eq!(
                font.cid_font.get(b"Subtype").unwrap().as_name().unwrap(),
                b"CIDFontType2"
            );
            assert_eq!(
                font.cid_font
                    .get(b"CIDToGIDMap")
                    .unwrap()
                    .as_name()
                    .unwrap(),
                b"Identity"
            );
            assert!(font.to_unicode.contains("beginbfchar"));
        }
        // The Japanese characters are mapped back to Unicode by the fallback's CMap.
        let droid_font = fonts
            .iter()
            .find(|f| f.base_font.ends_with("+DroidSansFallback"))
            .unwrap();
        for c in JAPANESE_NAME.chars() {
            assert!(
                droid_font
                    .to_unicode
                    .contains(&format!("<{:04X}>\n", u32::from(c))),
                "{c}: {}",
                droid_font.to_unicode
            );
        }
        // The whole copy grew by tens of kilobytes, not by the fonts' megabytes.
        assert!(
            copy.len() < original.len() + 48 * 1024,
            "{} bytes more",
            copy.len() - original.len()
        );
    }

    #[test]
    fn widths_in_the_pdf_are_the_fonts_advances() {
        let main = bundled().unwrap();
        let mut subset = Subset::new(main);
        let mut expected = Vec::new();
        for c in "Wij Łódź".chars() {
            let gid = main.glyph(c).unwrap();
            let (cid, width) = subset.add(gid, c);
            assert_eq!(width, main.advance(gid));
            expected.push((cid, width));
        }
        // Consecutive CIDs from 1, in one run; the repeated glyph keeps its CID.
        let w = subset.widths_array();
        assert_eq!(w[0], Object::Integer(1));
        let widths = w[1].as_array().unwrap();
        for (cid, width) in expected {
            assert_eq!(widths[usize::from(cid) - 1], real(width));
        }
        let cmap = subset.to_unicode_cmap();
        assert!(cmap.contains("<0001> <0057>"), "{cmap}");
        assert!(cmap.contains(&format!("{} beginbfchar", widths.len())));
    }

    #[test]
    fn to_unicode_writes_surrogate_pairs_and_blocks_of_at_most_100() {
        let main = bundled().unwrap();
        let mut subset = Subset::new(main);
        let chars: Vec<char> = ('a'..='z')
            .chain('A'..='Z')
            .chain('α'..='ω')
            .chain('а'..='я')
            .collect();
        for &c in &chars {
            subset.add(main.glyph(c).unwrap(), c);
        }
        // A glyph standing for a character outside the BMP.
        subset.add(0, '🙂');
        let cmap = subset.to_unicode_cmap();
        assert!(cmap.contains("<0000> <D83DDE42>"), "{cmap}");
        assert!(cmap.contains("100 beginbfchar"));
        assert!(
            cmap.lines()
                .filter_map(|line| line.strip_suffix(" beginbfchar"))
                .all(|n| n.parse::<usize>().unwrap() <= 100)
        );
    }

    #[test]
    fn a_fallback_font_that_cannot_be_subset_gives_the_placeholder() {
        let Some(droid) = droid_fallback() else {
            eprintln!("SKIPPED: Droid Sans Fallback not installed");
            return;
        };
        // Droid Sans Fallback with every glyph offset pointing past the end of its glyph data:
        // its cmap still finds `山`, the subsetter fails.
        let mut data = droid.data.to_vec();
        let raw = ttf_parser::RawFace::parse(droid.data, 0).unwrap();
        let loca = raw
            .table_records
            .into_iter()
            .find(|record| record.tag == ttf_parser::Tag::from_bytes(b"loca"))
            .unwrap();
        let start = usize::try_from(loca.offset).unwrap();
        data[start..start + usize::try_from(loca.length).unwrap()].fill(0xFF);
        let broken: &'static StampFont = Box::leak(Box::new(
            StampFont::parse(Box::leak(data.into_boxed_slice()), 0).unwrap(),
        ));
        assert!(broken.glyph('山').is_some());
        assert!(!broken.can_subset(), "not taken as the system fallback");

        let stamp = Stamp {
            name: "山田 Taro",
            ..jane()
        };
        // Used anyway, it fails to subset: the line is set again without it.
        let copy = watermark_with(&example(PENTEST), &stamp, &|| Some(broken)).unwrap();
        let doc = load(&copy);
        let shown = format!("for {PLACEHOLDER}{PLACEHOLDER} Taro <jane@acme.com>");
        assert!(
            page_text(&doc, 1).contains(&shown),
            "{}",
            page_text(&doc, 1)
        );
        assert_eq!(embedded_fonts(&doc).len(), 1);
        assert_qpdf_check(&copy, "broken fallback");
    }

    /// A fallback font with CFF outlines (Noto Sans CJK, a collection) is embedded as a
    /// `CIDFontType0` with its bare CFF program. Uses the font named by `CANDOR_FALLBACK_FONT`
    /// or the well-known Noto Sans CJK path, whichever is a CFF font; skipped without one.
    #[test]
    fn cff_fallback_font_is_embedded_as_cid_font_type_0() {
        use super::super::font::{FALLBACK_FONT_ENV, FALLBACK_FONT_PATHS, fallback_candidates};
        let mut candidates = fallback_candidates(std::env::var_os(FALLBACK_FONT_ENV));
        candidates.extend(FALLBACK_FONT_PATHS.iter().map(std::path::PathBuf::from));
        let Some(cff) = candidates
            .iter()
            .filter(|path| path.exists())
            .find_map(|path| StampFont::load(path).filter(|font| font.outlines == Outlines::Cff))
        else {
            eprintln!(
                "SKIPPED: no CFF fallback font (e.g. fonts-noto-cjk's NotoSansCJK-Regular.ttc)"
            );
            return;
        };
        let cff: &'static StampFont = Box::leak(Box::new(cff));
        assert!(cff.can_subset());
        for copy in assert_prints_as_written(JAPANESE_NAME, &|| Some(cff)) {
            let fonts = embedded_fonts(&load(&copy));
            assert_eq!(fonts.len(), 2);
            let fallback = fonts
                .iter()
                .find(|font| !font.base_font.ends_with("+NotoSans-Regular"))
                .unwrap();
            assert_eq!(
                fallback
                    .cid_font
                    .get(b"Subtype")
                    .unwrap()
                    .as_name()
                    .unwrap(),
                b"CIDFontType0"
            );
            assert!(fallback.cid_font.get(b"CIDToGIDMap").is_err());
            assert!(fallback.descriptor.get(b"FontFile3").is_ok());
            assert!(fallback.program.len() * 100 < cff.data.len());
        }
    }
}
