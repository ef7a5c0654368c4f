//! The files of a CSAF 2.0 provider (section 7.1) and the advisories' Atom feeds:
//!
//! ```text
//! .well-known/csaf/provider-metadata.json        requirement 7 (role, key, distributions)
//! .well-known/csaf/white/<year>/<id>.json        requirements 1, 2, 11 (TLP:WHITE folder, year folders)
//!                                   .sha256 .sha512 .asc   requirements 18, 19
//! .well-known/csaf/white/index.txt               requirement 12
//! .well-known/csaf/white/changes.csv             requirement 13 (newest first)
//! .well-known/csaf/feed-tlp-white.json           requirement 15 (ROLIE feed, hash and signature links)
//! .well-known/csaf/openpgp/<fingerprint>.asc     requirement 20 (the public key)
//! <advisories page>/feed.xml                     an Atom feed per language
//! ```

use std::fmt::Write as _;
use std::path::PathBuf;

use atom_syndication::{Entry, Feed, Link, Person, Text};
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256, Sha512};

use super::{Advisories, SECTION_KEY, checks, csaf};
use crate::error::Diagnostic;
use crate::site::config::Config;
use crate::site::content::Site;
use crate::site::i18n::{Arg, Locales};
use crate::site::signing::SigningKey;

/// The provider's folder.
pub const WELL_KNOWN: &str = ".well-known/csaf";
/// The provider metadata, relative to the output root.
pub const METADATA: &str = ".well-known/csaf/provider-metadata.json";
/// The ROLIE feed of the TLP:WHITE documents.
pub const FEED: &str = ".well-known/csaf/feed-tlp-white.json";

