//! The site's terminology: per language, the terms this site does not use and the ones it
//! writes instead (`terminology:` in `site.yaml`), and the check that finds them in pages (text
//! and front matter), data files, `site.yaml`'s own texts and the UI strings.
//!
//! A term matches where a word begins and as a prefix: `Werktag` also finds `Werktage` and
//! `Werktagen`, never `Bankwerktag`. Matching is case-sensitive (German nouns are capitalized,
//! and `Editionen` is not `editionen`); a term that begins with a small letter also matches with
//! a capital at the start of a sentence (`unter NDA` finds `Unter NDA`). A space in a term
//! matches any run of white space, line breaks included. Code (spans and blocks), raw HTML
//! blocks, link targets, URLs, e-mail addresses and YAML comments are not checked.
//!
//! Uses are warnings: a term can be right in context (a quoted English title), so a build still
//! publishes, and `candor check --strict` (what CI runs) fails on them.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, line_col, relative_to};
use crate::site::config::{CONFIG_FILE, Config, key_line};

/// The key in `site.yaml` that holds the lists.
pub const KEY: &str = "terminology";

/// A term the site does not use, and the one it writes instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The discouraged term as configured (`Werktag`).
    pub discouraged: String,
    /// What the site writes instead (`Arbeitstag`).
    pub preferred: String,
    /// The discouraged term's words (a space matches any white space).
    words: Vec<String>,
    /// The first word with a capital, when the term begins with a small letter (sentence start).
    capitalized: Option<String>,
}

impl Term {
    /// A term from its discouraged and preferred forms.
    pub fn new(discouraged: &str, preferred: &str) -> Self {
        let words: Vec<String> = discouraged.split_whitespace().map(str::to_owned).collect();
        let capitalized = words.first().and_then(|w| {
            let mut chars = w.chars();
            let first = chars.next()?;
            first.is_lowercase().then(|| {
                let mut c: String = first.to_uppercase().collect();
                c.push_str(chars.as_str());
                c
            })
        });
        Term {
            discouraged: discouraged.trim().to_owned(),
            preferred: preferred.trim().to_owned(),
            words,
            capitalized,
        }
    }
}

/// The terms of every language (from `site.yaml`).
#[derive(Debug, Clone, Default)]
pub struct Terminology {
    /// Terms per language code, longest first (so that the longest of overlapping terms is the
    /// one reported).
    by_lang: Vec<(String, Vec<Term>)>,
    /// The site's languages: a YAML key that is one of them marks text in that language.
    languages: Vec<String>,
}

impl Terminology {
    /// The lists configured in `config`.
    pub fn new(config: &Config) -> Self {
        let by_lang = config
            .terminology
            .iter()
            .map(|(lang, terms)| {
                let mut terms: Vec<Term> = terms
                    .iter()
                    .map(|(d, p)| Term::new(d, p))
                    .filter(|t| !t.words.is_empty())
                    .collect();
                terms.sort_by_key(|t| std::cmp::Reverse(t.discouraged.len()));
                (lang.clone(), terms)
            })
            .collect();
        Terminology {
            by_lang,
            languages: config.languages.clone(),
        }
    }

    /// The terms of `lang` (none when it has no list).
    pub fn of(&self, lang: &str) -> &[Term] {
        self.by_lang
            .iter()
            .find(|(l, _)| l == lang)
            .map_or(&[], |(_, t)| t.as_slice())
    }

    /// Whether no language has any term.
    pub fn is_empty(&self) -> bool {
        self.by_lang.iter().all(|(_, t)| t.is_empty())
    }

    fn is_language(&self, key: &str) -> bool {
        self.languages.iter().any(|l| l == key)
    }
}

