//! The site search's index, one per language, written at build time for the theme's script
//! (`themes/default/static/js/search.js`).
//!
//! A language's index is `/<lang>/search-index.json`. While the entries of its pages are small
//! (under [`SHARD_ABOVE`] bytes together) that file is the whole index: an array of [`Entry`]s,
//! which the script loads once and searches by substring. A larger site would make every visitor
//! who searches download megabytes, so its index is split:
//!
//! - `search-index.json` is then a small manifest ([`Manifest`]): how many pages, how many of
//!   them each document chunk holds, and which term shards exist;
//! - `search-index/t-<hex>.json`: the terms that begin with the same two characters (the hex of their
//!   UTF-8 bytes names the file), each with its postings: page number, where the term occurs
//!   (title, headings, description: [`IN_TITLE`], [`IN_HEADINGS`], [`IN_DESCRIPTION`]) and how
//!   often in the text (at most [`MAX_COUNT`]);
//! - `search-index/d-<n>.json`: chunk `n` of the pages (title, URL, description, headings and the
//!   start of the text, for the result list).
//!
//! A query downloads the manifest, one shard per word (every word of the query must occur, as a
//! word or the start of one) and the chunks of the results it shows.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use unicode_normalization::{IsNormalized, UnicodeNormalization as _, is_nfc_quick};

use crate::site::content::Site;
use crate::site::output::OutputFile;

/// Above this many bytes of entries a language's index is split into shards.
pub const SHARD_ABOVE: usize = 4 * 1024 * 1024;
/// Pages per document chunk of a split index.
pub const CHUNK: usize = 200;
/// How much of a page's text a split index keeps for the result list.
pub const SNIPPET: usize = 240;
/// The term occurs in the title.
pub const IN_TITLE: u32 = 1;
/// The term occurs in a heading.
pub const IN_HEADINGS: u32 = 2;
/// The term occurs in the description.
pub const IN_DESCRIPTION: u32 = 4;
/// Occurrences in the text beyond this count no more.
pub const MAX_COUNT: u32 = 10;

/// A page's entry in its language's index.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
    /// Headings, joined with ` · `.
    pub h: String,
    /// Title.
    pub t: String,
    /// URL (root-relative).
    pub u: String,
    /// The text (at most [`crate::site::markdown::TEXT_LIMIT`] bytes).
    pub x: String,
}

impl Entry {
    /// The bytes this entry takes in a whole index.
    fn size(&self) -> usize {
        self.t.len()
            + self.u.len()
            + self.h.len()
            + self.x.len()
            + self.d.as_ref().map_or(0, String::len)
            + 32
    }
}

/// `search-index.json` of a split index.
#[derive(Debug, Serialize)]
pub struct Manifest {
    /// Format version.
    pub v: u32,
    /// Pages in the index.
    pub docs: usize,
    /// Pages per document chunk (`search-index/d-<n>.json` holds pages `n * chunk ..`).
    pub chunk: usize,
    /// The term shards that exist (hex of the first two characters' UTF-8 bytes).
    pub shards: Vec<String>,
}

/// The entries of the pages in `lang`, in page order (`entries` is indexed like the site's
/// pages).
pub fn of_language<'e>(site: &Site, entries: &'e [Entry], lang: &str) -> Vec<&'e Entry> {
    site.pages
        .iter()
        .zip(entries)
        .filter(|(p, _)| p.lang == lang)
        .map(|(_, e)| e)
        .collect()
}

/// Where a language's index starts.
pub fn index_path(lang: &str) -> String {
    format!("{lang}/search-index.json")
}

/// The folder of a split index's files.
pub fn parts_dir(lang: &str) -> String {
    format!("{lang}/search-index/")
}

fn shard_prefix(lang: &str) -> String {
    format!("{}t-", parts_dir(lang))
}

fn chunk_prefix(lang: &str) -> String {
    format!("{}d-", parts_dir(lang))
}

