//! From characters to glyphs ([`typeset`]): each character of the stamp is drawn from Noto Sans
//! if it has it, else from the fallback font (loaded at the first character that needs it),
//! else as the placeholder U+FFFD. One glyph per character, left to right in the order written:
//! no kerning, ligatures or shaping (right-to-left and complex scripts come out in logical
//! order, unjoined), which a one-line stamp can do without.

use super::embed::Subset;
use super::font::StampFont;
use crate::pdf::text::{is_combining_mark, is_invisible_format};

/// Shown for a character that no font has: U+FFFD REPLACEMENT CHARACTER (a question mark in a
/// black diamond), which Unicode defines for exactly this and Noto Sans draws.
pub(super) const PLACEHOLDER: char = '\u{FFFD}';
/// Ends a line that had to be shortened.
pub(super) const ELLIPSIS: char = '…';
/// The diagonal mark.
pub(super) const MARK_TEXT: &str = "CONFIDENTIAL";

/// Which font a glyph comes from: an index into [`Typeset::subsets`].
pub(super) type FontIndex = usize;
/// The bundled Noto Sans, always `subsets[0]`.
pub(super) const MAIN: FontIndex = 0;

/// One glyph as the content stream draws it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Glyph {
    pub(super) font: FontIndex,
    pub(super) cid: u16,
    /// Advance width, in thousandths of the font size.
    pub(super) width: f64,
}

/// Total advance of `glyphs`, in units of the font size.
pub(super) fn width(glyphs: &[Glyph]) -> f64 {
    glyphs.iter().map(|glyph| glyph.width).sum::<f64>() / 1000.0
}

/// The glyphs of a stamp and the font subsets they come from.
#[derive(Debug)]
pub(super) struct Typeset {
    /// The stamp line.
    pub(super) line: Vec<Glyph>,
    /// The diagonal `CONFIDENTIAL`.
    pub(super) mark: Vec<Glyph>,
    /// `…`, for a line that must be shortened.
    pub(super) ellipsis: Glyph,
    /// Cap height of the main font, in thousandths of the font size.
    pub(super) cap_height: f64,
    /// `[main]` or `[main, fallback]`: the fallback only when a glyph of it is used.
    pub(super) subsets: Vec<Subset>,
}

/// Maps `line` (already cleaned, see [`super::Stamp::text`]) and the mark to glyphs of `main`,
/// or of the font `fallback` returns for characters `main` lacks. `fallback` is called at most
/// once, and only if such a character occurs.
pub(super) fn typeset(
    line: &str,
    main: &'static StampFont,
    fallback: &dyn Fn() -> Option<&'static StampFont>,
) -> Typeset {
    let mut setter = Setter {
        main: Subset::new(main),
        fallback: None,
        fallback_font: None,
        load_fallback: fallback,
    };
    let line = line.chars().filter_map(|c| setter.glyph(c)).collect();
    let mark = MARK_TEXT.chars().filter_map(|c| setter.glyph(c)).collect();
    let ellipsis = setter.main_glyph(ELLIPSIS);
    let mut subsets = vec![setter.main];
    subsets.extend(setter.fallback);
    Typeset {
        line,
        mark,
        ellipsis,
        cap_height: main.cap_height(),
        subsets,
    }
}

struct Setter<'a> {
    main: Subset,
    fallback: Option<Subset>,
    /// `None` until a character needs the fallback, then what `load_fallback` returned.
    fallback_font: Option<Option<&'static StampFont>>,
    load_fallback: &'a dyn Fn() -> Option<&'static StampFont>,
}

