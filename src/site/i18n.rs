//! UI strings from Project Fluent files (`locales/<lang>/*.ftl`), localized dates, and the check
//! that every language defines the same keys.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use fluent::concurrent::FluentBundle;
use fluent::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

use crate::error::{Diagnostic, line_col, relative_to};

/// The folder under the site root that holds the UI strings.
pub const LOCALES_DIR: &str = "locales";

/// Where a key is defined: file (relative to the site root) and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// The `.ftl` file.
    pub path: PathBuf,
    /// 1-based line of `key =`.
    pub line: usize,
}

/// The UI strings of every configured language.
pub struct Locales {
    bundles: HashMap<String, FluentBundle<FluentResource>>,
    keys: BTreeMap<String, BTreeMap<String, Definition>>,
}

impl std::fmt::Debug for Locales {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locales").field("keys", &self.keys).finish()
    }
}

/// Reads `locales/<lang>/*.ftl` for every language. Syntax errors and duplicate keys are reported
/// with file and line.
pub fn load(root: &Path, languages: &[String]) -> Result<Locales, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut bundles = HashMap::new();
    let mut keys = BTreeMap::new();
    for lang in languages {
        let dir = root.join(LOCALES_DIR).join(lang);
        let display_dir = relative_to(&dir, root);
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
                .collect(),
            Err(e) => {
                problems.push(
                    Diagnostic::error(display_dir, format!("cannot read the UI strings for `{lang}`: {e}"))
                        .with_hint(format!(
                            "Create locales/{lang}/ with the .ftl files of another language, translated."
                        )),
                );
                continue;
            }
        };
        files.sort();
        let langid = lang.parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        bundle.set_use_isolating(false);
        let mut defined = BTreeMap::new();
        for file in files {
            let display = relative_to(&file, root);
            let text = match std::fs::read_to_string(&file) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(Diagnostic::error(
                        display,
                        format!("cannot read the file: {e}"),
                    ));
                    continue;
                }
            };
            let resource = match FluentResource::try_new(text) {
                Ok(r) => r,
                Err((r, errors)) => {
                    for e in errors {
                        // At the end of the file the parser's position says nothing useful;
                        // the start of the broken entry does.
                        let at = match &e.slice {
                            Some(slice) if e.pos.start >= r.source().trim_end().len() => {
                                slice.start
                            }
                            _ => e.pos.start,
                        };
                        let (line, column) = line_col(r.source(), at);
                        problems.push(
                            Diagnostic::error(
                                display.clone(),
                                format!("invalid Fluent syntax: {}", e.kind),
                            )
                            .at(line, column)
                            .with_hint(
                                "Each entry is `key = text`; continuation lines are indented.",
                            ),
                        );
                    }
                    r
                }
            };
            let mut seen_in_file: HashMap<String, usize> = HashMap::new();
            for id in entry_ids(&resource) {
                let nth = seen_in_file.entry(id.clone()).or_default();
                let line = definition_line(resource.source(), &id, *nth);
                *nth += 1;
                if let Some(first) = defined.get(&id) {
                    let first: &Definition = first;
                    problems.push(
                        Diagnostic::error(display.clone(), format!("`{id}` is defined twice"))
                            .at_line(line)
                            .with_hint(format!(
                                "It is already defined at {}:{}; remove one of them.",
                                first.path.display(),
                                first.line
                            )),
                    );
                } else {
                    defined.insert(
                        id,
                        Definition {
                            path: display.clone(),
                            line,
                        },
                    );
                }
            }
            // Duplicates were reported above with positions; keep the first definition.
            let _ = bundle.add_resource(resource);
        }
        bundles.insert(lang.clone(), bundle);
        keys.insert(lang.clone(), defined);
    }
    if problems.is_empty() {
        Ok(Locales { bundles, keys })
    } else {
        Err(problems)
    }
}

/// Message ids (`key`) and term ids (`-key`) of a resource.
fn entry_ids(resource: &FluentResource) -> Vec<String> {
    resource
        .entries()
        .filter_map(|e| match e {
            ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            ast::Entry::Term(t) => Some(format!("-{}", t.id.name)),
            _ => None,
        })
        .collect()
}

/// The 1-based line of the `nth` (0-based) definition of `id` in `source`.
fn definition_line(source: &str, id: &str, nth: usize) -> usize {
    source
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            l.strip_prefix(id)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .nth(nth)
        .map_or(1, |(i, _)| i + 1)
}

/// A value passed to a translation (`t(key="x", count=3)`).
#[derive(Debug, Clone)]
pub enum Arg {
    /// Text.
    Str(String),
    /// A number (plural selection works on these).
    Num(f64),
}