/// A file the provider publishes: its path and bytes.
pub type File = (String, Vec<u8>);

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Every file of the provider. Signatures need `key`; without one the provider is a
/// `csaf_provider` (hashes only) instead of a `csaf_trusted_provider`.
pub fn files(
    advisories: &Advisories,
    config: &Config,
    key: Option<&SigningKey>,
) -> (Vec<File>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    if advisories.is_empty() {
        return (Vec::new(), problems);
    }
    let base = config.base_url();
    let per_doc: Vec<Result<Vec<File>, Diagnostic>> = advisories
        .list
        .par_iter()
        .map(|a| {
            let path = format!("{WELL_KNOWN}/{}", a.path);
            let name = a.path.rsplit('/').next().unwrap_or(&a.path);
            let mut out = vec![
                (
                    format!("{path}.sha256"),
                    format!("{}  {name}\n", hex(&Sha256::digest(&a.json))).into_bytes(),
                ),
                (
                    format!("{path}.sha512"),
                    format!("{}  {name}\n", hex(&Sha512::digest(&a.json))).into_bytes(),
                ),
            ];
            if let Some(key) = key {
                let signature = key.sign_detached(&a.json).map_err(|e| {
                    Diagnostic::error(
                        a.source.clone(),
                        format!("cannot sign the CSAF document: {e}"),
                    )
                })?;
                out.push((format!("{path}.asc"), signature.into_bytes()));
            }
            out.push((path, a.json.clone()));
            Ok(out)
        })
        .collect();
    let mut files = Vec::new();
    for r in per_doc {
        match r {
            Ok(f) => files.extend(f),
            Err(d) => problems.push(d),
        }
    }
    // index.txt and changes.csv (newest first: the list's order).
    let mut index: Vec<&str> = advisories
        .list
        .iter()
        .map(|a| a.path.trim_start_matches("white/"))
        .collect();
    index.sort_unstable();
    let mut index_txt = String::new();
    for p in index {
        let _ = writeln!(index_txt, "{p}");
    }
    files.push((
        format!("{WELL_KNOWN}/white/index.txt"),
        index_txt.into_bytes(),
    ));
    let mut changes = String::new();
    for a in &advisories.list {
        let _ = writeln!(
            changes,
            "\"{}\",\"{}\"",
            a.path.trim_start_matches("white/"),
            csaf::timestamp(a.current)
        );
    }
    files.push((
        format!("{WELL_KNOWN}/white/changes.csv"),
        changes.into_bytes(),
    ));
    let updated = advisories
        .list
        .iter()
        .map(|a| a.current)
        .max()
        .unwrap_or_default();
    files.push((
        FEED.to_owned(),
        rolie(advisories, config, key.is_some(), updated),
    ));

    // The provider metadata.
    let publisher = json!({
        "category": "vendor",
        "contact_details": config.contacts.security,
        "name": config.company.name,
        "namespace": base,
    });
    let mut metadata = json!({
        "canonical_url": format!("{base}/{METADATA}"),
        "distributions": [{
            "directory_url": format!("{base}/{WELL_KNOWN}/white/"),
            "rolie": { "feeds": [{
                "summary": "All TLP:WHITE advisories",
                "tlp_label": "WHITE",
                "url": format!("{base}/{FEED}"),
            }]},
        }],
        "last_updated": csaf::timestamp(updated),
        "list_on_CSAF_aggregators": true,
        "metadata_version": "2.0",
        "mirror_on_CSAF_aggregators": true,
        "publisher": publisher,
        "role": if key.is_some() { "csaf_trusted_provider" } else { "csaf_provider" },
    });
    if let Some(key) = key {
        let fingerprint = key.fingerprint();
        let key_path = format!("{WELL_KNOWN}/openpgp/{fingerprint}.asc");
        metadata["public_openpgp_keys"] = json!([{
            "fingerprint": fingerprint,
            "url": format!("{base}/{key_path}"),
        }]);
        match key.to_armored_public() {
            Ok(public) => files.push((key_path, public.into_bytes())),
            Err(e) => problems.push(Diagnostic::error(
                PathBuf::from(crate::site::config::CONFIG_FILE),
                format!("cannot export the public key for the CSAF provider: {e}"),
            )),
        }
    }
    for p in checks::provider_schema(&metadata) {
        problems.push(
            Diagnostic::error(PathBuf::from(crate::site::config::CONFIG_FILE), p.message)
                .with_hint(
                    "Check `base_url`, `company.name` and `contacts.security` in site.yaml.",
                ),
        );
    }
    let mut bytes = serde_json::to_vec_pretty(&metadata).unwrap_or_default();
    bytes.push(b'\n');
    files.push((METADATA.to_owned(), bytes));
    (files, problems)
}

