//! The executed agreement: the agreement's PDF as published, with a cover page naming both
//! parties in front and an execution page (signatory, time, version, the agreement file's
//! SHA-256 and the evidence trail) at the end. [`compose`] returns the [`lopdf::Document`] that
//! [`crate::pdf::pades::sign_pdf`] then signs as a whole.
//!
//! Every value on the added pages comes from the customer's form and is hostile input: it is
//! cleaned like a watermark's fields (control and invisible formatting characters removed, length
//! capped) and drawn as text in the standard-14 Helvetica, never interpreted. Characters that
//! WinAnsiEncoding cannot show appear as `?` on the page; the exact values are in the document
//! information dictionary (UTF-16) and in the store.

use chrono::{DateTime, Utc};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use crate::pdf::text::{
    clean_field, encode_win_ansi, num, push_literal_string, standard_font, text_width,
};

/// A UI string by key (`agreement-pdf-*`) with its arguments, in the language signed.
pub type Label<'a> = dyn Fn(&str, &[(&str, &str)]) -> String + 'a;

/// A4 in points.
const PAGE: (f64, f64) = (595.0, 842.0);
const MARGIN: f64 = 64.0;
/// Longest value drawn (characters); the store keeps the full text.
const MAX_VALUE: usize = 600;

/// One party to the agreement.
#[derive(Debug, Clone, Default)]
pub struct Party<'a> {
    /// Company name.
    pub name: &'a str,
    /// Postal address (lines separated by `\n`).
    pub address: &'a str,
    /// Registration number (optional).
    pub registration: &'a str,
    /// Contact for privacy matters.
    pub contact: &'a str,
}

/// What happened, for the cover and the execution page.
#[derive(Debug, Clone)]
pub struct Execution<'a> {
    /// The agreement record's id.
    pub agreement_id: &'a str,
    /// The agreement's title in the chosen language.
    pub title: &'a str,
    /// Its version.
    pub version: &'a str,
    /// The language version signed, as words (`German (authoritative)`).
    pub language: &'a str,
    /// SHA-256 (hex) of the agreement file signed.
    pub text_sha256: &'a str,
    /// The provider (the site's company).
    pub provider: Party<'a>,
    /// The customer.
    pub customer: Party<'a>,
    /// Signatory's name.
    pub signatory_name: &'a str,
    /// Signatory's title.
    pub signatory_title: &'a str,
    /// Signatory's e-mail.
    pub signatory_email: &'a str,
    /// When it was signed.
    pub signed_at: DateTime<Utc>,
    /// The e-mail address proven.
    pub verified_email: &'a str,
    /// When it was proven.
    pub verified_at: DateTime<Utc>,
    /// Client IP address.
    pub ip: &'a str,
    /// Client user agent.
    pub user_agent: &'a str,
    /// The signing request's id.
    pub request_id: &'a str,
    /// The provider's signing certificate (subject and SHA-256 fingerprint).
    pub certificate: &'a str,
}

/// Problems composing the document.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    /// The agreement's PDF cannot be read.
    #[error("the agreement's PDF cannot be read: {0}")]
    Unreadable(String),
    /// It is encrypted.
    #[error("the agreement's PDF is encrypted")]
    Encrypted,
    /// Its page tree is damaged.
    #[error("the agreement's PDF is damaged: {0}")]
    Damaged(&'static str),
}

