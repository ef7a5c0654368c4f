#!/usr/bin/env python3
"""Generates a synthetic bilingual trust-center site for benchmarks.

    benches/site/generate.py N OUT_DIR [--one-section]

writes N pages per language (English + German, about 1,200 words each with headings, lists, a
table, a code block and internal `@/` links) in nested sections, plus site.yaml, and copies the
repository's theme and UI strings. It also writes a documents section like the example site's
(content/documents/: the listing page and 5 public document bundles, each an index.md with a
`document:` block, its German translation and tiny generated PDFs beside them), i.e. 6 pages per
language on top of the N. Output is deterministic for a given N.

Shapes: by default the pages stand in sections of 50, ten sections to a top-level area. With
--one-section they all stand in one section (`content/all/`, German slug `alle`) whose listing is
paginated by 20 (`paginate_by: 20`), as a legal team that keeps every answer or policy in one
folder would have it.
"""
import datetime
import os
import random
import shutil
import sys

WORDS_EN = ("data security access control encryption backup customer processing agreement audit "
            "policy network monitoring incident response availability integrity confidentiality "
            "vendor review retention deletion request controller processor transfer clause risk "
            "assessment measure organisation training awareness certificate report key rotation "
            "firewall logging alert tenant isolation redundancy recovery test release review").split()
WORDS_DE = ("Daten Sicherheit Zugriff Verschlüsselung Sicherung Kunde Verarbeitung Vertrag Prüfung "
            "Richtlinie Netzwerk Überwachung Vorfall Reaktion Verfügbarkeit Integrität Vertraulichkeit "
            "Dienstleister Bewertung Aufbewahrung Löschung Anfrage Verantwortlicher Auftragsverarbeiter "
            "Übermittlung Klausel Risiko Maßnahme Organisation Schulung Bewusstsein Zertifikat Bericht "
            "Schlüssel Wechsel Firewall Protokollierung Alarm Mandant Trennung Redundanz Wiederherstellung").split()


def sentence(rng, words, n):
    s = " ".join(rng.choice(words) for _ in range(n))
    return s[0].upper() + s[1:] + "."


def paragraph(rng, words, sentences=5):
    return " ".join(sentence(rng, words, rng.randint(8, 16)) for _ in range(sentences))


def body(rng, words, links, lang):
    heading = "Abschnitt" if lang == "de" else "Section"
    parts = []
    parts.append(paragraph(rng, words))
    for h in range(1, 6):
        parts.append(f"## {heading} {h}: {sentence(rng, words, 3)[:-1]}")
        parts.append(paragraph(rng, words))
        parts.append("\n".join(f"- {sentence(rng, words, 6)}" for _ in range(4)))
        parts.append(paragraph(rng, words, 4))
        if h == 2:
            parts.append("| Measure | Owner | Review |\n|---|---|---|\n" + "\n".join(
                f"| {rng.choice(words)} | {rng.choice(words)} | {rng.randint(1, 12)} |" for _ in range(5)))
        if h == 3:
            parts.append("```yaml\nretention_days: 30\nencryption: aes-256-gcm\nregions: [fra, nue]\n```")
        if h == 4 and links:
            parts.append("See " + ", ".join(f"[{rng.choice(words)}](@/{l})" for l in links) + ".")
        parts.append(f"### {sentence(rng, words, 2)[:-1]}")
        parts.append(paragraph(rng, words, 4))
    return "\n\n".join(parts) + "\n"


# The documents section: (id, category, authoritative, valid_until, versions, en title, de title);
# each version is (version, date, languages with their own file).
DOCUMENTS = (
    ("dpa", "privacy", "de", None, (("3.1", "2025-06-01", ("en", "de")), ("3.0", "2024-01-15", ("en", "de"))),
     "Data Processing Agreement", "Auftragsverarbeitungsvertrag"),
    ("scc", "privacy", None, None, (("2021.1", "2021-09-27", ("en", "de")),),
     "Standard Contractual Clauses", "Standardvertragsklauseln"),
    ("security-whitepaper", "security", None, None, (("2.0", "2025-03-01", ("en",)), ("1.0", "2023-05-10", ("en",))),
     "Security Whitepaper", "Sicherheits-Whitepaper"),
    ("iso27001-certificate", "compliance", None, "2099-12-31", (("2024", "2024-07-01", ("en", "de")),),
     "ISO/IEC 27001 Certificate", "ISO/IEC 27001 Zertifikat"),
    ("privacy-policy", "legal", None, None, (("2.4", "2025-03-01", ("en", "de")),),
     "Privacy Policy", "Datenschutzerklärung"),
)