/// The ROLIE feed (RFC 8322) of the TLP:WHITE documents, as CSAF 2.0 section 7.1.15 shows it.
fn rolie(
    advisories: &Advisories,
    config: &Config,
    signed: bool,
    updated: DateTime<Utc>,
) -> Vec<u8> {
    let base = config.base_url();
    let entries: Vec<Value> = advisories
        .list
        .iter()
        .map(|a| {
            let url = format!("{base}/{WELL_KNOWN}/{}", a.path);
            let mut links = vec![
                json!({ "rel": "self", "href": url }),
                json!({ "rel": "hash", "href": format!("{url}.sha256") }),
                json!({ "rel": "hash", "href": format!("{url}.sha512") }),
            ];
            if signed {
                links.push(json!({ "rel": "signature", "href": format!("{url}.asc") }));
            }
            json!({
                "id": a.id,
                "title": a.title,
                "link": links,
                "published": csaf::timestamp(a.initial),
                "updated": csaf::timestamp(a.current),
                "content": { "type": "application/json", "src": url },
                "format": { "schema": csaf::SCHEMA_URL, "version": "2.0" },
            })
        })
        .collect();
    let feed = json!({
        "feed": {
            "id": format!("{}-csaf-feed-tlp-white", config.host()),
            "title": format!("{} CSAF feed (TLP:WHITE)", config.company.name),
            "link": [{ "rel": "self", "href": format!("{base}/{FEED}") }],
            "category": [{ "scheme": "urn:ietf:params:rolie:category:information-type", "term": "csaf" }],
            "updated": csaf::timestamp(updated),
            "entry": entries,
        }
    });
    let mut bytes = serde_json::to_vec_pretty(&feed).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The Atom feed of the advisories page in `lang` (`<page>/feed.xml`), if the site has that page.
pub fn atom(
    advisories: &Advisories,
    config: &Config,
    site: &Site,
    locales: &Locales,
    lang: &str,
) -> Option<Result<File, String>> {
    let page = site.get(SECTION_KEY, lang)?;
    Some((|| {
        let base = config.base_url();
        let feed_path = format!("{}feed.xml", page.path);
        let feed_url = format!("{base}/{feed_path}");
        let mut feed = Feed::default();
        feed.set_title(Text::plain(locales.translate(
            lang,
            "adv-feed-title",
            &[("title".into(), Arg::Str(page.title.clone()))],
        )?));
        feed.set_id(feed_url.clone());
        feed.set_lang(Some(lang.to_owned()));
        let updated = advisories
            .list
            .iter()
            .map(|a| a.current)
            .max()
            .unwrap_or_default();
        feed.set_updated(updated.fixed_offset());
        let mut author = Person::default();
        author.set_name(config.company.name.clone());
        feed.set_authors(vec![author]);
        let mut self_link = Link::default();
        self_link.set_href(feed_url);
        self_link.set_rel("self");
        self_link.set_mime_type(Some("application/atom+xml".to_owned()));
        let mut alternate = Link::default();
        alternate.set_href(format!("{base}/{}", page.path));
        alternate.set_rel("alternate");
        alternate.set_mime_type(Some("text/html".to_owned()));
        alternate.set_hreflang(Some(lang.to_owned()));
        feed.set_links(vec![self_link, alternate]);
        let listing = advisories.listing(site, lang, base);
        let mut entries = Vec::new();
        for (a, item) in advisories
            .list
            .iter()
            .zip(listing.as_array().into_iter().flatten())
        {
            let mut entry = Entry::default();
            entry.set_title(Text::plain(format!(
                "{}: {}",
                a.id,
                item["title"].as_str().unwrap_or_default()
            )));
            entry.set_id(format!("{base}/{WELL_KNOWN}/{}", a.path));
            entry.set_updated(a.current.fixed_offset());
            entry.set_published(Some(a.initial.fixed_offset()));
            let severity = item["severity"].as_str().map(|s| {
                locales
                    .translate(lang, &format!("adv-severity-{s}"), &[])
                    .unwrap_or_else(|_| s.to_owned())
            });
            let summary = locales.translate(
                lang,
                "adv-feed-summary",
                &[
                    (
                        "version".into(),
                        Arg::Str(item["version"].as_str().unwrap_or("1").to_owned()),
                    ),
                    (
                        "severity".into(),
                        Arg::Str(severity.unwrap_or_else(|| "-".to_owned())),
                    ),
                    (
                        "score".into(),
                        Arg::Str(
                            item["score"]
                                .as_f64()
                                .map_or_else(|| "-".to_owned(), |s| format!("{s:.1}")),
                        ),
                    ),
                ],
            )?;
            entry.set_summary(Some(Text::plain(summary)));
            let mut link = Link::default();
            link.set_href(item["url"].as_str().unwrap_or_default().to_owned());
            link.set_rel("alternate");
            let mut csaf_link = Link::default();
            csaf_link.set_href(format!("{base}/{WELL_KNOWN}/{}", a.path));
            csaf_link.set_rel("related");
            csaf_link.set_mime_type(Some("application/json".to_owned()));
            entry.set_links(vec![link, csaf_link]);
            entries.push(entry);
        }
        feed.set_entries(entries);
        Ok((feed_path, feed.to_string().into_bytes()))
    })())
}