impl Setter<'_> {
    /// The glyph for `c`; `None` for characters drawn as nothing.
    fn glyph(&mut self, c: char) -> Option<Glyph> {
        if c.is_control() || is_invisible_format(c) {
            return None;
        }
        if let Some(gid) = self.main.font().glyph(c) {
            let (cid, width) = self.main.add(gid, c);
            return Some(Glyph {
                font: MAIN,
                cid,
                width,
            });
        }
        let load = self.load_fallback;
        let fallback = *self.fallback_font.get_or_insert_with(load);
        if let Some((font, gid)) = fallback.and_then(|font| Some((font, font.glyph(c)?))) {
            let subset = self.fallback.get_or_insert_with(|| Subset::new(font));
            let (cid, width) = subset.add(gid, c);
            return Some(Glyph {
                font: MAIN + 1,
                cid,
                width,
            });
        }
        // A combining mark no font has is left out: its letter is still shown.
        if is_combining_mark(c) {
            return None;
        }
        Some(self.main_glyph(PLACEHOLDER))
    }

    /// `c` from the main font, or its `.notdef` glyph (a box) if it lacks even that.
    fn main_glyph(&mut self, c: char) -> Glyph {
        let gid = self.main.font().glyph(c).unwrap_or(0);
        let (cid, width) = self.main.add(gid, c);
        Glyph {
            font: MAIN,
            cid,
            width,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::super::font::{bundled, tests::droid_fallback};
    use super::*;

    #[test]
    fn latin_greek_and_cyrillic_come_from_the_main_font_without_loading_the_fallback() {
        let asked = Cell::new(0);
        let fallback = || {
            asked.set(asked.get() + 1);
            None
        };
        let text = "Łukasz Żółć, Işıl Çağlar Şahin, Γιώργος, Дмитрий – q\u{0303}";
        let typeset = typeset(text, bundled().unwrap(), &fallback);
        assert_eq!(asked.get(), 0);
        assert_eq!(typeset.subsets.len(), 1);
        assert!(typeset.line.iter().all(|glyph| glyph.font == MAIN));
        assert_eq!(typeset.line.len(), text.chars().count());
        // Widths are the font's: `W` is wider than `i`.
        let main = bundled().unwrap();
        assert!(
            main.advance(main.glyph('W').unwrap()) > 2.0 * main.advance(main.glyph('i').unwrap())
        );
        // Each distinct glyph got one CID, numbered from 1 (.notdef is 0).
        assert!(typeset.line.iter().all(|glyph| glyph.cid >= 1));
        assert_eq!(typeset.mark.len(), MARK_TEXT.len());
    }

    #[test]
    fn missing_characters_become_the_placeholder_when_there_is_no_fallback() {
        let asked = Cell::new(0);
        let fallback = || {
            asked.set(asked.get() + 1);
            None
        };
        let typeset = typeset("Jane 🙂 山田 Doe", bundled().unwrap(), &fallback);
        assert_eq!(asked.get(), 1, "the fallback is looked for once");
        assert_eq!(typeset.subsets.len(), 1);
        let placeholder = typeset.line[5];
        assert_eq!(typeset.line[7], placeholder);
        assert_eq!(typeset.line[8], placeholder);
        assert_ne!(typeset.line[4], placeholder);
        assert!(placeholder.width > 0.0);
        assert_eq!(
            typeset.subsets[0].text_of(placeholder.cid),
            Some(PLACEHOLDER)
        );
        // A control character or bidi override that got this far is still not drawn, nor is a
        // combining mark no font has.
        let typeset = typeset_main_only("a\u{202E}\u{0007}b\u{1AC1}");
        assert_eq!(typeset.line.len(), 2);
    }

    fn typeset_main_only(text: &str) -> Typeset {
        typeset(text, bundled().unwrap(), &|| None)
    }

    #[test]
    fn cjk_comes_from_the_fallback_and_emoji_stays_a_placeholder() {
        let Some(droid) = droid_fallback() else {
            eprintln!("SKIPPED: Droid Sans Fallback not installed");
            return;
        };
        let typeset = typeset("山田太郎 🙂 Jane", bundled().unwrap(), &|| {
            Some(droid)
        });
        assert_eq!(typeset.subsets.len(), 2);
        assert!(typeset.line[..4].iter().all(|glyph| glyph.font == MAIN + 1));
        assert_eq!(typeset.line[4].font, MAIN);
        assert_eq!(
            typeset.subsets[0].text_of(typeset.line[5].cid),
            Some(PLACEHOLDER)
        );
        assert!(typeset.line[7..].iter().all(|glyph| glyph.font == MAIN));
    }
}