/// The checks of `terminology:` in `site.yaml` (`text`): configured languages, terms that can match, preferred terms
/// that the check would not flag in turn.
pub fn validate(config: &Config, text: &str) -> Vec<Diagnostic> {
    let display = Path::new(CONFIG_FILE);
    let mut out = Vec::new();
    let block = key_line(text, KEY);
    // The line of an entry: the first line after `terminology:` that starts with the term
    // (quoted or not); the block's line when it cannot be found.
    let line_of = |term: &str| {
        let start = block.unwrap_or(1);
        text.lines()
            .enumerate()
            .skip(start)
            .find(|(_, l)| {
                l.trim_start()
                    .trim_start_matches(['"', '\''])
                    .starts_with(term)
            })
            .map(|(i, _)| i + 1)
            .or(block)
    };
    let err = |line: Option<usize>, message: String, hint: &str| {
        let d = Diagnostic::error(display.to_path_buf(), message).with_hint(hint.to_owned());
        match line {
            Some(l) => d.at_line(l),
            None => d,
        }
    };
    for (lang, terms) in &config.terminology {
        if !config.has_language(lang) {
            out.push(err(
                line_of(lang),
                format!("`{KEY}` names `{lang}`, which is not one of `languages`"),
                "Use the codes listed under `languages`, e.g. `terminology: {de: {Werktag: Arbeitstag}}`.",
            ));
        }
        for (discouraged, preferred) in terms {
            let line = line_of(discouraged);
            if !discouraged
                .trim()
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
            {
                out.push(err(
                    line,
                    format!("`{KEY}.{lang}`: the term \"{discouraged}\" must begin with a letter or digit"),
                    "A term matches where a word begins; write the word, e.g. `Werktag: Arbeitstag`.",
                ));
                continue;
            }
            if preferred.trim().is_empty() {
                out.push(err(
                    line,
                    format!("`{KEY}.{lang}`: \"{discouraged}\" has no preferred term"),
                    "Write the term the site uses instead, e.g. `Werktag: Arbeitstag`.",
                ));
                continue;
            }
            let term = Term::new(discouraged, preferred);
            if !find(std::slice::from_ref(&term), preferred).is_empty() {
                out.push(err(
                    line,
                    format!(
                        "`{KEY}.{lang}`: the preferred \"{preferred}\" begins with \"{discouraged}\", \
                         so the check would flag the preferred wording too"
                    ),
                    "A term matches every word that begins with it; name the discouraged term more \
                     narrowly (e.g. with the word that follows it).",
                ));
            }
        }
    }
    out
}

/// One use of a discouraged term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte offset in the text searched.
    pub offset: usize,
    /// The words found, from the term's start to the end of its last word, white space
    /// collapsed (`Werktagen`).
    pub found: String,
    /// Index of the term in the list searched.
    pub term: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Every use of `terms` in `text`, in order of offset; where several terms match at one place,
/// the first of `terms` ([`Terminology`] sorts them longest first).
///
/// One pass over the text: only a byte that begins some term's first word, at the start of a
/// word, is compared with the terms (a pass per term was a quarter of a build's time).
pub fn find(terms: &[Term], text: &str) -> Vec<Hit> {
    // Each term's first word (and its capitalized form) with its first two bytes, in the order
    // of `terms`; and which bytes begin one.
    let mut firsts: Vec<([u8; 2], &[u8], usize)> = Vec::new();
    let mut starts = [false; 256];
    for (index, term) in terms.iter().enumerate() {
        for word in term.words.first().into_iter().chain(&term.capitalized) {
            let w = word.as_bytes();
            if let Some(&b) = w.first() {
                starts[usize::from(b)] = true;
                firsts.push(([b, w.get(1).copied().unwrap_or(0)], w, index));
            }
        }
    }
    let bytes = text.as_bytes();
    let mut hits: Vec<Hit> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        // A byte that begins a term's word is ASCII or the lead byte of a character, never a
        // continuation byte: `at` is a character boundary.
        if !starts[usize::from(bytes[at])]
            || text[..at].chars().next_back().is_some_and(is_word_char)
        {
            at += 1;
            continue;
        }
        let key = [bytes[at], bytes.get(at + 1).copied().unwrap_or(0)];
        let matched = firsts.iter().find_map(|&(k, word, index)| {
            if (k[1] != 0 && k != key) || !bytes[at..].starts_with(word) {
                return None;
            }
            let end = match_rest(text, at + word.len(), &terms[index].words[1..])?;
            Some((index, end))
        });
        let Some((index, end)) = matched else {
            at += 1;
            continue;
        };
        if !in_url(text, at) {
            let word_end = text[end..]
                .char_indices()
                .find(|&(_, c)| !is_word_char(c))
                .map_or(text.len(), |(i, _)| end + i);
            let found = text[at..word_end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            hits.push(Hit {
                offset: at,
                found,
                term: index,
            });
        }
        at = end;
    }
    hits
}