/// A search term: lower case, NFC. Text that is already both comes back borrowed.
pub fn normalize(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        }
    } else if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Owned(text.to_lowercase())
    } else {
        Cow::Owned(text.nfc().collect::<String>().to_lowercase())
    }
}

/// The words of `text`, normalized ([`normalize`]): runs of letters and digits.
pub fn words(text: &str) -> Words<'_> {
    Words {
        text,
        at: 0,
        ascii: text.is_ascii(),
    }
}

/// The iterator of [`words`].
pub struct Words<'a> {
    text: &'a str,
    at: usize,
    ascii: bool,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.ascii {
            // Byte by byte: most text is ASCII, and this is the index's hottest loop.
            let bytes = self.text.as_bytes();
            let start = self.at
                + bytes[self.at..]
                    .iter()
                    .position(u8::is_ascii_alphanumeric)?;
            let end = bytes[start..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(bytes.len(), |n| start + n);
            self.at = end;
            return Some(&self.text[start..end]);
        }
        let rest = &self.text[self.at..];
        let (skip, _) = rest.char_indices().find(|(_, c)| c.is_alphanumeric())?;
        let start = self.at + skip;
        let end = self.text[start..]
            .char_indices()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(self.text.len(), |(n, _)| start + n);
        self.at = end;
        Some(&self.text[start..end])
    }
}

/// The shard a term belongs to: the hex of its first two characters' UTF-8 bytes.
pub fn shard_of(term: &str) -> String {
    let end = term.char_indices().nth(2).map_or(term.len(), |(i, _)| i);
    term[..end].bytes().map(|b| format!("{b:02x}")).collect()
}

/// The index files of one language from its pages' entries (in page order).
pub fn index_files(lang: &str, entries: &[&Entry]) -> Vec<OutputFile> {
    if is_split(entries) {
        split(lang, entries)
    } else {
        vec![whole(lang, entries)]
    }
}

/// Whether the index of these entries is split.
fn is_split(entries: &[&Entry]) -> bool {
    entries.iter().map(|e| e.size()).sum::<usize>() > SHARD_ABOVE
}

/// Pages whose postings are made together (in parallel with other runs).
const RUN: usize = 256;

/// The whole index as one array.
fn whole(lang: &str, entries: &[&Entry]) -> OutputFile {
    let mut json = Vec::with_capacity(entries.iter().map(|e| e.size()).sum::<usize>() + 2);
    json.push(b'[');
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            json.push(b',');
        }
        // Strings and an option: serializing cannot fail.
        let _ = serde_json::to_writer(&mut json, entry);
    }
    json.push(b']');
    OutputFile::bytes(index_path(lang), json)
}

/// The postings of one term: page number, where ([`IN_TITLE`] …), how often in the text.
type Postings = Vec<[u32; 3]>;

/// The terms of pages `first..` (`entries`), with their postings in page order.
fn postings(first: usize, entries: &[&Entry]) -> FxHashMap<String, Postings> {
    let mut terms: FxHashMap<String, Postings> = FxHashMap::default();
    for (n, entry) in entries.iter().enumerate() {
        let fields = [
            (normalize(&entry.t), IN_TITLE),
            (normalize(&entry.h), IN_HEADINGS),
            (normalize(entry.d.as_deref().unwrap_or("")), IN_DESCRIPTION),
            (normalize(&entry.x), 0),
        ];
        let mut seen: FxHashMap<&str, (u32, u32)> = FxHashMap::default();
        for (text, flag) in &fields {
            for word in words(text) {
                let slot = seen.entry(word).or_default();
                slot.0 |= flag;
                if *flag == 0 {
                    slot.1 = (slot.1 + 1).min(MAX_COUNT);
                }
            }
        }
        let doc = (first + n) as u32;
        for (word, (flags, count)) in seen {
            match terms.get_mut(word) {
                Some(p) => p.push([doc, flags, count]),
                None => {
                    terms.insert(word.to_owned(), vec![[doc, flags, count]]);
                }
            }
        }
    }
    terms
}

