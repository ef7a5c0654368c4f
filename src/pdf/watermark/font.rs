//! The fonts the stamp is drawn with: the bundled Noto Sans ([`bundled`]), always available, and a
//! system font for the characters it lacks (CJK above all), looked for only when a stamp needs
//! it ([`system_fallback`]). A [`StampFont`] answers which glyph shows a character, how wide it
//! is, and the metrics the PDF's font descriptor needs.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ttf_parser::{Face, GlyphId, Tag};

/// Noto Sans Regular 2.004 (SIL Open Font License 1.1, see `src/pdf/fonts/OFL.txt`): Latin with
/// all European diacritics, Greek and Cyrillic, and U+FFFD for the placeholder.
pub(super) static NOTO_SANS: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");

/// Environment variable naming a font file (TrueType or CFF-flavoured OpenType, a collection's
/// first face) to draw the characters Noto Sans lacks. Set to an empty string to use none.
pub(super) const FALLBACK_FONT_ENV: &str = "CANDOR_FALLBACK_FONT";

/// Where the fallback font is looked for when [`FALLBACK_FONT_ENV`] is not set: Debian's
/// `fonts-droid-fallback` (TrueType, about 4 MB, Chinese, Japanese and Korean) and
/// `fonts-noto-cjk` (CFF outlines in a collection).
pub(super) const FALLBACK_FONT_PATHS: &[&str] = &[
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
];

/// Largest fallback font file read; larger files are not fonts we want to keep in memory.
const MAX_FONT_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How a font's glyphs are described, which decides how the PDF embeds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outlines {
    /// `glyf` table: embedded as `CIDFontType2` with `/FontFile2`.
    TrueType,
    /// `CFF ` table: embedded as `CIDFontType0` with `/FontFile3 /Subtype /CIDFontType0C`.
    Cff,
}

/// A parsed font with the figures the stamp needs, kept for the life of the process.
#[derive(Debug)]
pub(super) struct StampFont {
    pub(super) data: &'static [u8],
    pub(super) index: u32,
    face: Face<'static>,
    pub(super) outlines: Outlines,
    /// PostScript name (`NotoSans-Regular`), reduced to characters safe in a PDF name.
    pub(super) postscript_name: String,
    units_per_em: f64,
}

impl StampFont {
    /// Parses face `index` of `data`; `None` for anything that is not a usable font (no `cmap`,
    /// no outlines the PDF can embed: bitmap-only colour emoji fonts, CFF2).
    pub(super) fn parse(data: &'static [u8], index: u32) -> Option<StampFont> {
        let face = Face::parse(data, index).ok()?;
        let raw = face.raw_face();
        let outlines = if raw.table(Tag::from_bytes(b"glyf")).is_some() {
            Outlines::TrueType
        } else if raw.table(Tag::from_bytes(b"CFF ")).is_some() {
            Outlines::Cff
        } else {
            return None;
        };
        face.tables().cmap?;
        let units_per_em = f64::from(face.units_per_em());
        if units_per_em < 1.0 {
            return None;
        }
        let postscript_name = face
            .names()
            .into_iter()
            .filter(|name| name.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|name| name.to_string())
            .map(|name| {
                name.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .take(48)
                    .collect::<String>()
            })
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "CandorFallback".to_owned());
        Some(StampFont {
            data,
            index,
            face,
            outlines,
            postscript_name,
            units_per_em,
        })
    }

    /// Reads and parses a font file (the first face of a collection). The bytes are kept for
    /// the life of the process: this is for the one fallback font a process loads.
    pub(super) fn load(path: &Path) -> Option<StampFont> {
        let size = std::fs::metadata(path).ok()?.len();
        if size > MAX_FONT_FILE_BYTES {
            return None;
        }
        let data: &'static [u8] = Box::leak(std::fs::read(path).ok()?.into_boxed_slice());
        StampFont::parse(data, 0)
    }

    /// The glyph that shows `c`, if the font has one (never `.notdef`).
    pub(super) fn glyph(&self, c: char) -> Option<u16> {
        self.face
            .glyph_index(c)
            .map(|GlyphId(id)| id)
            .filter(|&id| id != 0)
    }

    /// Advance width of glyph `gid`, in thousandths of the font size.
    pub(super) fn advance(&self, gid: u16) -> f64 {
        let units = self.face.glyph_hor_advance(GlyphId(gid)).unwrap_or(0);
        self.scale(f64::from(units))
    }

    /// Font units to thousandths of the font size.
    fn scale(&self, units: f64) -> f64 {
        units * 1000.0 / self.units_per_em
    }

    /// Height of capital letters (thousandths), from `OS/2`, else the ascender.
    pub(super) fn cap_height(&self) -> f64 {
        let units = self
            .face
            .capital_height()
            .filter(|&height| height > 0)
            .unwrap_or_else(|| self.face.ascender());
        self.scale(f64::from(units))
    }

    pub(super) fn ascent(&self) -> f64 {
        self.scale(f64::from(self.face.ascender()))
    }

    pub(super) fn descent(&self) -> f64 {
        self.scale(f64::from(self.face.descender()))
    }

    pub(super) fn italic_angle(&self) -> f64 {
        let angle = f64::from(self.face.italic_angle());
        if angle.is_finite() { angle } else { 0.0 }
    }

    /// The font's bounding box, in thousandths: `[x_min, y_min, x_max, y_max]`.
    pub(super) fn bounding_box(&self) -> [f64; 4] {
        let rect = self.face.global_bounding_box();
        [rect.x_min, rect.y_min, rect.x_max, rect.y_max].map(|v| self.scale(f64::from(v)))
    }

    /// Whether the subsetter can cut this font down (tried on one glyph), so that a font that
    /// would fail later is not taken as the fallback in the first place.
    pub(super) fn can_subset(&self) -> bool {
        let Some(gid) = ['A', '一', '0'].into_iter().find_map(|c| self.glyph(c)) else {
            return false;
        };
        let remapper = subsetter::GlyphRemapper::new_from_glyphs(&[gid]);
        panic::catch_unwind(AssertUnwindSafe(|| {
            subsetter::subset(self.data, self.index, &remapper)
        }))
        .is_ok_and(|result| result.is_ok())
    }

    /// Dominant vertical stem width for the font descriptor, estimated from the weight class
    /// (fonts do not record it; readers only use it when they substitute the font).
    pub(super) fn stem_v(&self) -> f64 {
        let weight = f64::from(self.face.weight().to_number());
        (10.0 + 0.244 * (weight - 50.0)).max(10.0)
    }
}