/// The agreement `original` (a PDF file's bytes) with the cover page and the execution page;
/// `label` gives a UI string by key (`agreement-pdf-*`) in the language signed.
pub fn compose(
    original: &[u8],
    execution: &Execution,
    label: &Label,
) -> Result<Document, ComposeError> {
    let mut doc =
        Document::load_mem(original).map_err(|e| ComposeError::Unreadable(e.to_string()))?;
    if doc.is_encrypted() {
        return Err(ComposeError::Encrypted);
    }
    let pages_id = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|_| ComposeError::Damaged("it has no page tree"))?;
    let agreement_pages = doc.get_pages().len();

    let fonts = {
        let mut fonts = Dictionary::new();
        fonts.set("F1", Object::Dictionary(standard_font("Helvetica")));
        fonts.set("F2", Object::Dictionary(standard_font("Helvetica-Bold")));
        let mut resources = Dictionary::new();
        resources.set("Font", Object::Dictionary(fonts));
        doc.add_object(resources)
    };

    let e = execution;
    let v = |s: &str| clean_field(s, MAX_VALUE);
    let mut cover = Writer::new();
    cover.text(&label("agreement-pdf-cover-title", &[]), 20.0, true);
    cover.gap(6.0);
    cover.text(&v(e.title), 14.0, true);
    cover.text(
        &format!(
            "{} {} · {}",
            label("agreement-pdf-version", &[]),
            v(e.version),
            v(e.language)
        ),
        11.0,
        false,
    );
    cover.gap(18.0);
    cover.text(&label("agreement-pdf-between", &[]), 11.0, false);
    cover.gap(6.0);
    party(
        &mut cover,
        &e.provider,
        &label("agreement-pdf-provider", &[]),
        label,
    );
    cover.gap(12.0);
    cover.text(&label("agreement-pdf-and", &[]), 11.0, false);
    cover.gap(6.0);
    party(
        &mut cover,
        &e.customer,
        &label("agreement-pdf-customer", &[]),
        label,
    );
    cover.gap(18.0);
    cover.field(
        &label("agreement-pdf-agreement-id", &[]),
        &v(e.agreement_id),
    );
    cover.field(&label("agreement-pdf-signed-at", &[]), &utc(e.signed_at));
    cover.gap(12.0);
    cover.text(
        &label(
            "agreement-pdf-contents",
            &[("pages", &agreement_pages.to_string())],
        ),
        10.0,
        false,
    );

    let mut exec = Writer::new();
    exec.text(&label("agreement-pdf-execution-title", &[]), 20.0, true);
    exec.gap(10.0);
    exec.text(
        &label(
            "agreement-pdf-statement",
            &[
                ("name", &v(e.signatory_name)),
                ("company", &v(e.customer.name)),
            ],
        ),
        11.0,
        false,
    );
    exec.gap(12.0);
    exec.field(&label("agreement-pdf-signatory", &[]), &v(e.signatory_name));
    exec.field(
        &label("agreement-pdf-signatory-title", &[]),
        &v(e.signatory_title),
    );
    exec.field(
        &label("agreement-pdf-signatory-email", &[]),
        &v(e.signatory_email),
    );
    exec.field(&label("agreement-pdf-company", &[]), &v(e.customer.name));
    exec.field(&label("agreement-pdf-signed-at", &[]), &utc(e.signed_at));
    exec.field(&label("agreement-pdf-agreement", &[]), &v(e.title));
    exec.field(&label("agreement-pdf-version", &[]), &v(e.version));
    exec.field(&label("agreement-pdf-language", &[]), &v(e.language));
    exec.field(&label("agreement-pdf-sha256", &[]), &v(e.text_sha256));
    exec.gap(12.0);
    exec.text(&label("agreement-pdf-evidence", &[]), 13.0, true);
    exec.gap(4.0);
    exec.field(
        &label("agreement-pdf-email-verified", &[]),
        &format!("{} · {}", v(e.verified_email), utc(e.verified_at)),
    );
    exec.field(&label("agreement-pdf-ip", &[]), &v(e.ip));
    exec.field(&label("agreement-pdf-user-agent", &[]), &v(e.user_agent));
    exec.field(&label("agreement-pdf-request-id", &[]), &v(e.request_id));
    exec.field(
        &label("agreement-pdf-agreement-id", &[]),
        &v(e.agreement_id),
    );
    exec.gap(12.0);
    exec.text(&label("agreement-pdf-signature", &[]), 13.0, true);
    exec.gap(4.0);
    exec.text(
        &label(
            "agreement-pdf-signature-text",
            &[("provider", &v(e.provider.name))],
        ),
        10.0,
        false,
    );
    exec.field(&label("agreement-pdf-certificate", &[]), &v(e.certificate));

    let cover_ids = add_pages(&mut doc, pages_id, fonts, cover.finish())?;
    let exec_ids = add_pages(&mut doc, pages_id, fonts, exec.finish())?;
    let added = cover_ids.len() + exec_ids.len();
    let root = doc
        .get_dictionary_mut(pages_id)
        .map_err(|_| ComposeError::Damaged("its page tree is not a dictionary"))?;
    let mut kids = root
        .get(b"Kids")
        .and_then(Object::as_array)
        .cloned()
        .map_err(|_| ComposeError::Damaged("its page tree has no kids"))?;
    for (i, id) in cover_ids.iter().enumerate() {
        kids.insert(i, Object::Reference(*id));
    }
    kids.extend(exec_ids.iter().map(|id| Object::Reference(*id)));
    let count = root.get(b"Count").and_then(Object::as_i64).unwrap_or(0);
    root.set("Kids", Object::Array(kids));
    root.set(
        "Count",
        Object::Integer(count + i64::try_from(added).unwrap_or(0)),
    );

    // The document information: what this file is, in full Unicode.
    let mut info = Dictionary::new();
    info.set(
        "Title",
        lopdf::text_string(&format!("{} {} – {}", e.title, e.version, e.customer.name)),
    );
    info.set(
        "Subject",
        lopdf::text_string(&label("agreement-pdf-cover-title", &[])),
    );
    info.set("Author", lopdf::text_string(e.provider.name));
    info.set("Producer", lopdf::text_string("Candor"));
    info.set("CandorAgreement", lopdf::text_string(e.agreement_id));
    info.set(
        "CandorSignatory",
        lopdf::text_string(&format!(
            "{} ({}) <{}>",
            e.signatory_name, e.signatory_title, e.signatory_email
        )),
    );
    info.set("CandorCustomer", lopdf::text_string(e.customer.name));
    info.set(
        "CreationDate",
        Object::string_literal(e.signed_at.format("D:%Y%m%d%H%M%SZ").to_string()),
    );
    let info_id = doc.add_object(info);
    doc.trailer.set("Info", Object::Reference(info_id));
    Ok(doc)
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

