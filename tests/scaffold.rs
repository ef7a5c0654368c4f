//! `candor new` and `candor new-page`.

mod common;

use common::*;

#[test]
fn a_new_site_builds_and_passes_strict_check() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("trust");
    let d = dir.to_str().unwrap();
    let created = candor(&["new", d]);
    assert!(created.status.success(), "{:?}", text(&created));
    for file in [
        "site.yaml",
        "content/_index.md",
        "content/_index.de.md",
        "locales/de/main.ftl",
        "themes/default/templates/base.html",
        "themes/default/static/css/style.css",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    let check = candor(&["check", "--strict", "--root", d]);
    assert!(check.status.success(), "{:?}", text(&check));
    let build = candor(&["build", "--root", d]);
    assert!(build.status.success());
    assert!(
        text(&build).0.starts_with("Built 4 pages (2 de, 2 en)"),
        "{:?}",
        text(&build)
    );
    assert!(
        dir.join("public/de/schwachstellen-melden/index.html")
            .is_file()
    );

    // Not over an existing site.
    let again = candor(&["new", d]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again).1.contains("exists and is not empty"));
}

#[test]
fn new_page_creates_the_page_and_its_translation_stubs() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("trust");
    let d = dir.to_str().unwrap();
    assert!(candor(&["new", d]).status.success());

    // A page in a folder without a section page is refused, and says what to do.
    let orphan = candor(&["new-page", "--root", d, "legal/terms"]);
    assert_eq!(orphan.status.code(), Some(1));
    assert!(
        text(&orphan).1.contains("candor new-page legal/_index"),
        "{:?}",
        text(&orphan)
    );

    assert!(
        candor(&["new-page", "--root", d, "legal/_index"])
            .status
            .success()
    );
    let page = candor(&[
        "new-page",
        "--root",
        d,
        "content/legal/data-retention.md",
        "--lang",
        "en,de",
    ]);
    let (out, err) = text(&page);
    assert!(page.status.success(), "{err}");
    assert_eq!(
        out,
        "created content/legal/data-retention.md\ncreated content/legal/data-retention.de.md\n"
    );
    let en = std::fs::read_to_string(dir.join("content/legal/data-retention.md")).unwrap();
    assert!(
        en.starts_with("---\ntitle: \"Data retention\"\ndescription: \"\"\nupdated: "),
        "{en}"
    );
    let de = std::fs::read_to_string(dir.join("content/legal/data-retention.de.md")).unwrap();
    assert!(
        de.contains("slug: data-retention\n")
            && de.contains("--mark-current content/legal/data-retention.de.md"),
        "{de}"
    );

    let check = candor(&["check", "--strict", "--root", d]);
    assert!(check.status.success(), "{:?}", text(&check));
    assert!(candor(&["build", "--root", d, "-q"]).status.success());
    assert!(
        dir.join("public/de/legal/data-retention/index.html")
            .is_file()
    );

    let twice = candor(&["new-page", "--root", d, "legal/data-retention"]);
    assert_eq!(twice.status.code(), Some(1));
    assert!(text(&twice).1.contains("exists already"));
}