/// Matches the words after a term's first word from `from` on: each after at least one
/// white-space character. Returns the end of the last word.
fn match_rest(text: &str, mut from: usize, words: &[String]) -> Option<usize> {
    for word in words {
        let rest = &text[from..];
        let trimmed = rest.trim_start();
        if trimmed.len() == rest.len() || !trimmed.starts_with(word.as_str()) {
            return None;
        }
        from += rest.len() - trimmed.len() + word.len();
    }
    Some(from)
}

/// Whether the white-space-delimited token around `at` is a URL, an address or a path.
fn in_url(text: &str, at: usize) -> bool {
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..]
        .char_indices()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(text.len(), |(i, _)| at + i);
    let token = &text[start..end];
    token.contains("://") || token.contains("www.") || token.contains('@')
}

/// The diagnostic for `hit` of `term` at a position of `path`.
fn diagnostic(path: &Path, line: usize, column: usize, hit: &Hit, term: &Term) -> Diagnostic {
    Diagnostic::warning(
        path.to_path_buf(),
        format!(
            "\"{}\" — this site writes \"{}\" (terminology in {CONFIG_FILE})",
            hit.found, term.preferred
        ),
    )
    .at(line, column)
    .with_hint(format!(
        "Write \"{}\", with the ending the sentence needs (the site's terms are listed under \
         `{KEY}` in {CONFIG_FILE}).",
        term.preferred
    ))
}

/// Checks the prose of a Markdown body: `prose` are the byte ranges of `body` that are text
/// (not code, HTML, link targets or autolinks), in order. `body_line` is the 1-based line of
/// the body's first line in `path`.
pub fn check_prose(
    terms: &[Term],
    body: &str,
    prose: &[Range<usize>],
    path: &Path,
    body_line: usize,
) -> Vec<Diagnostic> {
    if terms.is_empty() || prose.is_empty() {
        return Vec::new();
    }
    // Everything but the prose becomes spaces (line breaks stay), so that offsets, lines and
    // columns are those of the file and a term split by a line break or emphasis still matches.
    let mut masked = String::with_capacity(body.len());
    let blank = |masked: &mut String, gap: &str| {
        masked.extend(gap.bytes().map(|b| if b == b'\n' { '\n' } else { ' ' }));
    };
    for r in prose {
        let (Some(gap), Some(text)) = (body.get(masked.len()..r.start), body.get(r.clone())) else {
            // Ranges out of order or off character boundaries: left out.
            continue;
        };
        blank(&mut masked, gap);
        masked.push_str(text);
    }
    let rest = body.get(masked.len()..).unwrap_or("");
    blank(&mut masked, rest);
    find(terms, &masked)
        .into_iter()
        .map(|hit| {
            let (line, column) = line_col(body, hit.offset);
            diagnostic(path, line + body_line - 1, column, &hit, &terms[hit.term])
        })
        .collect()
}

/// What the YAML scanner does with text that is not under a language key.
#[derive(Clone, Copy)]
struct YamlScan<'a> {
    /// The language of text outside language keys (a page's), or `None` to check only text
    /// under language keys (`site.yaml`, data files).
    default_lang: Option<&'a str>,
    /// Keys whose values are not prose (file names, slugs) or not the site's text.
    skip_keys: &'a [&'a str],
}

/// Keys of a page's front matter whose values are not prose.
const FRONT_MATTER_SKIP: &[&str] = &[
    "slug",
    "aliases",
    "template",
    "translated_from",
    "files",
    "id",
];