fn party(w: &mut Writer, p: &Party, role: &str, label: &Label) {
    w.text(&clean_field(p.name, 200), 12.0, true);
    w.text(&format!("({role})"), 9.0, false);
    for line in p
        .address
        .lines()
        .map(|l| clean_field(l, 200))
        .filter(|l| !l.is_empty())
    {
        w.text(&line, 10.0, false);
    }
    if !p.registration.trim().is_empty() {
        w.text(
            &format!(
                "{}: {}",
                label("agreement-pdf-registration", &[]),
                clean_field(p.registration, 100)
            ),
            10.0,
            false,
        );
    }
    if !p.contact.trim().is_empty() {
        w.text(
            &format!(
                "{}: {}",
                label("agreement-pdf-privacy-contact", &[]),
                clean_field(p.contact, 300)
            ),
            10.0,
            false,
        );
    }
}

fn add_pages(
    doc: &mut Document,
    parent: ObjectId,
    resources: ObjectId,
    contents: Vec<String>,
) -> Result<Vec<ObjectId>, ComposeError> {
    let mut ids = Vec::new();
    for content in contents {
        let stream = doc.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Parent", Object::Reference(parent));
        page.set(
            "MediaBox",
            Object::Array(vec![0.into(), 0.into(), PAGE.0.into(), PAGE.1.into()]),
        );
        page.set("Resources", Object::Reference(resources));
        page.set("Contents", Object::Reference(stream));
        ids.push(
            doc.try_add_object(page)
                .map_err(|_| ComposeError::Damaged("it uses the highest object number"))?,
        );
    }
    Ok(ids)
}

