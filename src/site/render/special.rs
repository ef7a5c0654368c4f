//! Files that are not pages: `sitemap.xml`, `robots.txt` and `/.well-known/security.txt`.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::{SecondsFormat, Utc};

use crate::error::Diagnostic;
use crate::site::config::{CONFIG_FILE, Config, key_line};
use crate::site::content::Site;

/// Escapes text for XML character data and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// One URL of the sitemap beyond the pages: its path in each language (the first is its own, the
/// rest its alternates) and its `lastmod`.
pub struct SitemapExtra {
    /// Language → path, in the site's language order.
    pub paths: Vec<(String, String)>,
    /// When what it shows last changed.
    pub updated: Option<chrono::NaiveDate>,
}

/// `sitemap.xml`: every page (not the notices of missing translations), every further listing
/// page of a paginated section, and the `extra` views of pages (the answer library's filter
/// pages), with their `xhtml:link` alternates, `x-default` and `lastmod`.
pub fn sitemap(config: &Config, site: &Site, extra: &[SitemapExtra]) -> String {
    let base = config.base_url();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (index, page) in site.pages.iter().enumerate() {
        for number in 1..=site.listing_pages(config, index) {
            let _ = write!(
                xml,
                "<url><loc>{}</loc>",
                xml_escape(&format!(
                    "{base}/{}",
                    site.listing_path(config, index, number)
                ))
            );
            if let Some(updated) = page.meta.updated {
                let _ = write!(xml, "<lastmod>{updated}</lastmod>");
            }
            // The translations that have this listing page.
            let alternates: Vec<(&str, String)> = site
                .by_key
                .get(&page.key)
                .into_iter()
                .flatten()
                .filter(|&(_, &i)| site.listing_pages(config, i) >= number)
                .map(|(lang, &i)| (lang.as_str(), site.listing_path(config, i, number)))
                .collect();
            if alternates.len() > 1 {
                for (lang, path) in &alternates {
                    let _ = write!(
                        xml,
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        xml_escape(lang),
                        xml_escape(&format!("{base}/{path}"))
                    );
                }
                if let Some((_, path)) = alternates
                    .iter()
                    .find(|(lang, _)| *lang == config.default_language())
                {
                    let _ = write!(
                        xml,
                        "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
                        xml_escape(&format!("{base}/{path}"))
                    );
                }
            }
            xml.push_str("</url>\n");
        }
    }
    for e in extra {
        for (_, path) in &e.paths {
            let _ = write!(
                xml,
                "<url><loc>{}</loc>",
                xml_escape(&format!("{base}/{path}"))
            );
            if let Some(updated) = e.updated {
                let _ = write!(xml, "<lastmod>{updated}</lastmod>");
            }
            if e.paths.len() > 1 {
                for (lang, alternate) in &e.paths {
                    let _ = write!(
                        xml,
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        xml_escape(lang),
                        xml_escape(&format!("{base}/{alternate}"))
                    );
                }
                if let Some((_, default)) = e
                    .paths
                    .iter()
                    .find(|(lang, _)| lang == config.default_language())
                {
                    let _ = write!(
                        xml,
                        "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
                        xml_escape(&format!("{base}/{default}"))
                    );
                }
            }
            xml.push_str("</url>\n");
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt`: everything may be crawled; the sitemap is named.
pub fn robots(config: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
        config.base_url()
    )
}

/// `/.well-known/security.txt` per RFC 9116, and diagnostics about its expiry.
pub fn security_txt(
    config: &Config,
    site: &Site,
    now: chrono::DateTime<Utc>,
    config_text: &str,
) -> (String, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let s = &config.security_txt;
    let base = config.base_url();
    let line = |key: &str| key_line(config_text, key).unwrap_or(1);
    let mut out = String::new();
    let contacts: Vec<String> = if s.contact.is_empty() {
        vec![format!("mailto:{}", config.contacts.security)]
    } else {
        s.contact.clone()
    };
    for c in &contacts {
        let _ = writeln!(out, "Contact: {c}");
    }
    let expires = s.expires.with_timezone(&Utc);
    let _ = writeln!(
        out,
        "Expires: {}",
        expires.to_rfc3339_opts(SecondsFormat::Secs, true)
    );
    if let Some(e) = &s.encryption {
        let _ = writeln!(out, "Encryption: {e}");
    }
    if let Some(a) = &s.acknowledgments {
        let _ = writeln!(out, "Acknowledgments: {a}");
    }
    let _ = writeln!(out, "Preferred-Languages: {}", config.languages.join(", "));
    let _ = writeln!(out, "Canonical: {base}/.well-known/security.txt");
    let policy = match s.policy.strip_prefix("@/") {
        Some(key) => match site.get(key, config.default_language()) {
            Some(page) => Some(format!("{base}/{}", page.path)),
            None if site.failed.contains(key) => None,
            None => {
                problems.push(
                    Diagnostic::error(
                        PathBuf::from(CONFIG_FILE),
                        format!("`security_txt.policy: {}`: there is no page content/{key}", s.policy),
                    )
                    .at_line(line("policy"))
                    .with_hint("Point it at the disclosure policy page, e.g. `@/vulnerability-disclosure.md`."),
                );
                None
            }
        },
        None => Some(s.policy.clone()),
    };
    if let Some(p) = policy {
        let _ = writeln!(out, "Policy: {p}");
    }
    if let Some(h) = &s.hiring {
        let _ = writeln!(out, "Hiring: {h}");
    }

    let left = expires - now;
    if left <= chrono::Duration::zero() {
        problems.push(
            Diagnostic::error(
                PathBuf::from(CONFIG_FILE),
                format!(
                    "security.txt expired on {}: researchers are told not to trust it",
                    expires.date_naive()
                ),
            )
            .at_line(line("expires"))
            .with_hint("Review the contacts and set `security_txt.expires` to a date less than a year ahead."),
        );
    } else if left < chrono::Duration::days(30) {
        problems.push(
            Diagnostic::warning(
                PathBuf::from(CONFIG_FILE),
                format!(
                    "security.txt expires in {} days ({})",
                    left.num_days(),
                    expires.date_naive()
                ),
            )
            .at_line(line("expires"))
            .with_hint("Review the contacts and move `security_txt.expires` up to a year ahead."),
        );
    } else if left > chrono::Duration::days(366) {
        problems.push(
            Diagnostic::warning(
                PathBuf::from(CONFIG_FILE),
                "security.txt expires more than a year ahead; RFC 9116 recommends less than a year",
            )
            .at_line(line("expires"))
            .with_hint("Set `security_txt.expires` to a date within the next year."),
        );
    }
    (out, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_xml_specials() {
        assert_eq!(xml_escape("a&b<c>\"'"), "a&amp;b&lt;c&gt;&quot;&apos;");
    }
}