impl Locales {
    /// Formats `key` (or `key.attribute`) in `lang`.
    pub fn translate(
        &self,
        lang: &str,
        key: &str,
        args: &[(String, Arg)],
    ) -> Result<String, String> {
        let bundle = self
            .bundles
            .get(lang)
            .ok_or_else(|| format!("no UI strings for language `{lang}`"))?;
        let (id, attribute) = match key.split_once('.') {
            Some((id, attr)) => (id, Some(attr)),
            None => (key, None),
        };
        let message = bundle
            .get_message(id)
            .ok_or_else(|| format!("the UI string `{id}` is not defined in locales/{lang}/"))?;
        let pattern = match attribute {
            Some(attr) => message
                .get_attribute(attr)
                .map(|a| a.value())
                .ok_or_else(|| format!("`{id}` has no attribute `{attr}` in locales/{lang}/"))?,
            None => message
                .value()
                .ok_or_else(|| format!("`{id}` has no value in locales/{lang}/"))?,
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Str(s) => fluent_args.set(name.as_str(), FluentValue::from(s.as_str())),
                Arg::Num(n) => fluent_args.set(name.as_str(), FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        match errors.first() {
            None => Ok(text.into_owned()),
            Some(e) => Err(format!("`{key}` in locales/{lang}/: {e}")),
        }
    }

    /// A date written out the way the language writes it ("March 1, 2024", "1. März 2024"),
    /// from the messages `date-long` (with `$day`, `$month`, `$year`) and `month-1` … `month-12`.
    pub fn format_date(&self, lang: &str, date: NaiveDate) -> Result<String, String> {
        let month = self.translate(lang, &format!("month-{}", date.month()), &[])?;
        self.translate(
            lang,
            "date-long",
            &[
                ("day".into(), Arg::Num(f64::from(date.day()))),
                ("month".into(), Arg::Str(month)),
                ("year".into(), Arg::Num(f64::from(date.year()))),
            ],
        )
    }

    /// Every key with the languages that define it.
    pub fn keys(&self) -> &BTreeMap<String, BTreeMap<String, Definition>> {
        &self.keys
    }

    /// Keys that some languages define and others do not: one error per missing pair, at the
    /// place where another language defines the key.
    pub fn check_complete(&self, languages: &[String]) -> Vec<Diagnostic> {
        let all: BTreeSet<&String> = self.keys.values().flat_map(|k| k.keys()).collect();
        let mut out = Vec::new();
        for key in all {
            for lang in languages {
                let Some(defined) = self.keys.get(lang) else {
                    continue;
                };
                if defined.contains_key(key) {
                    continue;
                }
                let (other_lang, def) = languages
                    .iter()
                    .find_map(|l| self.keys.get(l).and_then(|k| k.get(key)).map(|d| (l, d)))
                    .expect("the key comes from some language");
                out.push(
                    Diagnostic::error(
                        def.path.clone(),
                        format!("the UI string `{key}` is defined in `{other_lang}` but missing in `{lang}`"),
                    )
                    .at_line(def.line)
                    .with_hint(format!("Add `{key} = …` to a file in locales/{lang}/.")),
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    const EN: &str = "hello = Hello, { $name }!\nmonth-3 = March\ndate-long = { $month } { $day }, { $year }\n\
                      items = { $count ->\n    [one] one item\n   *[other] { $count } items\n}\nnav = Nav\n    .label = Main\n";
    const DE: &str = "hello = Hallo, { $name }!\nmonth-3 = März\ndate-long = { $day }. { $month } { $year }\n\
                      items = { $count ->\n    [one] ein Eintrag\n   *[other] { $count } Einträge\n}\nnav = Nav\n    .label = Haupt\n";

    fn langs() -> Vec<String> {
        vec!["en".into(), "de".into()]
    }

    #[test]
    fn translates_with_arguments_plurals_and_attributes() {
        let dir = site(&[("locales/en/main.ftl", EN), ("locales/de/main.ftl", DE)]);
        let l = load(dir.path(), &langs()).unwrap();
        let name = [("name".to_owned(), Arg::Str("Ada".into()))];
        assert_eq!(l.translate("de", "hello", &name).unwrap(), "Hallo, Ada!");
        assert_eq!(
            l.translate("en", "items", &[("count".into(), Arg::Num(1.0))])
                .unwrap(),
            "one item"
        );
        assert_eq!(
            l.translate("de", "items", &[("count".into(), Arg::Num(3.0))])
                .unwrap(),
            "3 Einträge"
        );
        assert_eq!(l.translate("de", "nav.label", &[]).unwrap(), "Haupt");
        assert!(
            l.translate("de", "nope", &[])
                .unwrap_err()
                .contains("`nope`")
        );
        assert!(l.check_complete(&langs()).is_empty());
    }

    #[test]
    fn formats_dates_per_language() {
        let dir = site(&[("locales/en/main.ftl", EN), ("locales/de/main.ftl", DE)]);
        let l = load(dir.path(), &langs()).unwrap();
        let d = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        assert_eq!(l.format_date("en", d).unwrap(), "March 1, 2024");
        assert_eq!(l.format_date("de", d).unwrap(), "1. März 2024");
    }

    #[test]
    fn reports_every_key_missing_in_a_language() {
        let dir = site(&[
            ("locales/en/main.ftl", "a = A\nb = B\nc = C\n"),
            ("locales/de/main.ftl", "a = A\nd = D\n"),
        ]);
        let l = load(dir.path(), &langs()).unwrap();
        let errors = l.check_complete(&langs());
        let messages: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(messages[0].starts_with("locales/en/main.ftl:2: error: the UI string `b` is defined in `en` but missing in `de`"), "{}", messages[0]);
        assert!(messages[1].contains("`c`"));
        assert!(messages[2].starts_with("locales/de/main.ftl:2: error: the UI string `d` is defined in `de` but missing in `en`"), "{}", messages[2]);
    }

    #[test]
    fn syntax_errors_and_duplicates_have_lines() {
        let dir = site(&[
            ("locales/en/main.ftl", "a = A\n\nb = { $x\n"),
            ("locales/de/main.ftl", "a = A\na = B\n"),
        ]);
        let errors = load(dir.path(), &langs()).unwrap_err();
        assert!(
            errors.iter().any(
                |d| d.path.as_deref() == Some(Path::new("locales/en/main.ftl"))
                    && d.line == Some(3)
            ),
            "{errors:#?}"
        );
        assert!(
            errors
                .iter()
                .any(|d| d.message == "`a` is defined twice" && d.line == Some(2)),
            "{errors:#?}"
        );
    }
}