/// Checks the front matter of a page in `lang`: `front` is the page's text up to its body (the
/// `---` lines included), `path` its file. Text under a key that is a language code
/// (`notes: {de: …}`) is checked against that language's list.
pub fn check_front_matter(
    terminology: &Terminology,
    front: &str,
    lang: &str,
    path: &Path,
) -> Vec<Diagnostic> {
    if terminology.is_empty() {
        return Vec::new();
    }
    let scan = YamlScan {
        default_lang: Some(lang),
        skip_keys: FRONT_MATTER_SKIP,
    };
    check_yaml(terminology, front, 1, scan, path)
}

/// Checks `site.yaml`'s texts per language (`title`, `description`), the data files under
/// `content/_data/` (their texts under language keys) and the UI strings
/// (`locales/<lang>/*.ftl`) of every language that has a list.
pub fn check_files(terminology: &Terminology, root: &Path, config_text: &str) -> Vec<Diagnostic> {
    if terminology.is_empty() {
        return Vec::new();
    }
    let mut problems = check_yaml(
        terminology,
        config_text,
        1,
        YamlScan {
            default_lang: None,
            skip_keys: &[KEY, "paginate_path"],
        },
        Path::new(CONFIG_FILE),
    );
    let data_dir = root
        .join(crate::site::content::CONTENT_DIR)
        .join(crate::site::content::DATA_DIR);
    let mut data_files: Vec<PathBuf> = walkdir::WalkDir::new(&data_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    data_files.sort();
    let data_scan = YamlScan {
        default_lang: None,
        skip_keys: &["id", "files", "url"],
    };
    for file in data_files {
        // Unreadable files are reported where data files are loaded.
        if let Ok(text) = std::fs::read_to_string(&file) {
            problems.extend(check_yaml(
                terminology,
                &text,
                1,
                data_scan,
                &relative_to(&file, root),
            ));
        }
    }
    for (lang, terms) in &terminology.by_lang {
        if terms.is_empty() {
            continue;
        }
        let dir = root.join(crate::site::i18n::LOCALES_DIR).join(lang);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
            .collect();
        files.sort();
        for file in files {
            if let Ok(text) = std::fs::read_to_string(&file) {
                problems.extend(check_fluent(terms, &text, &relative_to(&file, root)));
            }
        }
    }
    problems
}

/// Checks the texts of a Fluent file: message values, attributes and variants, without
/// comments, identifiers, placeables (`{ $name }`) and variant keys (`*[other]`).
pub fn check_fluent(terms: &[Term], text: &str, path: &Path) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut masked: Vec<u8> = line.bytes().collect();
        let mut blank = |r: Range<usize>| {
            for b in &mut masked[r] {
                *b = b' ';
            }
        };
        let indent = line.len() - trimmed.len();
        // `key =` / `-term =` at the start of a line, `.attr =` indented: the text follows `=`.
        let is_definition = (indent == 0 || trimmed.starts_with('.'))
            && trimmed.split_once('=').is_some_and(|(id, _)| {
                let id = id.trim_end().trim_start_matches(['.', '-']);
                !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            });
        if is_definition && let Some(eq) = line.find('=') {
            blank(0..eq + 1);
        }
        // A variant key at the start of a line: `[one]`, `*[other]`.
        let variant = trimmed.strip_prefix('*').unwrap_or(trimmed);
        if variant.starts_with('[')
            && let Some(close) = variant.find(']')
        {
            let start = line.len() - variant.len();
            blank(indent..start + close + 1);
        }
        // Placeables: `{ … }` on one line; an opening `{ $x ->` to the end of the line; a
        // closing `}` of a select expression.
        let bytes = line.as_bytes();
        let mut depth_start: Option<usize> = None;
        let mut depth = 0usize;
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'{' => {
                    if depth == 0 {
                        depth_start = Some(i);
                    }
                    depth += 1;
                }
                b'}' => {
                    if depth > 0 {
                        depth -= 1;
                        if depth == 0
                            && let Some(s) = depth_start.take()
                        {
                            blank(s..i + 1);
                        }
                    } else {
                        blank(i..i + 1);
                    }
                }
                _ => {}
            }
        }
        if let Some(s) = depth_start {
            blank(s..line.len());
        }
        let Ok(masked) = String::from_utf8(masked) else {
            continue;
        };
        for hit in find(terms, &masked) {
            let (_, column) = line_col(line, hit.offset);
            problems.push(diagnostic(path, n + 1, column, &hit, &terms[hit.term]));
        }
    }
    problems
}