/// The bundled Noto Sans, parsed once. `None` only if the bundled file were broken, which
/// `tests::bundled_font_parses_and_covers_european_scripts` rules out.
pub(super) fn bundled() -> Option<&'static StampFont> {
    static FONT: OnceLock<Option<StampFont>> = OnceLock::new();
    FONT.get_or_init(|| StampFont::parse(NOTO_SANS, 0)).as_ref()
}

/// The fallback font of this process, found and read on first use only (a stamp whose every
/// character Noto Sans has never calls this): the file named by [`FALLBACK_FONT_ENV`], else the
/// first usable one of [`FALLBACK_FONT_PATHS`]. `None` when there is none; the characters then
/// become the placeholder.
pub(super) fn system_fallback() -> Option<&'static StampFont> {
    static FONT: OnceLock<Option<StampFont>> = OnceLock::new();
    FONT.get_or_init(|| {
        fallback_candidates(std::env::var_os(FALLBACK_FONT_ENV))
            .iter()
            .find_map(|path| StampFont::load(path).filter(StampFont::can_subset))
    })
    .as_ref()
}

/// The files tried for the fallback font, given the value of [`FALLBACK_FONT_ENV`]: only that
/// file when it is set (none when it is empty), else the well-known paths.
pub(super) fn fallback_candidates(configured: Option<std::ffi::OsString>) -> Vec<PathBuf> {
    match configured {
        Some(path) if path.is_empty() => Vec::new(),
        Some(path) => vec![PathBuf::from(path)],
        None => FALLBACK_FONT_PATHS.iter().map(PathBuf::from).collect(),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Droid Sans Fallback from Debian's `fonts-droid-fallback` (scripts/test installs it), if
    /// this machine has it.
    pub(in crate::pdf::watermark) fn droid_fallback() -> Option<&'static StampFont> {
        static FONT: OnceLock<Option<StampFont>> = OnceLock::new();
        FONT.get_or_init(|| StampFont::load(Path::new(FALLBACK_FONT_PATHS[0])))
            .as_ref()
    }

    #[test]
    fn bundled_font_parses_and_covers_european_scripts() {
        let font = bundled().expect("the bundled Noto Sans parses");
        assert_eq!(font.outlines, Outlines::TrueType);
        assert_eq!(font.postscript_name, "NotoSans-Regular");
        for c in "ŁukaszŻółćJürgenWeißIşılÇağlarŞahinΓιώργοςΠαπαδόπουλοςДмитрийИванов–…\u{FFFD}<>@,"
            .chars()
        {
            assert!(font.glyph(c).is_some(), "Noto Sans lacks {c:?}");
        }
        assert_eq!(font.glyph('山'), None);
        assert_eq!(font.glyph('🙂'), None);
        // Metrics in thousandths of the font size.
        let space = font.glyph(' ').unwrap();
        assert!(
            (font.advance(space) - 260.0).abs() < 1.0,
            "{}",
            font.advance(space)
        );
        assert!(
            (font.cap_height() - 714.0).abs() < 1.0,
            "{}",
            font.cap_height()
        );
        assert!(font.ascent() > 700.0 && font.descent() < -200.0);
        assert!(font.can_subset());
    }

    #[test]
    fn fallback_candidates_follow_the_environment_variable() {
        assert_eq!(
            fallback_candidates(None),
            FALLBACK_FONT_PATHS
                .iter()
                .map(PathBuf::from)
                .collect::<Vec<_>>()
        );
        assert_eq!(
            fallback_candidates(Some("/opt/fonts/cjk.ttf".into())),
            vec![PathBuf::from("/opt/fonts/cjk.ttf")]
        );
        assert!(fallback_candidates(Some("".into())).is_empty());
    }

    #[test]
    fn unusable_font_files_are_not_fonts() {
        static GARBAGE: [u8; 64] = [0x55; 64];
        assert!(StampFont::parse(&GARBAGE, 0).is_none());
        assert!(StampFont::parse(&NOTO_SANS[..4096], 0).is_none());
        assert!(StampFont::parse(NOTO_SANS, 3).is_none() || NOTO_SANS.starts_with(b"ttcf"));
        assert!(StampFont::load(Path::new("/nonexistent/font.ttf")).is_none());
        // Not a font at all: this source file.
        assert!(StampFont::load(Path::new(file!())).is_none());
    }

    #[test]
    fn droid_fallback_covers_japanese_when_installed() {
        let Some(font) = droid_fallback() else {
            eprintln!("SKIPPED: {} not found", FALLBACK_FONT_PATHS[0]);
            return;
        };
        assert_eq!(font.outlines, Outlines::TrueType);
        for c in "山田太郎".chars() {
            assert!(font.glyph(c).is_some(), "{c}");
        }
        assert!(font.can_subset());
    }
}
