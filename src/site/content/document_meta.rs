//! The `document:` block of a bundle's front matter, as its author writes it. The registry
//! ([`crate::site::documents`]) turns it into documents with files, digests and URLs.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a document is about (grouping on the documents page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Privacy: DPA, SCCs, transfer addenda.
    Privacy,
    /// Security: penetration tests, whitepapers.
    Security,
    /// Compliance: certificates and audit reports.
    Compliance,
    /// Legal: policies, terms.
    Legal,
}

/// Who may download a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// Anyone: the files are published with the site.
    Public,
    /// On request, after approval (through the portal).
    Gated,
    /// On request, after approval and acceptance of an NDA.
    Nda,
}

impl Access {
    /// Whether the files may be published.
    pub fn is_public(self) -> bool {
        self == Access::Public
    }
}

/// The `document:` block of a bundle's front matter, as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentMeta {
    /// Stable id used in URLs; defaults to the bundle's folder name.
    #[serde(default)]
    pub id: Option<String>,
    /// Grouping.
    pub category: Category,
    /// Who may download it.
    pub access: Access,
    /// The language whose version prevails in case of conflict.
    #[serde(default)]
    pub authoritative: Option<String>,
    /// For certificates and reports: the last day they are valid.
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    /// Whether customers can conclude it online in the portal.
    #[serde(default)]
    pub signable: bool,
    /// Versions, newest (current) first.
    pub versions: Vec<VersionMeta>,
}

/// One version of a document, as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VersionMeta {
    /// Version number, quoted (`"3.1"`).
    pub version: String,
    /// Effective date.
    pub date: NaiveDate,
    /// File name (beside `index.md`) per language.
    pub files: BTreeMap<String, String>,
    /// Change notes per language.
    #[serde(default)]
    pub notes: BTreeMap<String, String>,
}