/// A key of the YAML block structure above a line.
struct Open<'a> {
    indent: usize,
    key: &'a str,
}

/// A value's text, possibly over several lines, in one language: each part is a line's 0-based
/// number, the byte offset of the part in that line, and the part.
struct Chunk<'a> {
    lang: Option<String>,
    parts: Vec<(usize, usize, &'a str)>,
}

/// Checks YAML text line by line: keys, comments and values of skipped keys are left out; a
/// value's language is that of the innermost enclosing key that is a language code, else
/// `scan.default_lang`. A value over several lines is checked as one text. `first_line` is the
/// 1-based line of `text`'s first line in `path`.
fn check_yaml(
    terminology: &Terminology,
    text: &str,
    first_line: usize,
    scan: YamlScan<'_>,
    path: &Path,
) -> Vec<Diagnostic> {
    let lines: Vec<&str> = text.lines().collect();
    let mut chunks: Vec<Chunk<'_>> = Vec::new();
    let mut open: Vec<Open<'_>> = Vec::new();
    // The indentation of the key or list item whose value may continue on the next, more
    // indented lines; the value goes on in the last chunk.
    let mut scalar_from: Option<usize> = None;
    let lang_of = |open: &[Open<'_>]| -> Option<String> {
        if open.iter().any(|o| scan.skip_keys.contains(&o.key)) {
            return None;
        }
        open.iter()
            .rev()
            .find(|o| terminology.is_language(o.key))
            .map(|o| o.key.to_owned())
            .or_else(|| scan.default_lang.map(str::to_owned))
    };
    for (n, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.trim_end() == "---" {
            continue;
        }
        if let Some(from) = scalar_from
            && indent > from
        {
            // A continuation of a multi-line value (plain, quoted or block scalar).
            if let Some(chunk) = chunks.last_mut() {
                chunk.parts.push((n, indent, trimmed));
            }
            continue;
        }
        scalar_from = None;
        if trimmed.starts_with('#') {
            continue;
        }
        // List item markers: `- key: value` or `- value`.
        let mut at = indent;
        let mut dash = None;
        let mut rest = trimmed;
        while let Some(r) = rest
            .strip_prefix('-')
            .filter(|r| r.is_empty() || r.starts_with(' '))
        {
            let r2 = r.trim_start();
            dash = Some(at);
            at += rest.len() - r2.len();
            rest = r2;
        }
        while open.last().is_some_and(|o| o.indent >= at) {
            open.pop();
        }
        let (value_from, continues_after) = match yaml_key(rest) {
            Some((key, after)) => {
                open.push(Open { indent: at, key });
                let value = &rest[after..];
                (at + after + (value.len() - value.trim_start().len()), at)
            }
            // A list item's value goes on on lines indented more than its dash.
            None => (at, dash.unwrap_or(at)),
        };
        let value = strip_comment(&line[value_from..]).trim_end();
        if value.is_empty() {
            continue;
        }
        scalar_from = Some(continues_after);
        let lang = lang_of(&open);
        if value.starts_with('{') {
            // A flow mapping: `{en: "…", de: "…"}`, each entry in its key's language.
            for (entry, entry_at) in flow_entries(value) {
                let (lang, text, text_at) = match yaml_key(entry) {
                    Some((key, after)) => {
                        let lang = if scan.skip_keys.contains(&key)
                            || open.iter().any(|o| scan.skip_keys.contains(&o.key))
                        {
                            None
                        } else if terminology.is_language(key) {
                            Some(key.to_owned())
                        } else {
                            lang.clone()
                        };
                        (lang, &entry[after..], entry_at + after)
                    }
                    None => (lang.clone(), entry, entry_at),
                };
                chunks.push(Chunk {
                    lang,
                    parts: vec![(n, value_from + text_at, text)],
                });
            }
            // Further lines of the mapping, if any, in the enclosing language.
            chunks.push(Chunk {
                lang,
                parts: Vec::new(),
            });
        } else {
            let first = if value.starts_with(['|', '>']) {
                Vec::new()
            } else {
                vec![(n, value_from, value)]
            };
            chunks.push(Chunk { lang, parts: first });
        }
    }
    let mut problems = Vec::new();
    for chunk in chunks {
        let Some(lang) = chunk.lang else {
            continue;
        };
        let terms = terminology.of(&lang);
        if terms.is_empty() || chunk.parts.is_empty() {
            continue;
        }
        // The parts joined by line breaks; `starts` maps offsets back to lines.
        let mut joined = String::new();
        let mut starts = Vec::with_capacity(chunk.parts.len());
        for (i, (_, _, part)) in chunk.parts.iter().enumerate() {
            if i > 0 {
                joined.push('\n');
            }
            starts.push(joined.len());
            joined.push_str(part);
        }
        for hit in find(terms, &joined) {
            let i = starts
                .partition_point(|&s| s <= hit.offset)
                .saturating_sub(1);
            let (n, offset, _) = chunk.parts[i];
            let line = lines[n];
            let (_, column) = line_col(line, offset + hit.offset - starts[i]);
            problems.push(diagnostic(
                path,
                first_line + n,
                column,
                &hit,
                &terms[hit.term],
            ));
        }
    }
    problems
}

