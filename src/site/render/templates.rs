//! The tera environment: the theme's templates overridden file by file by the site's own
//! `templates/`, compiled once, then cloned per language with that language's `t()`, `date` and
//! `asset()` bound.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{Tera, Value};
use walkdir::WalkDir;

use crate::error::{Diagnostic, relative_to};
use crate::site::i18n::{Arg, Locales};

/// The folder under the site root with the site's own templates (override the theme's).
pub const SITE_TEMPLATES_DIR: &str = "templates";

/// Template files by name (`page.html`), with the file each comes from.
pub fn collect(root: &Path, theme: &str) -> Result<BTreeMap<String, PathBuf>, Vec<Diagnostic>> {
    let theme_dir = root.join("themes").join(theme).join("templates");
    if !theme_dir.is_dir() {
        return Err(vec![
            Diagnostic::error(
                PathBuf::from(crate::site::config::CONFIG_FILE),
                format!("the theme `{theme}` has no folder themes/{theme}/templates/"),
            )
            .with_hint("Set `theme:` to the name of a folder under themes/ (e.g. `default`)."),
        ]);
    }
    let mut files = BTreeMap::new();
    let mut problems = Vec::new();
    for dir in [theme_dir, root.join(SITE_TEMPLATES_DIR)] {
        if !dir.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&dir).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let name = relative_to(e.path(), &dir)
                        .to_string_lossy()
                        .replace('\\', "/");
                    if name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".txt") {
                        files.insert(name, e.into_path());
                    }
                }
                Ok(_) => {}
                Err(e) => problems.push(Diagnostic::error(
                    e.path().map(|p| relative_to(p, root)),
                    format!("cannot read the templates: {e}"),
                )),
            }
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

/// The compiled templates.
pub struct Compiled {
    /// The templates, minified where that was possible.
    pub tera: Tera,
    /// Whether every template was minified before compiling, so that what they render needs no
    /// minification of its own beyond the Markdown bodies (see [`preminify`]).
    pub minified: bool,
}

/// Compiles the templates once: minified, when `minify` is set and every template can be
/// minified without changing its tags; otherwise (and when the minified text does not compile, so
/// that errors name the lines the author sees) as written.
pub fn compile(
    root: &Path,
    files: &BTreeMap<String, PathBuf>,
    minify: bool,
) -> Result<Compiled, Vec<Diagnostic>> {
    let sources = read_sources(root, files)?;
    if minify {
        let minified: Option<Vec<Source>> = sources
            .iter()
            .map(|(name, text)| preminify(name, text).map(|m| (name.clone(), m)))
            .collect();
        if let Some(minified) = minified {
            let mut small = new_tera();
            // Nothing minifies these pages after rendering, so values are escaped as minify-html
            // would leave them: tera's own escaping also writes `/` as `&#x2F;`.
            small.set_escape_fn(escape_html);
            if small.add_raw_templates(minified).is_ok() {
                return Ok(Compiled {
                    tera: small,
                    minified: true,
                });
            }
        }
    }
    Ok(Compiled {
        tera: compile_as_written(root, files, sources)?,
        minified: false,
    })
}

/// A template's text minified by minify-html with tera's tags kept as they are, or `None` when
/// minifying would change them (a `{% if %}` inside an HTML tag, say, which minify-html reads as
/// attributes) or the template is not HTML.
///
/// Tera's tags count as text for minify-html, so it keeps the closing tags and spaces next to
/// them: what the minified template renders is valid wherever the template's output was.
pub fn preminify(name: &str, text: &str) -> Option<String> {
    if !name.ends_with(".html") {
        return Some(text.to_owned());
    }
    let cfg = minify_html::Cfg {
        keep_html_and_head_opening_tags: true,
        preserve_brace_template_syntax: true,
        ..minify_html::Cfg::default()
    };
    let out = String::from_utf8(minify_html::minify(text.as_bytes(), &cfg)).ok()?;
    // Every statement and comment must survive verbatim and in order; expressions too, though
    // minify-html may sort the attributes they stand in.
    let (statements, mut expressions) = tera_tags(text);
    let (kept_statements, mut kept_expressions) = tera_tags(&out);
    expressions.sort_unstable();
    kept_expressions.sort_unstable();
    (statements == kept_statements && expressions == kept_expressions).then_some(out)
}