/// The terms of all `entries` with their postings: pages in parallel, in runs whose postings
/// are then joined in page order.
fn all_postings(entries: &[&Entry]) -> FxHashMap<String, Postings> {
    let runs: Vec<FxHashMap<String, Postings>> = entries
        .par_chunks(RUN)
        .enumerate()
        .map(|(r, run)| postings(r * RUN, run))
        .collect();
    let mut terms: FxHashMap<String, Postings> = FxHashMap::default();
    for run in runs {
        for (term, p) in run {
            match terms.get_mut(&term) {
                Some(all) => all.extend(p),
                None => {
                    terms.insert(term, p);
                }
            }
        }
    }
    terms
}

/// The split index: manifest, term shards, document chunks.
fn split(lang: &str, entries: &[&Entry]) -> Vec<OutputFile> {
    // Shards in a stable order: by shard, then term.
    let mut shards: BTreeMap<String, BTreeMap<String, Postings>> = BTreeMap::new();
    for (term, postings) in all_postings(entries) {
        shards
            .entry(shard_of(&term))
            .or_default()
            .insert(term, postings);
    }
    let mut files = Vec::with_capacity(shards.len() + entries.len() / CHUNK + 2);
    files.push(manifest_file(lang, entries.len(), &shards));
    let shards: Vec<(String, BTreeMap<String, Postings>)> = shards.into_iter().collect();
    files.par_extend(shards.into_par_iter().map(|(shard, terms)| {
        shard_file(lang, &shard, terms.iter().map(|(t, p)| (t.as_str(), p)))
    }));
    files.par_extend(
        entries
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(n, chunk)| chunk_file(lang, n, chunk)),
    );
    files
}

/// `search-index.json` of a split index.
fn manifest_file<T>(lang: &str, docs: usize, shards: &BTreeMap<String, T>) -> OutputFile {
    let manifest = Manifest {
        v: 1,
        docs,
        chunk: CHUNK,
        shards: shards.keys().cloned().collect(),
    };
    OutputFile::bytes(
        index_path(lang),
        serde_json::to_vec(&manifest).unwrap_or_default(),
    )
}

/// A term shard: `{"term":[doc,flags,count,doc,…],…}` (flat arrays keep it small), terms in
/// order.
fn shard_file<'a>(
    lang: &str,
    shard: &str,
    terms: impl Iterator<Item = (&'a str, &'a Postings)>,
) -> OutputFile {
    let flat: BTreeMap<&str, Vec<u32>> = terms
        .map(|(t, p)| (t, p.iter().flatten().copied().collect()))
        .collect();
    OutputFile::bytes(
        format!("{}{shard}.json", shard_prefix(lang)),
        serde_json::to_vec(&flat).unwrap_or_default(),
    )
}

/// Page chunk `n`: its pages with the start of their text.
fn chunk_file(lang: &str, n: usize, chunk: &[&Entry]) -> OutputFile {
    let docs: Vec<Entry> = chunk
        .iter()
        .map(|e| Entry {
            x: snippet(&e.x).to_owned(),
            ..(*e).clone()
        })
        .collect();
    OutputFile::bytes(
        format!("{}{n}.json", chunk_prefix(lang)),
        serde_json::to_vec(&docs).unwrap_or_default(),
    )
}

/// A language's split index kept between rebuilds (the preview), so that an edit rewrites only
/// the shards of the words it removed or added and the chunk of its page. Its files are always
/// those [`index_files`] makes from the same entries.
pub struct Live {
    lang: String,
    /// Postings per term, in page order.
    terms: FxHashMap<String, Postings>,
    /// The terms of each shard.
    shards: BTreeMap<String, std::collections::BTreeSet<String>>,
}

/// What an edit changes in a language's index files.
#[derive(Debug, Default)]
pub struct Changed {
    /// Files made again.
    pub files: Vec<OutputFile>,
    /// Files no longer made (shards left without terms).
    pub removed: Vec<String>,
}