/// A `key:` at the start of `s` (plain or quoted, followed by a space or the end): the key and
/// the offset just after its colon.
fn yaml_key(s: &str) -> Option<(&str, usize)> {
    let (key, colon) = if let Some(q) = s.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        let close = s[1..].find(q)? + 1;
        (&s[1..close], close + 1)
    } else {
        let colon = s.find(':')?;
        let key = &s[..colon];
        if key.is_empty() || key.contains([' ', '\t', '{', '}', '[', ']', ',', '"', '\'', '#']) {
            return None;
        }
        (key, colon)
    };
    let after = s.get(colon..)?.strip_prefix(':')?;
    (after.is_empty() || after.starts_with([' ', '\t'])).then_some((key, colon + 1))
}

/// `s` without a trailing ` # comment` outside quotes.
fn strip_comment(s: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && (prev.is_whitespace() || "{[,:".contains(prev)) => {
                quote = Some(c);
            }
            None if c == '#' && prev.is_whitespace() => return &s[..i],
            None => {}
        }
        prev = c;
    }
    s
}

/// The top-level entries of a one-line flow mapping or sequence (`{a: 1, b: "x, y"}`), each
/// with its byte offset in `s`.
fn flow_entries(s: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut start = 0usize;
    for (i, c) in s.char_indices() {
        match quote {
            Some('"') if c == '\\' => {}
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '{' | '[' => {
                    depth += 1;
                    if depth == 1 {
                        start = i + 1;
                    }
                }
                '}' | ']' => {
                    if depth == 1 {
                        push_entry(&mut out, s, start, i);
                        start = i + 1;
                    }
                    depth = depth.saturating_sub(1);
                }
                ',' if depth == 1 => {
                    push_entry(&mut out, s, start, i);
                    start = i + 1;
                }
                _ => {}
            },
        }
    }
    if depth > 0 && start < s.len() {
        push_entry(&mut out, s, start, s.len());
    }
    out
}

