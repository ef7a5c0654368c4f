//! What templates see of documents: the `document` of a document page, and the `documents()`
//! listing for index pages, in the page's language.

use serde::Serialize;

use crate::site::documents::{Access, Category, Document, FileInfo, Version};
use crate::site::i18n::Locales;

/// A file as shown on a page.
#[derive(Debug, Serialize)]
pub struct FileView<'a> {
    /// Download URL (public documents only).
    pub url: Option<String>,
    /// URL that always serves the newest version (current version of public documents only).
    pub latest_url: Option<String>,
    /// Detached OpenPGP signature (when signing is configured).
    pub signature_url: Option<String>,
    /// Language of the file.
    pub lang: &'a str,
    /// That language's name, in the page's language.
    pub lang_name: String,
    /// Whether the page's language has no file of its own and this is the default language's.
    pub fallback: bool,
    /// Size in bytes.
    pub size: u64,
    /// Size for people, localized ("12,3 KB").
    pub size_label: String,
    /// Media type.
    pub media_type: &'a str,
    /// SHA-256 (public documents only: confidential files do not publish even a checksum).
    pub sha256: Option<&'a str>,
}

/// A version as shown on a page.
#[derive(Debug, Serialize)]
pub struct VersionView<'a> {
    /// Version number.
    pub version: &'a str,
    /// Effective date (ISO; templates format it with the `date` filter).
    pub date: String,
    /// Change notes in the page's language (or the default language's).
    pub notes: Option<&'a str>,
    /// Whether this is the current version.
    pub current: bool,
    /// The file offered in the page's language.
    pub file: Option<FileView<'a>>,
}

/// A document as shown on its page.
#[derive(Debug, Serialize)]
pub struct DocumentView<'a> {
    /// Stable id.
    pub id: &'a str,
    /// Grouping.
    pub category: Category,
    /// `public`, `gated` or `nda`.
    pub access: Access,
    /// Whether the files are downloadable from the site.
    pub public: bool,
    /// The prevailing language's code, if any.
    pub authoritative: Option<&'a str>,
    /// Its name in the page's language.
    pub authoritative_name: Option<String>,
    /// Last valid day (ISO), if any.
    pub valid_until: Option<String>,
    /// Whether `valid_until` has passed.
    pub expired: bool,
    /// Can be concluded online in the portal.
    pub signable: bool,
    /// The current version.
    pub current: Option<VersionView<'a>>,
    /// All versions, current first.
    pub versions: Vec<VersionView<'a>>,
}

/// Everything the views need besides the document.
pub struct ViewContext<'a> {
    /// Page language.
    pub lang: &'a str,
    /// Default language (fallback files and notes).
    pub default_lang: &'a str,
    /// URL prefix of the site.
    pub url_prefix: &'a str,
    /// Today (validity).
    pub today: chrono::NaiveDate,
    /// UI strings (language names, decimal separator).
    pub locales: &'a Locales,
    /// Extension of detached signatures, when signing is configured (`.asc`).
    pub signature_ext: Option<&'a str>,
}