impl Live {
    /// The live index of `lang` over its pages' `entries`, when the index is split (`None`
    /// while it is one file, which [`index_files`] remakes whole).
    pub fn new(lang: &str, entries: &[&Entry]) -> Option<Live> {
        if !is_split(entries) {
            return None;
        }
        let terms = all_postings(entries);
        let mut shards: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
        for term in terms.keys() {
            shards
                .entry(shard_of(term))
                .or_default()
                .insert(term.clone());
        }
        Some(Live {
            lang: lang.to_owned(),
            terms,
            shards,
        })
    }

    /// Page `doc` (its number among the language's pages) changed from `old` to
    /// `entries[doc]`: updates the postings and returns the files that change. `None` when the
    /// edit moves the index across [`SHARD_ABOVE`] (then the caller remakes it whole).
    pub fn update(&mut self, doc: usize, old: &Entry, entries: &[&Entry]) -> Option<Changed> {
        if !is_split(entries) {
            return None;
        }
        let new = entries[doc];
        let before = postings(doc, &[old]);
        let after = postings(doc, &[new]);
        let mut touched = std::collections::BTreeSet::new();
        let mut shards_changed = false;
        for term in before.keys() {
            if after.get(term) == before.get(term) {
                continue;
            }
            touched.insert(shard_of(term));
            if let Some(p) = self.terms.get_mut(term) {
                p.retain(|[d, _, _]| *d as usize != doc);
                if p.is_empty() {
                    self.terms.remove(term);
                    let shard = shard_of(term);
                    if let Some(set) = self.shards.get_mut(&shard) {
                        set.remove(term);
                        if set.is_empty() {
                            self.shards.remove(&shard);
                            shards_changed = true;
                        }
                    }
                }
            }
        }
        for (term, p) in after {
            if before.get(&term) == Some(&p) {
                continue;
            }
            let shard = shard_of(&term);
            touched.insert(shard.clone());
            let all = match self.terms.get_mut(&term) {
                Some(all) => all,
                None => {
                    if !self.shards.contains_key(&shard) {
                        shards_changed = true;
                    }
                    self.shards.entry(shard).or_default().insert(term.clone());
                    self.terms.entry(term).or_default()
                }
            };
            let at = all.partition_point(|[d, _, _]| (*d as usize) < doc);
            all.insert(at, p[0]);
        }
        let mut changed = Changed::default();
        if shards_changed {
            changed
                .files
                .push(manifest_file(&self.lang, entries.len(), &self.shards));
        }
        for shard in touched {
            match self.shards.get(&shard) {
                Some(terms) => changed.files.push(shard_file(
                    &self.lang,
                    &shard,
                    terms.iter().map(|t| (t.as_str(), &self.terms[t])),
                )),
                None => changed
                    .removed
                    .push(format!("{}{shard}.json", shard_prefix(&self.lang))),
            }
        }
        let n = doc / CHUNK;
        let end = ((n + 1) * CHUNK).min(entries.len());
        changed
            .files
            .push(chunk_file(&self.lang, n, &entries[n * CHUNK..end]));
        Some(changed)
    }
}