def tiny_pdf(text):
    """A minimal valid one-page PDF showing `text` (ASCII), with a correct xref table."""
    stream = f"BT /F1 18 Tf 72 770 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def write_documents(out):
    """content/documents/: the listing and one bundle per DOCUMENTS entry; returns pages per language."""
    rng = random.Random("documents")  # own stream: the regular pages stay as they were
    base = os.path.join(out, "content/documents")
    write(os.path.join(base, "_index.md"), "---\ntitle: Documents\ntemplate: documents.html\nweight: 1000\n"
          "updated: 2026-01-01\n---\n" + paragraph(rng, WORDS_EN) + "\n")
    write(os.path.join(base, "_index.de.md"), "---\ntitle: Dokumente\ntemplate: documents.html\nslug: dokumente\n"
          "weight: 1000\nupdated: 2026-01-01\n---\n" + paragraph(rng, WORDS_DE) + "\n")
    ids = [d[0] for d in DOCUMENTS]
    for weight, (doc, category, authoritative, valid_until, versions, title_en, title_de) in enumerate(DOCUMENTS, 1):
        block = [f"document:", f"  category: {category}", "  access: public"]
        if authoritative:
            block.append(f"  authoritative: {authoritative}")
        if valid_until:
            block.append(f"  valid_until: {valid_until}")
        block.append("  versions:")
        for version, date, langs in versions:
            files = {lang: f"{doc}-{version}-{lang}.pdf" for lang in langs}
            block += [f"    - version: \"{version}\"", f"      date: {date}",
                      "      files: {" + ", ".join(f"{l}: {f}" for l, f in files.items()) + "}",
                      f"      notes: {{en: \"{sentence(rng, WORDS_EN, 10)}\", de: \"{sentence(rng, WORDS_DE, 10)}\"}}"]
            for lang, name in files.items():
                path = os.path.join(base, doc, name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(tiny_pdf(f"{doc} {version} {lang}"))
        other = ids[weight % len(ids)]
        for lang, words, suffix, title, extra in (("en", WORDS_EN, "", title_en, "\n".join(block) + "\n"),
                                                  ("de", WORDS_DE, ".de", title_de, f"slug: {doc}-de\n")):
            see = "Siehe auch" if lang == "de" else "See also"
            write(os.path.join(base, doc, f"index{suffix}.md"),
                  f"---\ntitle: \"{title}\"\ndescription: \"{sentence(rng, words, 10)}\"\nweight: {weight * 10}\n"
                  f"updated: 2026-01-01\n{extra}---\n" + paragraph(rng, words) + "\n\n"
                  f"{see} [{rng.choice(words)}](@/documents/{other}/index.md) "
                  f"([{rng.choice(words)}](@/documents/_index.md)).\n\n" + paragraph(rng, words, 3) + "\n")
    return 1 + len(DOCUMENTS)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def leaf(out, rng, key, links):
    """Writes the page `key` (a path under content/, without `.md`) in both languages."""
    for lang, words, suffix, slug in (("en", WORDS_EN, "", ""), ("de", WORDS_DE, ".de", f"slug: seite-{key[-5:]}\n")):
        title = sentence(rng, words, 4)[:-1]
        write(os.path.join(out, "content", key + suffix + ".md"),
              f"---\ntitle: \"{title}\"\ndescription: \"{sentence(rng, words, 10)}\"\n{slug}weight: {rng.randint(1, 100)}\n"
              f"updated: 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n---\n" + body(rng, words, links, lang))


def write_one_section(out, n, rng):
    """The --one-section shape: the home page and one section holding the other N - 2 pages."""
    write(os.path.join(out, "content/_index.md"), "---\ntitle: Home\nupdated: 2026-01-01\n---\n" + paragraph(rng, WORDS_EN) + "\n")
    write(os.path.join(out, "content/_index.de.md"), "---\ntitle: Startseite\nupdated: 2026-01-01\n---\n" + paragraph(rng, WORDS_DE) + "\n")
    write(os.path.join(out, "content/all/_index.md"),
          "---\ntitle: All pages\nweight: 1\npaginate_by: 20\n---\n" + paragraph(rng, WORDS_EN) + "\n")
    write(os.path.join(out, "content/all/_index.de.md"),
          "---\ntitle: Alle Seiten\nslug: alle\nweight: 1\npaginate_by: 20\n---\n" + paragraph(rng, WORDS_DE) + "\n")
    keys = [f"all/page{i:05d}" for i in range(max(0, n - 2))]
    for i, key in enumerate(keys):
        earlier = [keys[j] + ".md" for j in rng.sample(range(i), min(3, i))] if i else ["all/_index.md"]
        leaf(out, rng, key, earlier)


def main():
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and sys.argv[3] != "--one-section"):
        sys.exit(__doc__)
    n = int(sys.argv[1])
    out = sys.argv[2]
    one_section = len(sys.argv) == 4
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    rng = random.Random(n)
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    shutil.copytree(os.path.join(repo, "themes"), os.path.join(out, "themes"))
    shutil.copytree(os.path.join(repo, "locales"), os.path.join(out, "locales"))
    write(os.path.join(out, "site.yaml"), """title: {en: Synthetic Trust Center, de: Synthetisches Trust Center}
description: {en: A generated site for benchmarks., de: Eine erzeugte Seite für Messungen.}
base_url: https://trust.example.com
languages: [en, de]
company: {name: Bench GmbH}
contacts: {security: security@example.com, privacy: privacy@example.com}
security_txt: {expires: %sT00:00:00Z, policy: "https://trust.example.com/vdp"}
""" % (datetime.date.today() + datetime.timedelta(days=200)).isoformat())
    if one_section:
        write_one_section(out, n, rng)
        doc_pages = write_documents(out)
        print(f"{n} pages per language in one section (+{doc_pages} in documents/) in {out}")
        return
    # Pages: sections of 50 pages, grouped 10 sections per top-level area.
    per_section = 50
    sections = max(1, (n + per_section - 1) // per_section)
    keys = []
    for i in range(n):
        s = i // per_section
        area = s // 10
        keys.append((area, s, f"area{area:02d}/section{s:03d}/page{i:05d}.md"))
    page_count = 0
    # Home (counts as one page), areas and sections are pages too; fill the rest with leaves.
    write(os.path.join(out, "content/_index.md"), "---\ntitle: Home\nupdated: 2026-01-01\n---\n" + paragraph(rng, WORDS_EN) + "\n")
    write(os.path.join(out, "content/_index.de.md"), "---\ntitle: Startseite\nupdated: 2026-01-01\n---\n" + paragraph(rng, WORDS_DE) + "\n")
    page_count += 1
    made_areas = set()
    made_sections = set()
    for area, s, key in keys:
        if page_count >= n:
            break
        if area not in made_areas:
            made_areas.add(area)
            for lang, words, suffix, slug in (("en", WORDS_EN, "", ""), ("de", WORDS_DE, ".de", f"slug: bereich{area:02d}\n")):
                write(os.path.join(out, f"content/area{area:02d}/_index{suffix}.md"),
                      f"---\ntitle: Area {area}\n{slug}weight: {area}\n---\n{paragraph(rng, words)}\n")
            page_count += 1
            if page_count >= n:
                break
        if s not in made_sections:
            made_sections.add(s)
            for lang, words, suffix, slug in (("en", WORDS_EN, "", ""), ("de", WORDS_DE, ".de", f"slug: abschnitt{s:03d}\n")):
                write(os.path.join(out, f"content/area{area:02d}/section{s:03d}/_index{suffix}.md"),
                      f"---\ntitle: Section {s}\n{slug}weight: {s}\n---\n{paragraph(rng, words)}\n")
            page_count += 1
            if page_count >= n:
                break
        links = [k for _, _, k in rng.sample(keys, min(3, len(keys)))]
        links = [l for l in links if l < key] or [f"area{area:02d}/section{s:03d}/_index.md"]
        for lang, words, suffix, slug in (("en", WORDS_EN, "", ""), ("de", WORDS_DE, ".de", f"slug: seite-{key[-8:-3]}\n")):
            title = sentence(rng, words, 4)[:-1]
            write(os.path.join(out, "content", key[:-3] + suffix + ".md"),
                  f"---\ntitle: \"{title}\"\ndescription: \"{sentence(rng, words, 10)}\"\n{slug}weight: {rng.randint(1, 100)}\n"
                  f"updated: 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n---\n" + body(rng, words, links, lang))
        page_count += 1
    doc_pages = write_documents(out)
    print(f"{page_count} pages per language (+{doc_pages} in documents/) in {out}")


if __name__ == "__main__":
    main()
