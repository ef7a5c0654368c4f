//! Text in PDF content streams, for the watermark and the executed agreement: cleaning untrusted
//! text, the standard-14 Helvetica with WinAnsiEncoding and its glyph widths, and the literal
//! strings and numbers a content stream is written with.
//!
//! The executed agreement draws in Helvetica, which is not embedded: the standard-14 fonts are
//! known to every reader, so a composed PDF grows by a few hundred bytes, and WinAnsiEncoding is
//! what they can show (characters outside it become `?`). The watermark embeds a subset of Noto
//! Sans instead, so that every name prints as written (see [`crate::pdf::watermark`]); it uses
//! the cleaning and number helpers here.

use std::fmt::Write as _;

use lopdf::{Dictionary, Object};
use unicode_normalization::UnicodeNormalization;

/// A standard-14 font (`Helvetica`, `Helvetica-Bold`, …) with WinAnsiEncoding, never embedded.
pub(crate) fn standard_font(base_font: &str) -> Dictionary {
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Subtype", Object::Name(b"Type1".to_vec()));
    font.set("BaseFont", Object::Name(base_font.as_bytes().to_vec()));
    font.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
    font
}

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
pub(crate) fn is_invisible_format(c: char) -> bool {
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
/// composition and that the font cannot draw (no precomposed WinAnsi letter exists, or the
/// watermark's fonts lack the mark) are left out on the page, so `q̃` shows as `q` rather than
/// `q?`.
pub(crate) fn is_combining_mark(c: char) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