/// The start of a text, at most [`SNIPPET`] bytes, cut at a character boundary.
fn snippet(text: &str) -> &str {
    let mut end = text.len().min(SNIPPET);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(t: &str, d: Option<&str>, h: &str, x: &str, u: &str) -> Entry {
        Entry {
            d: d.map(str::to_owned),
            h: h.to_owned(),
            t: t.to_owned(),
            u: u.to_owned(),
            x: x.to_owned(),
        }
    }

    fn json(file: &OutputFile) -> serde_json::Value {
        match &file.data {
            crate::site::output::Data::Bytes(b) => serde_json::from_slice(b).unwrap(),
            crate::site::output::Data::Copy(_) => panic!("a copy"),
        }
    }

    #[test]
    fn words_are_lower_case_nfc_runs_of_letters_and_digits() {
        let text = normalize("Verschlu\u{308}sselung: AES-256 & TLS 1.3 — Überblick");
        assert_eq!(
            words(&text).collect::<Vec<_>>(),
            [
                "verschlüsselung",
                "aes",
                "256",
                "tls",
                "1",
                "3",
                "überblick"
            ]
        );
        assert_eq!(shard_of("über"), "c3bc62");
        assert_eq!(shard_of("a"), "61");
    }

    #[test]
    fn a_small_index_is_one_array_of_entries() {
        let a = entry(
            "Encryption",
            Some("How"),
            "At rest",
            "We encrypt.",
            "/en/e/",
        );
        let files = index_files("en", &[&a]);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "en/search-index.json");
        assert_eq!(
            json(&files[0]),
            serde_json::json!([{"d": "How", "h": "At rest", "t": "Encryption", "u": "/en/e/", "x": "We encrypt."}])
        );
    }

    #[test]
    fn a_large_index_is_split_into_shards_and_chunks_that_find_every_page() {
        let filler = "lorem ipsum dolor ".repeat(220); // ~4 KB of text a page
        let entries: Vec<Entry> = (0..1_200)
            .map(|i| {
                entry(
                    &format!("Page {i} Überblick"),
                    (i % 2 == 0).then_some("Encryption at rest"),
                    "Keys",
                    &format!("{filler} unique{i} backup backup"),
                    &format!("/en/p{i}/"),
                )
            })
            .collect();
        let refs: Vec<&Entry> = entries.iter().collect();
        let files = index_files("en", &refs);
        let manifest = json(&files[0]);
        assert_eq!(files[0].path, "en/search-index.json");
        assert_eq!(manifest["docs"], 1_200);
        assert_eq!(manifest["chunk"], CHUNK);
        let by_path: std::collections::HashMap<&str, &OutputFile> =
            files.iter().map(|f| (f.path.as_str(), f)).collect();
        // Every shard the manifest names exists, and no other.
        let shards: Vec<String> = manifest["shards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect();
        for s in &shards {
            assert!(by_path.contains_key(format!("en/search-index/t-{s}.json").as_str()));
        }
        let chunks = files
            .iter()
            .filter(|f| f.path.contains("/search-index/d-"))
            .count();
        assert_eq!(chunks, 1_200usize.div_ceil(CHUNK));
        assert_eq!(files.len(), 1 + shards.len() + chunks);
        // A word of one page's text leads to that page, through its shard and chunk.
        let shard =
            json(by_path[format!("en/search-index/t-{}.json", shard_of("unique777")).as_str()]);
        assert_eq!(shard["unique777"], serde_json::json!([777, 0, 1]));
        let chunk = json(by_path[format!("en/search-index/d-{}.json", 777 / CHUNK).as_str()]);
        assert_eq!(chunk[777 % CHUNK]["u"], "/en/p777/");
        assert!(chunk[777 % CHUNK]["x"].as_str().unwrap().len() <= SNIPPET);
        // Where a term stands: title, description, headings; counts are capped.
        let shard =
            json(by_path[format!("en/search-index/t-{}.json", shard_of("überblick")).as_str()]);
        assert_eq!(
            shard["überblick"].as_array().unwrap()[0..3],
            [
                serde_json::json!(0),
                serde_json::json!(IN_TITLE),
                serde_json::json!(0)
            ]
        );
        let shard =
            json(by_path[format!("en/search-index/t-{}.json", shard_of("encryption")).as_str()]);
        let postings = shard["encryption"].as_array().unwrap();
        assert_eq!(postings.len(), 600 * 3, "the even pages' descriptions");
        assert_eq!(postings[1], IN_DESCRIPTION);
        let shard = json(by_path[format!("en/search-index/t-{}.json", shard_of("lorem")).as_str()]);
        assert_eq!(shard["lorem"][2], MAX_COUNT);
        // No file is near the size of the whole.
        let largest = files
            .iter()
            .map(|f| match &f.data {
                crate::site::output::Data::Bytes(b) => b.len(),
                crate::site::output::Data::Copy(_) => 0,
            })
            .max()
            .unwrap();
        assert!(largest < 200_000, "{largest}");
    }
}