/// Lays out text top to bottom, wrapping at the margins and starting new pages as needed.
struct Writer {
    pages: Vec<String>,
    current: String,
    y: f64,
}

impl Writer {
    fn new() -> Writer {
        Writer {
            pages: Vec::new(),
            current: String::new(),
            y: PAGE.1 - MARGIN,
        }
    }

    fn gap(&mut self, points: f64) {
        self.y -= points;
    }

    /// A label in bold and its value wrapped below it, indented.
    fn field(&mut self, label: &str, value: &str) {
        self.text(label, 9.0, true);
        self.line_wrapped(value, 10.0, false, 12.0);
        self.gap(3.0);
    }

    fn text(&mut self, text: &str, size: f64, bold: bool) {
        self.line_wrapped(text, size, bold, 0.0);
    }

    fn line_wrapped(&mut self, text: &str, size: f64, bold: bool, indent: f64) {
        // Bold glyphs are up to a tenth wider than the regular widths we measure with.
        let factor = if bold { 1.1 } else { 1.0 };
        let width = PAGE.0 - 2.0 * MARGIN - indent;
        let fits = |bytes: &[u8]| text_width(bytes) * size * factor <= width;
        let mut line: Vec<u8> = Vec::new();
        for word in text.split_whitespace() {
            let word = encode_win_ansi(word);
            let mut candidate = line.clone();
            if !candidate.is_empty() {
                candidate.push(b' ');
            }
            candidate.extend_from_slice(&word);
            if fits(&candidate) {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                self.emit(&line, size, bold, indent);
                line.clear();
            }
            // A word longer than the line (a digest, a user agent) is broken anywhere.
            for &b in &word {
                line.push(b);
                if !fits(&line) {
                    line.pop();
                    self.emit(&line, size, bold, indent);
                    line = vec![b];
                }
            }
        }
        if !line.is_empty() || text.trim().is_empty() {
            self.emit(&line, size, bold, indent);
        }
    }

    fn emit(&mut self, line: &[u8], size: f64, bold: bool, indent: f64) {
        let leading = size * 1.35;
        if self.y - leading < MARGIN {
            self.pages.push(std::mem::take(&mut self.current));
            self.y = PAGE.1 - MARGIN;
        }
        self.y -= leading;
        let mut op = format!(
            "BT /{} {} Tf {} {} Td ",
            if bold { "F2" } else { "F1" },
            num(size),
            num(MARGIN + indent),
            num(self.y)
        );
        push_literal_string(&mut op, line);
        op.push_str(" Tj ET\n");
        self.current.push_str(&op);
    }

    fn finish(mut self) -> Vec<String> {
        if !self.current.is_empty() || self.pages.is_empty() {
            self.pages.push(self.current);
        }
        self.pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_and_flows_onto_new_pages() {
        let mut w = Writer::new();
        let long = "word ".repeat(4000);
        w.text(&long, 10.0, false);
        let pages = w.finish();
        assert!(pages.len() > 1, "{} pages", pages.len());
        for page in &pages {
            for line in page.lines() {
                let text = line.split_once('(').unwrap().1.rsplit_once(')').unwrap().0;
                assert!(
                    text_width(text.as_bytes()) * 10.0 <= PAGE.0 - 2.0 * MARGIN,
                    "{text}"
                );
            }
        }
        let mut w = Writer::new();
        w.text(&"x".repeat(500), 10.0, false);
        assert!(w.finish()[0].lines().count() > 1, "a long word is broken");
    }

    #[test]
    fn hostile_text_is_drawn_as_text() {
        let mut w = Writer::new();
        w.text("a) Tj ET BT (b \\ \u{202e}evil\u{0}", 10.0, false);
        let page = &w.finish()[0];
        assert!(page.contains("(a\\) Tj ET BT \\(b \\\\ evil)"), "{page}");
    }
}
