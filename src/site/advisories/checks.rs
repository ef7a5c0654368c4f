//! The checks every published CSAF document passes: the CSAF 2.0 JSON schema (vendored in
//! `schema/`, with the FIRST CVSS schemas it references; `boon`) and the mandatory tests of
//! CSAF 2.0 section 6.1 that can be run offline and concern what Candor writes or accepts.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde_json::Value;

use super::csaf::{self, Problem, SCHEMA_URL};

const CSAF_SCHEMA: &str = include_str!("schema/csaf_json_schema.json");
const CVSS_SCHEMAS: [(&str, &str); 3] = [
    (
        "https://www.first.org/cvss/cvss-v2.0.json",
        include_str!("schema/cvss-v2.0.json"),
    ),
    (
        "https://www.first.org/cvss/cvss-v3.0.json",
        include_str!("schema/cvss-v3.0.json"),
    ),
    (
        "https://www.first.org/cvss/cvss-v3.1.json",
        include_str!("schema/cvss-v3.1.json"),
    ),
];
/// The provider metadata schema, for the provider's own file.
const PROVIDER_SCHEMA: &str = include_str!("schema/provider_json_schema.json");
const PROVIDER_SCHEMA_URL: &str =
    "https://docs.oasis-open.org/csaf/csaf/v2.0/provider_json_schema.json";

struct Compiled {
    schemas: boon::Schemas,
    csaf: boon::SchemaIndex,
    provider: boon::SchemaIndex,
}