fn push_entry<'a>(out: &mut Vec<(&'a str, usize)>, s: &'a str, start: usize, end: usize) {
    let Some(entry) = s.get(start..end) else {
        return;
    };
    let trimmed = entry.trim_start();
    if !trimmed.trim().is_empty() {
        out.push((trimmed.trim_end(), start + entry.len() - trimmed.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> Vec<Term> {
        let mut t = vec![
            Term::new("Werktag", "Arbeitstag"),
            Term::new("unter NDA", "unter einer Vertraulichkeitsvereinbarung"),
            Term::new("UK Addendum", "UK-Addendum"),
        ];
        t.sort_by_key(|t| std::cmp::Reverse(t.discouraged.len()));
        t
    }

    fn found(text: &str) -> Vec<(usize, String)> {
        find(&terms(), text)
            .into_iter()
            .map(|h| (h.offset, h.found))
            .collect()
    }

    #[test]
    fn terms_match_at_word_starts_as_prefixes_and_case_sensitively() {
        assert_eq!(
            found("Zehn Werktage, ein Werktag, Werktagen."),
            [
                (5, "Werktage".into()),
                (19, "Werktag".into()),
                (28, "Werktagen".into())
            ]
        );
        assert!(found("Bankwerktag werktags").is_empty());
        assert_eq!(found("(Werktag)"), [(1, "Werktag".into())]);
        assert_eq!(found("Nicht-Werktag"), [(6, "Werktag".into())]);
    }

    #[test]
    fn spaces_match_any_white_space_and_small_initials_match_capitals() {
        assert_eq!(found("nur unter\n  NDA."), [(4, "unter NDA".into())]);
        assert_eq!(found("Unter NDA geteilt"), [(0, "Unter NDA".into())]);
        assert!(found("unterNDA unter NDX").is_empty());
        assert!(found("UK-Addendum").is_empty());
        assert!(
            found("uK Addendum").is_empty(),
            "a capital is not made small"
        );
    }

    #[test]
    fn urls_and_addresses_are_not_checked() {
        assert!(found("https://example.com/Werktag www.Werktag.de Werktag@example.com").is_empty());
        assert_eq!(found("https://x.y/ Werktag"), [(13, "Werktag".into())]);
    }

    #[test]
    fn prose_ranges_keep_lines_and_columns_and_join_across_breaks() {
        let body = "Eins `Werktag` zwei\nunter\n*NDA* und Werktage.\n";
        // The prose ranges as the Markdown renderer records them: text outside the code span.
        let prose = [0..5, 14..25, 27..30, 31..body.len()];
        let d = check_prose(&terms(), body, &prose, Path::new("content/a.de.md"), 5);
        let at: Vec<_> = d
            .iter()
            .map(|d| (d.line.unwrap(), d.column.unwrap(), d.message.clone()))
            .collect();
        assert_eq!(at.len(), 2, "{at:#?}");
        assert_eq!((at[0].0, at[0].1), (6, 1));
        assert!(
            at[0]
                .2
                .starts_with("\"unter NDA\" — this site writes \"unter einer")
        );
        assert_eq!((at[1].0, at[1].1), (7, 11));
        assert_eq!(
            at[1].2,
            "\"Werktage\" — this site writes \"Arbeitstag\" (terminology in site.yaml)"
        );
        assert!(d.iter().all(|d| !d.is_error()));
    }

    fn terminology() -> Terminology {
        Terminology {
            by_lang: vec![("de".into(), terms())],
            languages: vec!["en".into(), "de".into()],
        }
    }

    fn yaml_hits(text: &str, default_lang: Option<&str>) -> Vec<(usize, usize, String)> {
        let scan = YamlScan {
            default_lang,
            skip_keys: FRONT_MATTER_SKIP,
        };
        check_yaml(&terminology(), text, 1, scan, Path::new("x.md"))
            .into_iter()
            .map(|d| {
                let found = d.message.split('"').nth(1).unwrap_or("").to_owned();
                (d.line.unwrap(), d.column.unwrap(), found)
            })
            .collect()
    }

    #[test]
    fn front_matter_text_is_checked_in_its_language_with_lines_and_columns() {
        let front = "---\n\
            title: Zehn Werktage # Werktag in a comment\n\
            slug: Werktage\n\
            description: >\n  Lang, unter\n  NDA.\n\
            notes: {en: \"ten Werktage\", de: \"zehn Werktage\"}\n\
            versions:\n  - version: \"1\"\n    notes:\n      en: Werktag\n      de: \"Werktag\"\n\
            extra:\n  Werktag: key only\n\
            ---\n";
        assert_eq!(
            yaml_hits(front, Some("de")),
            [
                (2, 13, "Werktage".into()),
                (5, 9, "unter NDA".into()),
                (7, 39, "Werktage".into()),
                (12, 12, "Werktag".into()),
            ]
        );
        // An English page: only its German texts.
        assert_eq!(
            yaml_hits(front, Some("en"))
                .into_iter()
                .map(|h| h.0)
                .collect::<Vec<_>>(),
            [7, 12]
        );
        // site.yaml and data files: only text under language keys.
        assert_eq!(
            yaml_hits("title: Werktag\nname: {de: Werktag}\n", None),
            [(2, 12, "Werktag".into())]
        );
    }

    #[test]
    fn fluent_values_are_checked_without_ids_placeables_and_variant_keys() {
        let ftl = "# Werktag in a comment\n\
            Werktag = Werktag { $Werktag }\n\
            days = { $n ->\n    [Werktag] ein Werktag\n   *[other] { $n } Werktage\n}\n\
            .title = Unter NDA\n";
        let d = check_fluent(&terms(), ftl, Path::new("locales/de/main.ftl"));
        let at: Vec<_> = d
            .iter()
            .map(|d| (d.line.unwrap(), d.column.unwrap()))
            .collect();
        assert_eq!(at, [(2, 11), (4, 19), (5, 20), (7, 10)]);
        assert_eq!(d[0].path.as_deref(), Some(Path::new("locales/de/main.ftl")));
    }

    #[test]
    fn the_lists_are_validated_naming_the_entrys_line() {
        let text = "\
title: {en: T, de: T}
description: {en: D, de: D}
base_url: https://trust.example.com
languages: [en, de]
company: {name: Example Cloud GmbH}
contacts: {security: security@example.com, privacy: privacy@example.com}
security_txt: {expires: 2030-01-01T00:00:00Z}
terminology:
  fr:
    Jour ouvrable: Jour travaillé
  de:
    Werktag: Arbeitstag
    \"-Queue\": Warteschlange
    Addendum: Addendum-Anlage
    Editionen: \" \"
";
        let config = crate::site::config::parse(text, Path::new("site.yaml")).unwrap();
        let problems: Vec<(Option<usize>, String)> = validate(&config, text)
            .into_iter()
            .map(|d| (d.line, d.message))
            .collect();
        assert_eq!(
            problems,
            [
                (
                    Some(13),
                    "`terminology.de`: the term \"-Queue\" must begin with a letter or digit".into()
                ),
                (
                    Some(14),
                    "`terminology.de`: the preferred \"Addendum-Anlage\" begins with \"Addendum\", \
                     so the check would flag the preferred wording too"
                        .into()
                ),
                (
                    Some(15),
                    "`terminology.de`: \"Editionen\" has no preferred term".into()
                ),
                (
                    Some(9),
                    "`terminology` names `fr`, which is not one of `languages`".into()
                ),
            ]
        );
        let t = Terminology::new(&config);
        assert_eq!(t.of("de")[0].discouraged, "Editionen", "longest first");
        assert!(t.of("en").is_empty());
    }

    #[test]
    fn hostile_yaml_and_fluent_never_panic() {
        for text in [
            "\"",
            "'unclosed: x",
            "{",
            "- - -",
            "a: {de: \"x",
            "ä: {de: ü, , }",
            ":\n  :",
            "-\n-",
            "de: \"Werktag\\\"",
            "k: [Werktag, {de: Werktag]",
        ] {
            let _ = yaml_hits(text, Some("de"));
            let _ = check_fluent(&terms(), text, Path::new("x.ftl"));
        }
    }
}