/// Escapes a value for HTML text and for quoted attribute values (`"` and `'` both), and nothing
/// else.
pub fn escape_html(input: &str) -> String {
    let special = |b: &u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    // Most values (URLs, titles, UI strings) have nothing to escape.
    if !input.as_bytes().iter().any(special) {
        return input.to_owned();
    }
    let mut out = String::with_capacity(input.len() + input.len() / 16);
    let mut last = 0;
    for (i, b) in input.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[last..i]);
        out.push_str(entity);
        last = i + 1;
    }
    out.push_str(&input[last..]);
    out
}

/// The `{% … %}` / `{# … #}` tags and the `{{ … }}` expressions of a template, in order.
fn tera_tags(text: &str) -> (Vec<&str>, Vec<&str>) {
    let mut statements = Vec::new();
    let mut expressions = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let tail = &rest[start..];
        let close = match tail.as_bytes().get(1) {
            Some(b'%') => "%}",
            Some(b'#') => "#}",
            Some(b'{') => "}}",
            _ => {
                rest = &tail[1..];
                continue;
            }
        };
        let Some(end) = tail[2..].find(close) else {
            // An unclosed tag: keep it, so that a changed remainder shows.
            statements.push(tail);
            break;
        };
        let tag = &tail[..end + 4];
        if close == "}}" {
            expressions.push(tag);
        } else {
            statements.push(tag);
        }
        rest = &tail[end + 4..];
    }
    (statements, expressions)
}

/// A template's name and text.
type Source = (String, String);

/// Reads every template file.
fn read_sources(
    root: &Path,
    files: &BTreeMap<String, PathBuf>,
) -> Result<Vec<Source>, Vec<Diagnostic>> {
    let mut sources = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    for (name, path) in files {
        match std::fs::read_to_string(path) {
            Ok(text) => sources.push((name.clone(), text)),
            Err(e) => problems.push(Diagnostic::error(
                relative_to(path, root),
                format!("cannot read the template: {e}"),
            )),
        }
    }
    if problems.is_empty() {
        Ok(sources)
    } else {
        Err(problems)
    }
}

/// A tera that escapes what `.html` and `.xml` templates insert.
fn new_tera() -> Tera {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera
}

/// Compiles the templates as written; a mistake is reported at its file, line and column.
fn compile_as_written(
    root: &Path,
    files: &BTreeMap<String, PathBuf>,
    sources: Vec<Source>,
) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = new_tera();
    tera.add_raw_templates(sources).map_err(|e| {
        let chain = error_chain(&e);
        // "Failed to parse 'page.html'" names the template; the parser's "--> 3:5" its position.
        let file = chain
            .split('\'')
            .nth(1)
            .and_then(|name| files.get(name))
            .map(|p| relative_to(p, root));
        // Tera's parser draws the line with a caret; the verdict after the last "= " is the message.
        let verdict = chain
            .rsplit_once("= ")
            .map_or(chain.as_str(), |(_, v)| v.trim());
        let name = chain.split('\'').nth(1).unwrap_or("a template");
        let mut d = Diagnostic::error(
            file,
            format!("cannot read the template `{name}`: {verdict}"),
        );
        if let Some((line, col)) = position_in(&chain) {
            d = d.at(line, col);
        }
        vec![d.with_hint("Check the `{% … %}` and `{{ … }}` tags near that line.")]
    })?;
    Ok(tera)
}

/// The whole chain of a tera error in one line ("Failed to render 'x': Variable `y` not found").
pub fn error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        msg.push_str(": ");
        msg.push_str(text.trim());
        source = s.source();
    }
    msg.replace('\n', " ")
}

/// Finds tera's `--> line:col` marker.
fn position_in(chain: &str) -> Option<(usize, usize)> {
    let rest = &chain[chain.find("--> ")? + 4..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':'))
        .unwrap_or(rest.len());
    let (line, col) = rest[..end].split_once(':')?;
    Some((line.parse().ok()?, col.parse().ok()?))
}

/// `t(key="…", name=value, …)`: a UI string of the page's language.
struct Translate {
    locales: Arc<Locales>,
    lang: String,
}

impl tera::Function for Translate {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let key = args
            .get("key")
            .and_then(Value::as_str)
            .ok_or("t() needs a `key` argument, e.g. t(key=\"nav-home\")")?;
        let mut fluent_args = Vec::with_capacity(args.len().saturating_sub(1));
        for (name, value) in args {
            if name == "key" {
                continue;
            }
            let arg = match value {
                Value::Number(n) => Arg::Num(n.as_f64().unwrap_or_default()),
                Value::String(s) => Arg::Str(s.clone()),
                other => Arg::Str(other.to_string()),
            };
            fluent_args.push((name.clone(), arg));
        }
        self.locales
            .translate(&self.lang, key, &fluent_args)
            .map(Value::String)
            .map_err(tera::Error::msg)
    }
}

