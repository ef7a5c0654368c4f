//! The recipient and time of a download ([`Stamp`]), the line stamped from them, and why
//! stamping can fail ([`WatermarkError`]).

use chrono::{DateTime, Utc};

use crate::pdf::text::clean_field;

/// Longest recipient name kept in the stamp, in characters; longer names end in `…`.
pub(super) const MAX_NAME_CHARS: usize = 80;
/// Longest e-mail address kept in the stamp, in characters.
pub(super) const MAX_EMAIL_CHARS: usize = 120;
/// Longest company name kept in the stamp, in characters.
pub(super) const MAX_COMPANY_CHARS: usize = 80;
/// Longest document label kept in the metadata, in characters.
pub(super) const MAX_DOCUMENT_CHARS: usize = 120;

/// Largest size any one stream of the input may decompress to (a defence against decompression
/// bombs; real documents are far smaller).
pub(super) const MAX_DECOMPRESSED_BYTES: usize = 64 * 1024 * 1024;

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
    pub(super) fn recipient(&self) -> String {
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
    /// The bundled stamp font could not be read or subset (a build defect: its tests rule it
    /// out).
    #[error("the watermark font could not be prepared")]
    Font,
    /// The watermarked copy could not be written.
    #[error("could not write the watermarked PDF")]
    Write(#[source] std::io::Error),
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::pdf::text::is_invisible_format;

    use chrono::TimeZone;

    /// A well-formed stamp, the starting point of the watermark tests.
    pub(in crate::pdf::watermark) fn jane() -> Stamp<'static> {
        Stamp {
            name: "Jane Doe",
            email: "jane@acme.com",
            company: "Acme Corp",
            time: Utc.with_ymd_and_hms(2026, 11, 23, 16, 5, 42).unwrap(),
            document: "pentest-summary 2026 (en)",
        }
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
}
