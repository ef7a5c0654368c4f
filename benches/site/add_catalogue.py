#!/usr/bin/env python3
"""Adds generated security advisories and questionnaire answers to a copy of a Candor site.

    add_catalogue.py SITE --advisories N --answers M

- N advisories under content/advisories/bench-sa-NNNNN.md, each with its German translation
  (texts only), one vulnerability with a CVE, a CWE, a CVSS v3.1 vector from a small set,
  affected and fixed versions from the example's products file and a remediation; all interim
  (a final advisory's recorded digest is compared too, which costs the same digest computed
  either way).
- M answers per language in 20 topic files content/_data/answers/bench-topic-NN.yaml, each with
  a question, short and long answer in English and German, two frameworks, a tag and evidence
  links to existing pages.

The content is deterministic (no randomness, no clock), so runs compare like with like.
"""

from __future__ import annotations

import argparse
from pathlib import Path

VECTORS = [
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N",
    "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N",
    "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N",
    "CVSS:3.1/AV:A/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:L",
]
CWES = [
    ("CWE-79", "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')"),
    ("CWE-295", "Improper Certificate Validation"),
    ("CWE-352", "Cross-Site Request Forgery (CSRF)"),
    ("CWE-862", "Missing Authorization"),
]
VERSIONS = ["EWSH-4.2.0", "EWSH-4.2.1", "EWSH-4.3.0", "EWSH-4.3.1"]
PAGES = ["@/security/encryption.md", "@/security/backups.md", "@/security/access-control.md"]


def advisory(n: int) -> tuple[str, str]:
    cwe, cwe_name = CWES[n % len(CWES)]
    month = 1 + n % 11
    day = 1 + n % 27
    date = f"2026-{month:02d}-{day:02d}"
    en = f"""---
title: "Example Workspace Self-Hosted: benchmark vulnerability {n}"
description: "A generated advisory for the benchmark, number {n}."
date: {date}
advisory:
  id: BENCH-SA-2026-{n:05d}
  status: interim
  tlp: CLEAR
  revisions:
    - number: "1"
      date: {date}T10:00:00Z
      summary: "Initial release."
  vulnerabilities:
    - cve: CVE-2026-{10000 + n}
      cwe: {{id: {cwe}, name: "{cwe_name}"}}
      title: "Generated vulnerability {n}"
      description: >-
        A generated description of vulnerability {n}: the server did not check a value it received
        from a client before using it, which an attacker with network access could use under the
        conditions the score describes.
      cvss: "{VECTORS[n % len(VECTORS)]}"
      affected: [{VERSIONS[n % 4]}, {VERSIONS[(n + 1) % 4]}]
      fixed: [EWSH-4.3.2]
      remediations:
        - category: vendor_fix
          details: "Update to version 4.3.2 or later."
          products: [{VERSIONS[n % 4]}, {VERSIONS[(n + 1) % 4]}]
          url: https://example.com/downloads/self-hosted/
---
Versions of Example Workspace Self-Hosted before 4.3.2 are affected by generated vulnerability {n}.
Update to version 4.3.2, which fixes it.
"""
    de = f"""---
title: "Example Workspace Self-Hosted: Benchmark-Schwachstelle {n}"
description: "Ein erzeugter Sicherheitshinweis für den Benchmark, Nummer {n}."
slug: bench-sa-{n:05d}
date: {date}
advisory:
  revisions:
    - summary: "Erstveröffentlichung."
  vulnerabilities:
    - title: "Erzeugte Schwachstelle {n}"
      remediations:
        - details: "Aktualisieren Sie auf Version 4.3.2 oder neuer."
---
Versionen von Example Workspace Self-Hosted vor 4.3.2 sind von der erzeugten Schwachstelle {n}
betroffen. Aktualisieren Sie auf Version 4.3.2, die sie behebt.
"""
    return en, de


def answers(m: int) -> dict[str, str]:
    files: dict[str, list[str]] = {}
    topics = 20
    for n in range(m):
        t = n % topics
        entry = f"""  - id: bench-answer-{n:05d}
    tags: [bench-topic-{(t + 1) % topics:02d}]
    frameworks:
      "ISO/IEC 27001:2022": ["A.{5 + n % 4}.{1 + n % 30}"]
      "CAIQ v4": ["IAM-{1 + n % 16:02d}.1"]
    reviewed: 2026-11-{1 + n % 15:02d}
    owner: "Security team"
    evidence:
      - "{PAGES[n % len(PAGES)]}"
    text:
      en:
        question: "Benchmark question {n}: do you protect the data of generated control {n}?"
        short: "Yes. Generated control {n} is in place and reviewed every year."
        long: |
          Generated control {n} protects customer data as the referenced page describes. It is
          owned by the security team and checked in the internal audit.

          Exceptions are documented and approved by the information security officer.
      de:
        question: "Benchmark-Frage {n}: Schützen Sie die Daten der erzeugten Kontrolle {n}?"
        short: "Ja. Die erzeugte Kontrolle {n} ist eingerichtet und wird jährlich geprüft."
        long: |
          Die erzeugte Kontrolle {n} schützt Kundendaten so, wie die verlinkte Seite es beschreibt.
          Verantwortlich ist das Sicherheitsteam; geprüft wird sie im internen Audit.

          Ausnahmen werden dokumentiert und vom Informationssicherheitsbeauftragten genehmigt.
"""
        files.setdefault(f"bench-topic-{t:02d}", []).append(entry)
    return {
        name: f'topic:\n  en: "Benchmark topic {name[-2:]}"\n  de: "Benchmark-Thema {name[-2:]}"\nanswers:\n'
        + "".join(entries)
        for name, entries in files.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--advisories", type=int, default=0)
    parser.add_argument("--answers", type=int, default=0)
    args = parser.parse_args()
    adv = args.site / "content" / "advisories"
    for n in range(args.advisories):
        en, de = advisory(n)
        (adv / f"bench-sa-{n:05d}.md").write_text(en, encoding="utf-8")
        (adv / f"bench-sa-{n:05d}.de.md").write_text(de, encoding="utf-8")
    if args.answers:
        folder = args.site / "content" / "_data" / "answers"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in answers(args.answers).items():
            (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
