//! Security advisories: the CSAF 2.0 provider the example site publishes, checked file by file
//! against the distribution requirements of CSAF 2.0 section 7.1 that a static host meets, the
//! advisory pages in both languages, and bad input, each with its file, line and fix.
//!
//! The BSI's csaf-validator-lib checks the same documents independently (tests/csaf/, run by
//! scripts/test); directory listings (requirement 14) are `candor serve --production`'s, tested
//! in tests/cli.rs.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use candor::error::BuildError;
use candor::site::build::{Options, build, check};
use candor::site::signing::SigningKey;
use common::*;
use sha2::{Digest, Sha256, Sha512};

const BASE: &str = "https://trust.example.com";
const NOW: &str = "2026-12-05T09:00:00Z";
const CSAF: &str = ".well-known/csaf";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn options(site: &Path) -> Options {
    let mut opts = Options::new(site);
    opts.now = NOW.parse().unwrap();
    opts
}

/// The example site with a signing key, so that it is a trusted provider.
fn signed_example() -> (tempfile::TempDir, SigningKey) {
    let site = example_site();
    let key = SigningKey::generate("Example Cloud GmbH <security@example.com>").unwrap();
    let dir = site.path().join(".candor");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("signing-key.asc");
    std::fs::write(&path, key.to_armored_secret().unwrap()).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    edit_file(&site.path().join("site.yaml"), |c| {
        c + "signing: {key: .candor/signing-key.asc}\n"
    });
    (site, key)
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(
        &std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap()
}

/// The output file an absolute URL of the site names.
fn local(public: &Path, url: &str) -> std::path::PathBuf {
    let path = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is not on the site"));
    public.join(path.trim_start_matches('/'))
}

fn gpg(home: &Path, args: &[&str]) -> std::process::Output {
    Command::new("gpg")
        .arg("--homedir")
        .arg(home)
        .args(["--batch", "--no-tty"])
        .args(args)
        .output()
        .expect("gpg is installed (scripts/test installs gnupg)")
}

#[test]
fn the_example_site_is_a_trusted_provider_file_by_file() {
    let (site, key) = signed_example();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&options(site.path()), &public).expect("builds");

    // Requirements 7 and 9: the provider metadata under /.well-known/csaf/.
    let metadata = read_json(&public.join(CSAF).join("provider-metadata.json"));
    assert_eq!(
        metadata["canonical_url"],
        format!("{BASE}/{CSAF}/provider-metadata.json")
    );
    assert_eq!(metadata["metadata_version"], "2.0");
    assert_eq!(metadata["role"], "csaf_trusted_provider");
    assert_eq!(metadata["publisher"]["category"], "vendor");
    assert_eq!(metadata["publisher"]["name"], "Example Cloud GmbH");
    assert_eq!(metadata["publisher"]["namespace"], BASE);
    // Requirement 20: the public key, named by its fingerprint, where the metadata says.
    let keys = metadata["public_openpgp_keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["fingerprint"], key.fingerprint());
    let key_file = local(&public, keys[0]["url"].as_str().unwrap());
    let home = tempfile::tempdir().unwrap();
    let import = gpg(home.path(), &["--import", key_file.to_str().unwrap()]);
    assert!(import.status.success(), "{import:?}");
    let listed = gpg(home.path(), &["--with-colons", "--fingerprint"]);
    assert!(
        String::from_utf8_lossy(&listed.stdout)
            .to_ascii_uppercase()
            .contains(&key.fingerprint().to_ascii_uppercase()),
        "the published key has the fingerprint the metadata names"
    );

    // Requirement 8: security.txt names the provider metadata.
    let security_txt = std::fs::read_to_string(public.join(".well-known/security.txt")).unwrap();
    assert!(
        security_txt.contains(&format!("CSAF: {BASE}/{CSAF}/provider-metadata.json")),
        "{security_txt}"
    );

    // Requirements 4 and 11: TLP:WHITE documents in `white/`, one folder per year of release.
    let distribution = &metadata["distributions"][0];
    assert_eq!(
        distribution["directory_url"],
        format!("{BASE}/{CSAF}/white/")
    );
    let white = public.join(CSAF).join("white");
    let index = std::fs::read_to_string(white.join("index.txt")).unwrap();
    let listed: Vec<&str> = index.lines().collect();
    assert_eq!(
        listed,
        [
            "2026/example-sa-2026-001.json",
            "2026/example-sa-2026-002.json"
        ],
        "requirement 12: index.txt lists every document"
    );
    let mut ids = BTreeSet::new();
    for path in &listed {
        let file = white.join(path);
        let bytes = std::fs::read(&file).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let d = &doc["document"];
        assert_eq!(d["csaf_version"], "2.0");
        assert_eq!(d["category"], "csaf_security_advisory");
        assert_eq!(d["distribution"]["tlp"]["label"], "WHITE");
        let id = d["tracking"]["id"].as_str().unwrap();
        ids.insert(id.to_owned());
        // Requirement 2: the file name is the id, lower case, other characters as `_`.
        assert_eq!(
            file.file_name().unwrap().to_str().unwrap(),
            format!("{}.json", id.to_ascii_lowercase())
        );
        let year = &d["tracking"]["initial_release_date"].as_str().unwrap()[..4];
        assert!(
            path.starts_with(&format!("{year}/")),
            "{path} in its year's folder"
        );
        // Requirement 18: hashes in the format `sha256sum -c` reads.
        let name = file.file_name().unwrap().to_str().unwrap();
        let sha256 = std::fs::read_to_string(file.with_extension("json.sha256")).unwrap();
        assert_eq!(
            sha256,
            format!("{}  {name}\n", hex(&Sha256::digest(&bytes)))
        );
        let sha512 = std::fs::read_to_string(file.with_extension("json.sha512")).unwrap();
        assert_eq!(
            sha512,
            format!("{}  {name}\n", hex(&Sha512::digest(&bytes)))
        );
        // Requirement 19: a detached signature by the published key.
        let asc = file.with_extension("json.asc");
        let verify = gpg(
            home.path(),
            &["--verify", asc.to_str().unwrap(), file.to_str().unwrap()],
        );
        assert!(verify.status.success(), "{path}: {verify:?}");
        // A changed byte fails it.
        let tampered = out.path().join("tampered.json");
        let mut changed = bytes.clone();
        changed[10] ^= 1;
        std::fs::write(&tampered, changed).unwrap();
        let verify = gpg(
            home.path(),
            &[
                "--verify",
                asc.to_str().unwrap(),
                tampered.to_str().unwrap(),
            ],
        );
        assert!(!verify.status.success(), "{path}: a tampered copy verifies");
    }
    assert_eq!(ids.len(), 2);

    // Requirement 13: changes.csv, newest first, with each document's current release date.
    let changes = std::fs::read_to_string(white.join("changes.csv")).unwrap();
    let rows: Vec<(String, String)> = changes
        .lines()
        .map(|l| {
            let (p, t) = l.split_once(',').unwrap();
            (
                p.trim_matches('"').to_owned(),
                t.trim_matches('"').to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "2026/example-sa-2026-002.json".to_owned(),
                "2026-11-27T14:00:00Z".to_owned()
            ),
            (
                "2026/example-sa-2026-001.json".to_owned(),
                "2026-11-04T10:00:00Z".to_owned()
            ),
        ]
    );

    // Requirement 15: the ROLIE feed, each entry with its document, hashes and signature.
    let feed_url = distribution["rolie"]["feeds"][0]["url"].as_str().unwrap();
    assert_eq!(distribution["rolie"]["feeds"][0]["tlp_label"], "WHITE");
    let feed = read_json(&local(&public, feed_url));
    let entries = feed["feed"]["entry"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    for entry in entries {
        let links = entry["link"].as_array().unwrap();
        let href = |rel: &str| -> Vec<String> {
            links
                .iter()
                .filter(|l| l["rel"] == rel)
                .map(|l| l["href"].as_str().unwrap().to_owned())
                .collect()
        };
        let own = href("self");
        assert_eq!(own.len(), 1);
        assert_eq!(entry["content"]["src"], own[0]);
        assert_eq!(
            href("hash"),
            [format!("{}.sha256", own[0]), format!("{}.sha512", own[0])]
        );
        assert_eq!(href("signature"), [format!("{}.asc", own[0])]);
        for url in own.iter().chain(&href("hash")).chain(&href("signature")) {
            assert!(local(&public, url).is_file(), "{url}");
        }
        assert_eq!(entry["format"]["version"], "2.0");
    }

    // The pages: both languages, severity, versions, remediation, and links to the JSON.
    for (page, needles) in [
        (
            "en/advisories/example-sa-2026-001/index.html",
            &[
                "High",
                "CVSS 7.4",
                "Example Workspace Self-Hosted 4.3.2",
                "Fix",
            ][..],
        ),
        (
            "de/sicherheitshinweise/example-sa-2026-001/index.html",
            &["Hoch", "Behoben in", "Korrektur", "Änderungshistorie"][..],
        ),
        (
            "de/sicherheitshinweise/example-sa-2026-002/index.html",
            &["Vorläufig", "Umgehung", "Mittel"][..],
        ),
    ] {
        let html = as_minified(&std::fs::read_to_string(public.join(page)).unwrap());
        for needle in needles {
            assert!(html.contains(needle), "{page} lacks {needle}");
        }
        let hrefs = attr_values(&html, "a", "href");
        assert!(
            hrefs
                .iter()
                .any(|h| h.starts_with("/.well-known/csaf/white/2026/") && h.ends_with(".json")),
            "{page}: {hrefs:?}"
        );
        assert!(hrefs.iter().any(|h| h.ends_with(".json.asc")), "{page}");
    }
    // The listing and an Atom feed per language; the disclosure policy links the listing.
    for (listing, policy) in [
        ("en/advisories/", "en/vulnerability-disclosure/index.html"),
        (
            "de/sicherheitshinweise/",
            "de/schwachstellen-melden/index.html",
        ),
    ] {
        let html = std::fs::read_to_string(public.join(listing).join("index.html")).unwrap();
        for id in ["EXAMPLE-SA-2026-001", "EXAMPLE-SA-2026-002"] {
            assert!(html.contains(id), "{listing} lists {id}");
        }
        let atom = std::fs::read_to_string(public.join(listing).join("feed.xml")).unwrap();
        let parsed: atom_syndication::Feed = atom.parse().expect("valid Atom");
        assert_eq!(parsed.entries().len(), 2, "{listing}feed.xml");
        let policy = std::fs::read_to_string(public.join(policy)).unwrap();
        assert!(
            attr_values(&as_minified(&policy), "a", "href").contains(&format!("/{listing}")),
            "the disclosure policy links {listing}"
        );
    }
}

#[test]
fn without_a_signing_key_the_site_is_a_provider_with_hashes_only() {
    let site = example_site();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&options(site.path()), &public).expect("builds");
    let metadata = read_json(&public.join(CSAF).join("provider-metadata.json"));
    assert_eq!(metadata["role"], "csaf_provider");
    assert!(metadata.get("public_openpgp_keys").is_none());
    let white = public.join(CSAF).join("white/2026");
    assert!(white.join("example-sa-2026-001.json.sha512").is_file());
    assert!(!white.join("example-sa-2026-001.json.asc").exists());
    let feed = read_json(&public.join(CSAF).join("feed-tlp-white.json"));
    assert!(
        !feed.to_string().contains("\"signature\""),
        "no signature links without signatures"
    );
}

/// `candor check` of the example site after `edit` of `file`: its diagnostics, one per line.
fn check_after(
    file: &str,
    edit: impl FnOnce(String) -> String,
) -> (tempfile::TempDir, Vec<String>) {
    let site = example_site();
    edit_file(&site.path().join(file), edit);
    let mut opts = options(site.path());
    opts.check = true;
    let lines = match check(&opts) {
        Ok(summary) => panic!("{file}: the edit passed check: {:?}", summary.warnings),
        Err(BuildError::Invalid(d)) => d.iter().map(|d| d.to_string()).collect(),
        Err(e) => panic!("{e}"),
    };
    (site, lines)
}

#[test]
fn bad_advisories_fail_check_naming_file_line_and_fix() {
    const A1: &str = "content/advisories/example-sa-2026-001.md";
    const A1_DE: &str = "content/advisories/example-sa-2026-001.de.md";
    const A2: &str = "content/advisories/example-sa-2026-002.md";
    const A2_DE: &str = "content/advisories/example-sa-2026-002.de.md";
    // (file, replace, with, the text on the line named, the message, a word of the hint)
    let cases: &[(&str, &str, &str, &str, &str, &str)] = &[
        (
            A1,
            "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N",
            "CVSS:3.1/AV:X/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N",
            "AV:X",
            "is not a valid CVSS v3.1 vector",
            "the score is computed from it",
        ),
        (
            A2,
            "    - cve: CVE-2026-99002",
            "    - cve: CVE-26-99002",
            "CVE-26-99002",
            "`CVE-26-99002` is not a CVE id",
            "at least four digits",
        ),
        (
            A2,
            "      affected: [EWC-2026.11]",
            "      affected: [EWC-2026.12]",
            "EWC-2026.12",
            "product id `EWC-2026.12` in `affected` is not defined in content/_data/products.yaml",
            "Defined ids",
        ),
        (
            A2,
            "  tlp: CLEAR",
            "  tlp: AMBER",
            "tlp: AMBER",
            "only TLP:WHITE (TLP:CLEAR) advisories are published",
            "another channel",
        ),
        (
            A1,
            "server that the administrator sets",
            "server that an administrator sets",
            "- number: \"2\"",
            "this final advisory changed since revision 2 was published",
            "add `- number: \"3\"`",
        ),
        (
            A2,
            "  id: EXAMPLE-SA-2026-002",
            "  id: EXAMPLE-SA-2026-001",
            "id: EXAMPLE-SA-2026-001",
            "advisory id `EXAMPLE-SA-2026-001` is used twice",
            "its own id",
        ),
        (
            A2_DE,
            "advisory:\n",
            "advisory:\n  tlp: WHITE\n",
            "tlp: WHITE",
            "`advisory.tlp: WHITE` disagrees with the `en` page",
            "carries its texts",
        ),
        (
            A1_DE,
            "  vulnerabilities:\n",
            "  vulnerabilities:\n    - cvss: \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"\n",
            "cvss:",
            "`advisory.vulnerabilities.0.cvss: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` disagrees with the `en` page",
            "Remove the value here",
        ),
        (
            A2,
            "      cvss: \"CVSS:3.1/AV:N/AC:L/PR:L",
            "      score: 9.8\n      cvss: \"CVSS:3.1/AV:N/AC:L/PR:L",
            "score: 9.8",
            "unknown field `score`",
            "cvss",
        ),
    ];
    for (file, from, to, at, message, hint) in cases {
        let (site, lines) = check_after(file, |t| {
            assert!(t.contains(from), "{file}: {from}");
            t.replacen(from, to, 1)
        });
        let text = std::fs::read_to_string(site.path().join(file)).unwrap();
        let line = text[..text.find(at).unwrap_or_else(|| panic!("{at}"))]
            .matches('\n')
            .count()
            + 1;
        let found = lines
            .iter()
            .find(|l| l.contains(message))
            .unwrap_or_else(|| panic!("no {message:?} in {lines:#?}"));
        assert!(
            found.starts_with(&format!("{file}:{line}:")),
            "{found} (expected line {line})"
        );
        assert!(
            found.contains(hint),
            "{found}: the hint names the fix ({hint})"
        );
    }
}

#[test]
fn a_dropped_in_csaf_document_is_checked_published_and_listed() {
    // A valid document: the example's second advisory as published, with another id.
    let site = example_site();
    let out = tempfile::tempdir().unwrap();
    build(&options(site.path()), &out.path().join("public")).unwrap();
    let published = out
        .path()
        .join("public")
        .join(CSAF)
        .join("white/2026/example-sa-2026-002.json");
    let mut doc = read_json(&published);
    doc["document"]["tracking"]["id"] = "EXAMPLE-SA-2026-003".into();
    doc["document"]["title"] = "Imported advisory".into();
    // Its references point at the advisory it was copied from.
    doc["document"]
        .as_object_mut()
        .unwrap()
        .remove("references");
    let dropped = site
        .path()
        .join("content/advisories/example-sa-2026-003.json");
    std::fs::write(&dropped, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&options(site.path()), &public).expect("builds with the dropped-in document");
    let index = std::fs::read_to_string(public.join(CSAF).join("white/index.txt")).unwrap();
    assert!(index.contains("2026/example-sa-2026-003.json"), "{index}");
    let again = read_json(
        &public
            .join(CSAF)
            .join("white/2026/example-sa-2026-003.json"),
    );
    assert_eq!(again["document"]["tracking"]["id"], "EXAMPLE-SA-2026-003");
    let listing = std::fs::read_to_string(public.join("en/advisories/index.html")).unwrap();
    assert!(listing.contains("Imported advisory"));

    // An invalid one (a product status naming an undefined product) is refused, naming the file.
    doc["vulnerabilities"][0]["product_status"]["known_affected"] =
        serde_json::json!(["NOT-DEFINED"]);
    std::fs::write(&dropped, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let mut opts = options(site.path());
    opts.check = true;
    let Err(BuildError::Invalid(d)) = check(&opts) else {
        panic!("an invalid CSAF document passed");
    };
    let lines: Vec<String> = d.iter().map(|d| d.to_string()).collect();
    assert!(
        lines.iter().any(
            |l| l.starts_with("content/advisories/example-sa-2026-003.json")
                && l.contains("NOT-DEFINED")
        ),
        "{lines:#?}"
    );
}

#[test]
fn the_production_server_lists_the_provider_folders_and_nothing_else() {
    use common::portal::Server;
    let site = example_site();
    let server = Server::start(site.path(), &[]);
    let mut b = server.browser();
    // Requirement 14: the TLP:WHITE folder and its year folders can be browsed.
    let white = b.get("/.well-known/csaf/white/");
    assert_eq!(white.status, 200);
    assert!(
        white
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        white.header("content-security-policy").is_some(),
        "the site's headers apply"
    );
    let text = white.text();
    for entry in ["2026/", "index.txt", "changes.csv"] {
        assert!(
            text.contains(&format!("<a href=\"{entry}\">{entry}</a>")),
            "{text}"
        );
    }
    let year = b.get("/.well-known/csaf/white/2026/").text();
    for entry in [
        "example-sa-2026-001.json",
        "example-sa-2026-001.json.sha256",
        "example-sa-2026-001.json.sha512",
        "example-sa-2026-002.json",
    ] {
        assert!(year.contains(&format!(">{entry}</a>")), "{year}");
    }
    // Every link of a listing resolves.
    for href in attr_values(&year, "a", "href") {
        let target = if href == "../" {
            "/.well-known/csaf/white/".to_owned()
        } else {
            format!("/.well-known/csaf/white/2026/{href}")
        };
        assert_eq!(b.get(&target).status, 200, "{target}");
    }
    // A folder without its slash is redirected; other folders are not listed.
    let bare = b.get("/.well-known/csaf/white/2026");
    assert_eq!(bare.status, 301);
    assert_eq!(
        bare.header("location"),
        Some("/.well-known/csaf/white/2026/")
    );
    assert_eq!(b.get("/documents/dpa/").status, 404);
    assert_eq!(b.get("/.well-known/").status, 404);
    assert_eq!(b.get("/.well-known/csaf/red/").status, 404);
    server.stop();
}

#[test]
fn an_advisory_marked_vex_is_published_under_the_csaf_vex_profile() {
    let site = example_site();
    edit_file(
        &site
            .path()
            .join("content/advisories/example-sa-2026-002.md"),
        |t| t.replacen("  tlp: CLEAR\n", "  tlp: CLEAR\n  vex: true\n", 1),
    );
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    // Built only when the VEX profile's tests pass too (product status, remediation per
    // affected product, the vulnerability's CVE).
    build(&options(site.path()), &public).expect("a VEX document builds");
    let doc = read_json(
        &public
            .join(CSAF)
            .join("white/2026/example-sa-2026-002.json"),
    );
    assert_eq!(doc["document"]["category"], "csaf_vex");
    assert_eq!(
        doc["vulnerabilities"][0]["product_status"]["known_affected"],
        serde_json::json!(["EWC-2026.11"])
    );
    let other = read_json(
        &public
            .join(CSAF)
            .join("white/2026/example-sa-2026-001.json"),
    );
    assert_eq!(other["document"]["category"], "csaf_security_advisory");
    // A VEX vulnerability without a CVE (or other id) is refused, naming the file.
    edit_file(
        &site
            .path()
            .join("content/advisories/example-sa-2026-002.md"),
        |t| t.replacen("    - cve: CVE-2026-99002\n", "    -\n", 1),
    );
    let mut opts = options(site.path());
    opts.check = true;
    let Err(BuildError::Invalid(d)) = check(&opts) else {
        panic!("a VEX vulnerability without a CVE passed");
    };
    assert!(
        d.iter().any(|d| d
            .to_string()
            .starts_with("content/advisories/example-sa-2026-002.md")),
        "{d:?}"
    );
}