/// `{{ date | date }}`: an ISO date (`2024-03-01`) written out in the page's language.
struct FormatDate {
    locales: Arc<Locales>,
    lang: String,
}

impl tera::Filter for FormatDate {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
        let text = value
            .as_str()
            .ok_or("the date filter needs a date like 2024-03-01")?;
        let date = chrono::NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d")
            .map_err(|e| tera::Error::msg(format!("`{text}` is not a date: {e}")))?;
        self.locales
            .format_date(&self.lang, date)
            .map(Value::String)
            .map_err(tera::Error::msg)
    }
}

/// `asset(path="css/style.css")`: the fingerprinted URL of a static file.
struct Asset {
    urls: Arc<HashMap<String, String>>,
}

impl tera::Function for Asset {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = args
            .get("path")
            .and_then(Value::as_str)
            .ok_or("asset() needs a `path` argument, e.g. asset(path=\"css/style.css\")")?;
        self.urls
            .get(path.trim_start_matches('/'))
            .map(|u| Value::String(u.clone()))
            .ok_or_else(|| {
                tera::Error::msg(format!(
                    "asset(path=\"{path}\"): there is no such file in the theme's or the site's static/ folder"
                ))
            })
    }
}

/// `documents()`: every document, as listed on index pages, in the page's language.
struct DocumentListing {
    entries: Value,
}

impl tera::Function for DocumentListing {
    fn call(&self, _: &HashMap<String, Value>) -> tera::Result<Value> {
        Ok(self.entries.clone())
    }
}

/// A function that returns one value, made once per language (`certifications()`).
pub struct Constant(pub Value);

impl tera::Function for Constant {
    fn call(&self, _: &HashMap<String, Value>) -> tera::Result<Value> {
        Ok(self.0.clone())
    }
}

/// One tera per language, sharing the compiled templates. `listings` holds the `documents()`
/// listing per language.
pub fn per_language(
    base: &Tera,
    languages: &[String],
    locales: &Arc<Locales>,
    asset_urls: &Arc<HashMap<String, String>>,
    mut listings: HashMap<String, Value>,
) -> HashMap<String, Tera> {
    languages
        .iter()
        .map(|lang| {
            let mut tera = base.clone();
            tera.register_function(
                "t",
                Translate {
                    locales: Arc::clone(locales),
                    lang: lang.clone(),
                },
            );
            tera.register_filter(
                "date",
                FormatDate {
                    locales: Arc::clone(locales),
                    lang: lang.clone(),
                },
            );
            tera.register_function(
                "asset",
                Asset {
                    urls: Arc::clone(asset_urls),
                },
            );
            tera.register_function(
                "documents",
                DocumentListing {
                    entries: listings.remove(lang).unwrap_or(Value::Array(Vec::new())),
                },
            );
            (lang.clone(), tera)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_of_the_default_theme_minifies_once() {
        // One template that cannot be minified makes every page fall back to being minified
        // after rendering (much slower; see ARCHITECTURE.md, "Minifying once").
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let files = collect(root, "default").expect("the default theme");
        assert!(files.len() > 10);
        for (name, path) in &files {
            let text = std::fs::read_to_string(path).unwrap();
            assert!(
                preminify(name, &text).is_some(),
                "{name} cannot be minified as written"
            );
        }
    }

    #[test]
    fn finds_tera_positions() {
        assert_eq!(
            position_in("Failed to parse 'a.html':  --> 3:5 | ..."),
            Some((3, 5))
        );
        assert_eq!(position_in("no marker"), None);
    }

    #[test]
    fn escapes_what_text_and_quoted_attributes_need_and_nothing_else() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & Jerry's</a> /en/"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; /en/"
        );
        assert_eq!(
            escape_html("Datenschutz für Kunden"),
            "Datenschutz für Kunden"
        );
    }

    #[test]
    fn finds_statements_comments_and_expressions_in_order() {
        let (statements, expressions) =
            tera_tags("{% if a %}<b>{{ x }}</b>{# note #}{{ y }}{% endif %} { plain }");
        assert_eq!(statements, ["{% if a %}", "{# note #}", "{% endif %}"]);
        assert_eq!(expressions, ["{{ x }}", "{{ y }}"]);
    }
}