impl ViewContext<'_> {
    /// The name of language `code` in the page's language.
    pub fn language_name(&self, code: &str) -> String {
        self.locales
            .translate(self.lang, &format!("language-{code}"), &[])
            .or_else(|_| self.locales.translate(code, "language-name", &[]))
            .unwrap_or_else(|_| code.to_owned())
    }

    /// "512 B", "12.3 KB", "1.4 MB" with the language's decimal separator.
    pub fn size_label(&self, bytes: u64) -> String {
        let sep = self
            .locales
            .translate(self.lang, "decimal-separator", &[])
            .unwrap_or_else(|_| ".".to_owned());
        let (value, unit) = match bytes {
            b if b < 1024 => return format!("{b} B"),
            b if b < 1024 * 1024 => (b as f64 / 1024.0, "KB"),
            b => (b as f64 / (1024.0 * 1024.0), "MB"),
        };
        format!("{value:.1} {unit}").replace('.', &sep)
    }

    fn file<'a>(&self, doc: &'a Document, version: &'a Version) -> Option<FileView<'a>> {
        let (lang, file, fallback): (&str, &FileInfo, bool) =
            doc.file_for(version, self.lang, self.default_lang)?;
        let url = file
            .path
            .as_ref()
            .map(|p| format!("{}/{p}", self.url_prefix));
        Some(FileView {
            signature_url: match (&url, self.signature_ext) {
                (Some(u), Some(ext)) => Some(format!("{u}{ext}")),
                _ => None,
            },
            url,
            latest_url: file
                .latest_path
                .as_ref()
                .map(|p| format!("{}/{p}", self.url_prefix)),
            lang,
            lang_name: self.language_name(lang),
            fallback,
            size: file.size,
            size_label: self.size_label(file.size),
            media_type: file.media_type,
            sha256: doc.access.is_public().then_some(file.sha256.as_str()),
        })
    }

    fn version<'a>(
        &self,
        doc: &'a Document,
        version: &'a Version,
        current: bool,
    ) -> VersionView<'a> {
        VersionView {
            version: &version.version,
            date: version.date.to_string(),
            notes: version
                .notes
                .get(self.lang)
                .or_else(|| version.notes.get(self.default_lang))
                .map(String::as_str),
            current,
            file: self.file(doc, version),
        }
    }

    /// The view of `doc` in the context's language.
    pub fn document<'a>(&self, doc: &'a Document) -> DocumentView<'a> {
        let versions: Vec<VersionView<'a>> = doc
            .versions
            .iter()
            .enumerate()
            .map(|(i, v)| self.version(doc, v, i == 0))
            .collect();
        DocumentView {
            id: &doc.id,
            category: doc.category,
            access: doc.access,
            public: doc.access.is_public(),
            authoritative: doc.authoritative.as_deref(),
            authoritative_name: doc.authoritative.as_deref().map(|l| self.language_name(l)),
            valid_until: doc.valid_until.map(|d| d.to_string()),
            expired: doc.valid_until.is_some_and(|d| d < self.today),
            signable: doc.signable,
            current: doc.current().map(|v| self.version(doc, v, true)),
            versions,
        }
    }
}

/// One entry of the `documents()` listing.
#[derive(Debug, Serialize)]
pub struct ListingEntry {
    /// Stable id.
    pub id: String,
    /// Title in the listing's language (or the default language's).
    pub title: String,
    /// Description, if any.
    pub description: Option<String>,
    /// URL of the document's page in the listing's language (or its notice page).
    pub url: String,
    /// Grouping.
    pub category: Category,
    /// Access level.
    pub access: Access,
    /// Current version.
    pub version: String,
    /// Its effective date (ISO).
    pub date: String,
    /// Last valid day (ISO), if any.
    pub valid_until: Option<String>,
    /// Whether it has lapsed.
    pub expired: bool,
}

/// Every document as listed on index pages in `lang`, in the order of their pages' weights.
pub fn listing(
    docs: &crate::site::documents::Documents,
    site: &crate::site::content::Site,
    ctx: &ViewContext<'_>,
) -> Vec<ListingEntry> {
    let mut entries: Vec<(i64, ListingEntry)> = docs
        .list
        .iter()
        .filter_map(|d| {
            let page = site
                .get(&d.key, ctx.lang)
                .or_else(|| site.get(&d.key, ctx.default_lang))?;
            let current = d.current()?;
            let path = site.path_of(&d.key, ctx.lang).unwrap_or(&page.path);
            Some((
                page.meta.weight.unwrap_or(i64::MAX),
                ListingEntry {
                    id: d.id.clone(),
                    title: page.title.clone(),
                    description: page.meta.description.clone(),
                    url: format!("{}/{path}", ctx.url_prefix),
                    category: d.category,
                    access: d.access,
                    version: current.version.clone(),
                    date: current.date.to_string(),
                    valid_until: d.valid_until.map(|v| v.to_string()),
                    expired: d.valid_until.is_some_and(|v| v < ctx.today),
                },
            ))
        })
        .collect();
    entries.sort_by(|a, b| (a.0, &a.1.title).cmp(&(b.0, &b.1.title)));
    entries.into_iter().map(|(_, e)| e).collect()
}