/// The schemas, compiled once per process (from the vendored files: no network).
fn compiled() -> Result<&'static Compiled, String> {
    static COMPILED: OnceLock<Result<Compiled, String>> = OnceLock::new();
    COMPILED
        .get_or_init(|| {
            let mut compiler = boon::Compiler::new();
            compiler.enable_format_assertions();
            let parse = |s: &str| serde_json::from_str::<Value>(s).map_err(|e| e.to_string());
            compiler
                .add_resource(SCHEMA_URL, parse(CSAF_SCHEMA)?)
                .map_err(|e| e.to_string())?;
            compiler
                .add_resource(PROVIDER_SCHEMA_URL, parse(PROVIDER_SCHEMA)?)
                .map_err(|e| e.to_string())?;
            for (url, text) in CVSS_SCHEMAS {
                compiler
                    .add_resource(url, parse(text)?)
                    .map_err(|e| e.to_string())?;
            }
            let mut schemas = boon::Schemas::new();
            let csaf = compiler
                .compile(SCHEMA_URL, &mut schemas)
                .map_err(|e| format!("{e:#}"))?;
            let provider = compiler
                .compile(PROVIDER_SCHEMA_URL, &mut schemas)
                .map_err(|e| format!("{e:#}"))?;
            Ok(Compiled {
                schemas,
                csaf,
                provider,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The document against the CSAF 2.0 JSON schema: one problem per failing leaf.
pub fn schema(document: &Value) -> Vec<Problem> {
    validate(document, |c| c.csaf, "CSAF 2.0 JSON schema")
}

/// `provider-metadata.json` against its CSAF 2.0 schema.
pub fn provider_schema(document: &Value) -> Vec<Problem> {
    validate(
        document,
        |c| c.provider,
        "CSAF 2.0 provider metadata schema",
    )
}

fn validate(
    document: &Value,
    which: fn(&Compiled) -> boon::SchemaIndex,
    name: &str,
) -> Vec<Problem> {
    let compiled = match compiled() {
        Ok(c) => c,
        Err(e) => {
            return vec![Problem {
                message: format!("the vendored {name} does not compile: {e}"),
                near: String::new(),
                hint: "This is a bug in Candor; please report it.".to_owned(),
            }];
        }
    };
    let Err(error) = compiled.schemas.validate(document, which(compiled)) else {
        return Vec::new();
    };
    let mut leaves = Vec::new();
    collect_leaves(&error, &mut leaves);
    leaves
        .into_iter()
        .take(20)
        .map(|(location, kind)| {
            let near = document
                .pointer(&location)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    location
                        .rsplit('/')
                        .find(|s| !s.is_empty() && !s.bytes().all(|b| b.is_ascii_digit()))
                        .map(|k| format!("{k}:"))
                        .unwrap_or_default()
                });
            Problem {
                message: format!(
                    "the CSAF document fails the {name} at `{}`: {kind}",
                    if location.is_empty() { "/" } else { &location }
                ),
                near,
                hint: "Correct the value the CSAF path names (see README.md, Security advisories, for \
                       how front matter maps to CSAF)."
                    .to_owned(),
            }
        })
        .collect()
}

fn collect_leaves(e: &boon::ValidationError<'_, '_>, out: &mut Vec<(String, String)>) {
    if e.causes.is_empty() {
        out.push((e.instance_location.to_string(), e.kind.to_string()));
    } else {
        for c in &e.causes {
            collect_leaves(c, out);
        }
    }
}

fn p(message: String, near: impl Into<String>, hint: &str) -> Problem {
    Problem {
        message,
        near: near.into(),
        hint: hint.to_owned(),
    }
}

/// The offline mandatory tests (CSAF 2.0 section 6.1) that concern what Candor writes or
/// accepts, and Candor's own rule that only TLP:WHITE documents are published.
pub fn check(doc: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    let d = &doc["document"];
    // TLP: a public provider publishes WHITE only.
    let label = d["distribution"]["tlp"]["label"].as_str().unwrap_or("");
    if label != "WHITE" {
        out.push(p(
            format!(
                "TLP `{}`: only TLP:WHITE documents are published",
                if label.is_empty() { "(none)" } else { label }
            ),
            "tlp",
            "Publish only `document.distribution.tlp.label: WHITE` documents on the public site; \
             share others through another channel.",
        ));
    }
    let category = d["category"].as_str().unwrap_or("");
    let profile = matches!(category, "csaf_security_advisory" | "csaf_vex");
    // Product ids: defined once (6.1.2), every reference defined (6.1.1).
    let mut defined: HashMap<String, usize> = HashMap::new();
    collect_defined(&doc["product_tree"], &mut defined);
    for (id, n) in &defined {
        if *n > 1 {
            out.push(p(
                format!("product id `{id}` is defined {n} times (CSAF 6.1.2)"),
                id.clone(),
                "Define each product id once in the product tree.",
            ));
        }
    }
    if profile && doc.get("product_tree").is_none() {
        out.push(p(
            "the document has no product tree (CSAF 6.1.27.4)".to_owned(),
            "product_tree",
            "A security advisory defines the products it names.",
        ));
    }
    let vulns = doc["vulnerabilities"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    if profile && vulns.is_empty() {
        out.push(p(
            "the document has no vulnerabilities (CSAF 6.1.27.11)".to_owned(),
            "vulnerabilities",
            "A security advisory describes at least one vulnerability.",
        ));
    }
    if profile
        && !d["notes"].as_array().into_iter().flatten().any(|n| {
            matches!(
                n["category"].as_str(),
                Some("description" | "details" | "general" | "summary")
            )
        })
    {
        out.push(p(
            "the document has no summary note (CSAF 6.1.27.1)".to_owned(),
            "notes",
            "Write the advisory's summary as the page's Markdown body.",
        ));
    }
    let mut cves = HashSet::new();
    for (i, v) in vulns.iter().enumerate() {
        let mut refs: Vec<&str> = Vec::new();
        let status = &v["product_status"];
        let mut status_of: HashMap<&str, &str> = HashMap::new();
        for (group, members) in [
            (
                "affected",
                &["first_affected", "known_affected", "last_affected"][..],
            ),
            ("fixed", &["first_fixed", "fixed"][..]),
            ("not_affected", &["known_not_affected"][..]),
            ("under_investigation", &["under_investigation"][..]),
        ] {
            for key in members {
                for id in status[*key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    refs.push(id);
                    if let Some(other) = status_of.insert(id, group)
                        && other != group
                    {
                        out.push(p(
                            format!("product `{id}` is both {other} and {group} in vulnerability {} (CSAF 6.1.6)", i + 1),
                            id,
                            "Give each product one status per vulnerability.",
                        ));
                    }
                }
            }
        }
        if profile && status.as_object().is_none_or(serde_json::Map::is_empty) {
            out.push(p(
                format!(
                    "vulnerability {} has no product status (CSAF 6.1.27.6)",
                    i + 1
                ),
                v["title"].as_str().unwrap_or("vulnerabilities"),
                "Name the affected and fixed products.",
            ));
        }
        if profile && v["notes"].as_array().is_none_or(|n| n.is_empty()) {
            out.push(p(
                format!("vulnerability {} has no notes (CSAF 6.1.27.5)", i + 1),
                v["title"].as_str().unwrap_or("vulnerabilities"),
                "Describe the vulnerability (`description:`).",
            ));
        }
        for r in v["remediations"].as_array().into_iter().flatten() {
            let ids: Vec<&str> = r["product_ids"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            if ids.is_empty() && r["group_ids"].as_array().is_none_or(Vec::is_empty) {
                out.push(p(
                    format!(
                        "a remediation of vulnerability {} names no products (CSAF 6.1.29)",
                        i + 1
                    ),
                    r["details"].as_str().unwrap_or("remediations"),
                    "List the products it applies to.",
                ));
            }
            refs.extend(ids);
        }
        for t in v["threats"].as_array().into_iter().flatten() {
            refs.extend(
                t["product_ids"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str),
            );
        }
        for s in v["scores"].as_array().into_iter().flatten() {
            refs.extend(
                s["products"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str),
            );
            let c = &s["cvss_v3"];
            if c["version"] == "3.1" {
                let vector = c["vectorString"].as_str().unwrap_or("");
                match csaf::score(vector) {
                    Ok(sc) => {
                        if c["baseScore"].as_f64() != Some(sc.base)
                            || c["baseSeverity"].as_str() != Some(sc.severity)
                        {
                            out.push(p(
                                format!(
                                    "vulnerability {}: `{vector}` scores {} ({}), not {} ({}) (CSAF 6.1.9)",
                                    i + 1,
                                    sc.base,
                                    sc.severity,
                                    c["baseScore"],
                                    c["baseSeverity"]
                                ),
                                vector,
                                "Compute the score from the vector (FIRST's calculator), or correct the vector.",
                            ));
                        }
                    }
                    Err(e) => out.push(p(
                        format!("vulnerability {}: `{vector}` is not a valid CVSS v3.1 vector: {e} (CSAF 6.1.8)", i + 1),
                        vector,
                        "Write the whole base vector, e.g. `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`.",
                    )),
                }
            }
        }
        for id in refs {
            if !defined.contains_key(id) {
                out.push(p(
                    format!("product id `{id}` is used in vulnerability {} but not defined (CSAF 6.1.1)", i + 1),
                    id,
                    "Define it in the product tree (content/_data/products.yaml), or correct the id.",
                ));
            }
        }
        if let Some(cve) = v["cve"].as_str()
            && !cves.insert(cve)
        {
            out.push(p(
                format!("{cve} is described twice (CSAF 6.1.23)"),
                cve,
                "Describe each CVE once.",
            ));
        }
        if category == "csaf_vex" && v.get("cve").is_none() && v.get("ids").is_none() {
            out.push(p(
                format!(
                    "vulnerability {} has neither `cve` nor `ids` (CSAF 6.1.27.8)",
                    i + 1
                ),
                v["title"].as_str().unwrap_or("vulnerabilities"),
                "A VEX document names each vulnerability by its CVE id.",
            ));
        }
    }
    // Revision history (6.1.14, 6.1.16, 6.1.18, 6.1.22).
    let tracking = &d["tracking"];
    let history = tracking["revision_history"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let mut numbers: Vec<(u64, &str)> = Vec::new();
    let mut seen = HashSet::new();
    for r in history {
        let number = r["number"].as_str().unwrap_or("");
        if !seen.insert(number) {
            out.push(p(
                format!("revision `{number}` appears twice (CSAF 6.1.22)"),
                format!("\"{number}\""),
                "Number each revision once.",
            ));
        }
        match number.parse::<u64>() {
            Ok(n) => numbers.push((n, r["date"].as_str().unwrap_or(""))),
            Err(_) => out.push(p(
                format!("revision `{number}` is not a whole number"),
                format!("\"{number}\""),
                "Candor uses integer versioning: number revisions 1, 2, 3, …",
            )),
        }
    }
    numbers.sort_unstable();
    for w in numbers.windows(2) {
        let (a, b) = (
            chrono::DateTime::parse_from_rfc3339(w[0].1),
            chrono::DateTime::parse_from_rfc3339(w[1].1),
        );
        if let (Ok(a), Ok(b)) = (a, b)
            && b < a
        {
            out.push(p(
                format!(
                    "revision {} is dated before revision {} (CSAF 6.1.14)",
                    w[1].0, w[0].0
                ),
                w[1].1.get(..10).unwrap_or(w[1].1),
                "Date each revision at or after the one before.",
            ));
        }
    }
    if let Some(&(last, _)) = numbers.last() {
        let version = tracking["version"].as_str().unwrap_or("");
        if version != last.to_string() {
            out.push(p(
                format!("the version `{version}` is not the last revision's number `{last}` (CSAF 6.1.16)"),
                "version",
                "The version is the number of the newest revision.",
            ));
        }
        let status = tracking["status"].as_str().unwrap_or("");
        if matches!(status, "final" | "interim") && last == 0 {
            out.push(p(
                format!("a `{status}` document cannot have version 0 (CSAF 6.1.18)"),
                "version",
                "Released documents start at version 1.",
            ));
        }
    }
    out
}

/// Every `product_id` the product tree defines, with how often.
fn collect_defined(v: &Value, out: &mut HashMap<String, usize>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if k == "product_id"
                    && let Some(id) = child.as_str()
                {
                    *out.entry(id.to_owned()).or_default() += 1;
                } else {
                    collect_defined(child, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_defined(i, out)),
        _ => {}
    }
}
