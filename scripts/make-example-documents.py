#!/usr/bin/env python3
"""Generate the sample PDF documents of the Candor example site.

The example site is the trust center of the fictional company Example Cloud GmbH.
This script writes small, valid PDF 1.4 files (hand-written objects, standard
Helvetica fonts with WinAnsiEncoding, uncompressed content streams) into the
document bundles under content/documents/. Every page carries a visible notice
that the document is a sample of a fictional company.

The output is deterministic: all dates come from the document versions, nothing
depends on the current time, so running the script twice produces byte-identical
files.

Usage:  python3 scripts/make-example-documents.py

Python 3.11 standard library only.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "content" / "documents"

# --------------------------------------------------------------------------
# Font metrics (Adobe Helvetica / Helvetica-Bold AFM widths, 1/1000 em)
# --------------------------------------------------------------------------

_ASCII = "".join(chr(c) for c in range(32, 127))
_HELV = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
]
_HELV_BOLD = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
]
WIDTHS = {
    "F1": dict(zip(_ASCII, _HELV)),
    "F2": dict(zip(_ASCII, _HELV_BOLD)),
}
WIDTHS["F1"].update({
    "ä": 556, "ö": 556, "ü": 556, "Ä": 667, "Ö": 778, "Ü": 722, "ß": 611, "é": 556,
    "–": 556, "—": 1000, "„": 333, "“": 333, "”": 333, "‘": 222, "’": 222, "•": 350,
    "·": 278, "§": 556, "°": 400, "×": 584, "…": 1000,
})
WIDTHS["F2"].update({
    "ä": 556, "ö": 611, "ü": 611, "Ä": 722, "Ö": 778, "Ü": 722, "ß": 611, "é": 556,
    "–": 556, "—": 1000, "„": 500, "“": 500, "”": 500, "‘": 278, "’": 278, "•": 350,
    "·": 278, "§": 556, "°": 400, "×": 584, "…": 1000,
})


def text_width(text: str, font: str, size: float) -> float:
    table = WIDTHS[font]
    return sum(table.get(ch, 556) for ch in text) * size / 1000.0


def wrap(text: str, font: str, size: float, max_width: float, max_chars: int = 100) -> list[str]:
    """Simple greedy word wrap: at most max_chars (100) characters and max_width points per line."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = word if not current else current + " " + word
        if current and (len(candidate) > max_chars or text_width(candidate, font, size) > max_width):
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


# --------------------------------------------------------------------------
# PDF primitives
# --------------------------------------------------------------------------

def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (cp1252), escaped and kept 7-bit clean."""
    raw = text.encode("cp1252")  # raises for characters the standard fonts cannot show
    out = bytearray(b"(")
    for b in raw:
        if b in (0x28, 0x29, 0x5C):  # ( ) \
            out += b"\\" + bytes([b])
        elif b < 0x20 or b > 0x7E:
            out += b"\\%03o" % b
        else:
            out.append(b)
    out += b")"
    return bytes(out)


def pdf_text_string(text: str) -> bytes:
    """A PDF text string for the document information dictionary (UTF-16BE with BOM)."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def num(value: float) -> str:
    s = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


PAGE_W, PAGE_H = 595, 842  # A4 in points
MARGIN_L, MARGIN_R = 64, 64
CONTENT_W = PAGE_W - MARGIN_L - MARGIN_R
BODY_TOP = 742
BODY_BOTTOM = 72

NOTICE = {
    "en": "SAMPLE DOCUMENT of the Candor example site – fictional company, not a real contract",
    "de": "MUSTERDOKUMENT der Candor-Beispielseite – fiktives Unternehmen, kein echter Vertrag",
}
HEADER = "Example Cloud GmbH · Musterstraße 1 · 10115 Berlin · example.com"
PAGE_LABEL = {"en": "Page {n} of {total}", "de": "Seite {n} von {total}"}
VERSION_LABEL = {"en": "Version", "de": "Version"}
LANG_TAG = {"en": "en-GB", "de": "de-DE"}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
}


def long_date(iso: str, lang: str) -> str:
    year, month, day = (int(p) for p in iso.split("-"))
    name = MONTHS[lang][month - 1]
    return f"{day}. {name} {year}" if lang == "de" else f"{day} {name} {year}"


@dataclass
class Run:
    """A block of lines with the same font, size, colour, x position and leading."""
    font: str
    size: float
    x: float
    y: float
    leading: float
    lines: list[str]
    gray: float = 0.0


@dataclass
class Page:
    runs: list[Run] = field(default_factory=list)
    graphics: list[str] = field(default_factory=list)


@dataclass
class Doc:
    path: str            # relative to content/documents/
    lang: str            # "en" or "de"
    title: str           # shown as heading and in /Title
    subtitle: str
    version: str
    date: str            # ISO date the version takes effect (also CreationDate)
    subject: str         # /Subject
    meta: list[str]      # small lines under the title
    blocks: list[tuple]  # content blocks, see Layout.add
    short: str = ""      # short title for the footer


class Layout:
    """Places blocks on A4 pages, starting new pages as needed."""

    def __init__(self) -> None:
        self.pages: list[Page] = [Page()]
        self.y = BODY_TOP

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = BODY_TOP

    def ensure(self, height: float) -> None:
        if self.y - height < BODY_BOTTOM:
            self.new_page()

    def lines(self, lines: list[str], font: str, size: float, x: float, leading: float,
              gray: float = 0.0) -> None:
        """Place lines, splitting the run across pages where necessary."""
        while lines:
            self.ensure(leading)
            room = int((self.y - BODY_BOTTOM) // leading)
            chunk, lines = lines[:room], lines[room:]
            self.page.runs.append(Run(font, size, x, self.y - size, leading, chunk, gray))
            self.y -= leading * len(chunk)

    def space(self, amount: float) -> None:
        self.y -= amount

    def add(self, block: tuple) -> None:
        kind = block[0]
        if kind == "h":  # section heading, kept together with the following two lines
            self.space(8)
            self.ensure(15 + 2 * 13)
            self.lines(wrap(block[1], "F2", 11.5, CONTENT_W), "F2", 11.5, MARGIN_L, 15)
            self.space(3)
        elif kind == "p":  # paragraph
            self.lines(wrap(block[1], "F1", 10, CONTENT_W), "F1", 10, MARGIN_L, 13)
            self.space(5)
        elif kind == "small":  # small grey paragraph
            self.lines(wrap(block[1], "F1", 8.5, CONTENT_W), "F1", 8.5, MARGIN_L, 11.5, 0.3)
            self.space(5)
        elif kind == "np":  # numbered paragraph with hanging indent: ("np", "1.1", text)
            indent = 26
            body = wrap(block[2], "F1", 10, CONTENT_W - indent)
            self.ensure(13 * min(2, len(body)))
            self.page.runs.append(Run("F1", 10, MARGIN_L, self.y - 10, 13, [block[1]]))
            self.lines(body, "F1", 10, MARGIN_L + indent, 13)
            self.space(4)
        elif kind == "ul":  # bullet list: ("ul", [item, ...])
            indent = 13
            for item in block[1]:
                body = wrap(item, "F1", 10, CONTENT_W - indent)
                self.ensure(13 * min(2, len(body)))
                self.page.runs.append(Run("F1", 10, MARGIN_L + 2, self.y - 10, 13, ["•"]))
                self.lines(body, "F1", 10, MARGIN_L + indent, 13)
                self.space(2.5)
            self.space(3)
        elif kind == "kv":  # key/value table: ("kv", [(key, value), ...])
            key_w = block[2] if len(block) > 2 else 150
            for key, value in block[1]:
                keys = wrap(key, "F2", 9.5, key_w - 10)
                values = wrap(value, "F1", 9.5, CONTENT_W - key_w)
                height = 13 * max(len(keys), len(values))
                self.ensure(height)
                top = self.y
                self.page.runs.append(Run("F2", 9.5, MARGIN_L, top - 9.5, 13, keys))
                self.page.runs.append(Run("F1", 9.5, MARGIN_L + key_w, top - 9.5, 13, values))
                self.y = top - height - 3
                self.page.graphics.append(
                    f"0.8 G 0.5 w {MARGIN_L} {num(self.y + 1)} m {PAGE_W - MARGIN_R} {num(self.y + 1)} l S")
                self.y -= 3
            self.space(4)
        elif kind == "center":  # centred bold line(s): ("center", text, size)
            size = block[2]
            for line in wrap(block[1], "F2", size, CONTENT_W):
                self.ensure(size * 1.4)
                x = MARGIN_L + (CONTENT_W - text_width(line, "F2", size)) / 2
                self.page.runs.append(Run("F2", size, x, self.y - size, size * 1.4, [line]))
                self.y -= size * 1.4
            self.space(4)
        elif kind == "gap":
            self.space(block[1])
        elif kind == "pagebreak":
            self.new_page()
        else:
            raise ValueError(f"unknown block kind {kind!r}")


def render_run(run: Run) -> str:
    ops = [f"{num(run.gray)} g BT /{run.font} {num(run.size)} Tf {num(run.leading)} TL "
           f"{num(run.x)} {num(run.y)} Td"]
    for i, line in enumerate(run.lines):
        ops.append(pdf_string(line).decode("ascii") + (" Tj" if i == 0 else " '"))
    ops.append("ET")
    return "\n".join(ops)


def page_frame(doc: Doc, number: int, total: int) -> str:
    """Header, sample notice banner and footer drawn on every page."""
    notice = NOTICE[doc.lang]
    size = 9
    notice_w = text_width(notice, "F2", size)
    assert notice_w < CONTENT_W - 12, f"notice too wide: {notice_w}"
    parts = [
        # header line with the company address
        render_run(Run("F1", 8, MARGIN_L, 806, 10, [HEADER], 0.35)),
        f"0.7 G 0.5 w {MARGIN_L} 800 m {PAGE_W - MARGIN_R} 800 l S",
        # sample notice banner: light red box, dark red bold text
        f"1 0.92 0.92 rg 0.7 0 0 RG 1 w {MARGIN_L} 766 {CONTENT_W} 22 re B",
        "0.65 0 0 rg BT /F2 9 Tf "
        f"{num(MARGIN_L + (CONTENT_W - notice_w) / 2)} 774 Td {pdf_string(notice).decode('ascii')} Tj ET",
        # footer
        f"0.7 G 0.5 w {MARGIN_L} 58 m {PAGE_W - MARGIN_R} 58 l S",
    ]
    left = f"{doc.short or doc.title} · {VERSION_LABEL[doc.lang]} {doc.version}"
    right = PAGE_LABEL[doc.lang].format(n=number, total=total)
    right_x = PAGE_W - MARGIN_R - text_width(right, "F1", 8)
    parts.append(render_run(Run("F1", 8, MARGIN_L, 46, 10, [left], 0.35)))
    parts.append(render_run(Run("F1", 8, right_x, 46, 10, [right], 0.35)))
    return "\n".join(parts)


def layout(doc: Doc) -> list[Page]:
    lay = Layout()
    lay.lines(wrap(doc.title, "F2", 18, CONTENT_W, 60), "F2", 18, MARGIN_L, 22)
    lay.space(2)
    if doc.subtitle:
        lay.lines(wrap(doc.subtitle, "F1", 11.5, CONTENT_W), "F1", 11.5, MARGIN_L, 15)
    lay.space(4)
    for line in doc.meta:
        lay.lines(wrap(line, "F1", 9, CONTENT_W), "F1", 9, MARGIN_L, 12, 0.3)
    lay.space(6)
    lay.page.graphics.append(
        f"0.3 G 0.8 w {MARGIN_L} {num(lay.y)} m {PAGE_W - MARGIN_R} {num(lay.y)} l S")
    lay.space(6)
    for block in doc.blocks:
        lay.add(block)
    return lay.pages


def build_pdf(doc: Doc) -> bytes:
    pages = layout(doc)
    total = len(pages)
    if not 1 <= total <= 3:
        raise SystemExit(f"{doc.path}: {total} pages, expected 1 to 3")

    objects: dict[int, bytes] = {}
    page_ids = [6 + 2 * i for i in range(total)]
    objects[1] = (b"<< /Type /Catalog /Pages 2 0 R /Lang " + pdf_string(LANG_TAG[doc.lang])
                  + b" /ViewerPreferences << /DisplayDocTitle true >> >>")
    objects[2] = ("<< /Type /Pages /Kids [" + " ".join(f"{p} 0 R" for p in page_ids)
                  + f"] /Count {total} >>").encode("ascii")
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    objects[4] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
    pdf_date = "D:" + doc.date.replace("-", "") + "000000Z"
    objects[5] = (b"<< /Title " + pdf_text_string(doc.title)
                  + b" /Author " + pdf_text_string("Example Cloud GmbH")
                  + b" /Subject " + pdf_text_string(doc.subject)
                  + b" /Creator " + pdf_text_string("Candor example site (scripts/make-example-documents.py)")
                  + b" /Producer " + pdf_text_string("make-example-documents.py")
                  + b" /CreationDate " + pdf_string(pdf_date)
                  + b" /ModDate " + pdf_string(pdf_date) + b" >>")
    for i, page in enumerate(pages):
        page_id, content_id = page_ids[i], page_ids[i] + 1
        content = "\n".join(
            [page_frame(doc, i + 1, total)] + page.graphics + [render_run(r) for r in page.runs]
        ).encode("ascii") + b"\n"
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {content_id} 0 R >>"
        ).encode("ascii")
        objects[content_id] = (f"<< /Length {len(content)} >>\nstream\n".encode("ascii")
                               + content + b"endstream")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for obj_id in sorted(objects):
        offsets[obj_id] = len(out)
        out += f"{obj_id} 0 obj\n".encode("ascii") + objects[obj_id] + b"\nendobj\n"
    size = max(objects) + 1
    xref_at = len(out)
    out += f"xref\n0 {size}\n".encode("ascii") + b"0000000000 65535 f \n"
    for obj_id in range(1, size):
        out += f"{offsets[obj_id]:010d} 00000 n \n".encode("ascii")
    file_id = hashlib.md5(bytes(out)).hexdigest().upper()
    out += (f"trailer\n<< /Size {size} /Root 1 0 R /Info 5 0 R /ID [<{file_id}> <{file_id}>] >>\n"
            f"startxref\n{xref_at}\n%%EOF\n").encode("ascii")
    return bytes(out)


# --------------------------------------------------------------------------
# Document texts
# --------------------------------------------------------------------------

COMPANY_EN = "Example Cloud GmbH, Musterstraße 1, 10115 Berlin, Germany"
COMPANY_DE = "Example Cloud GmbH, Musterstraße 1, 10115 Berlin"


TOM_URL_EN = "https://trust.example.com/en/security/tom/"
TOM_URL_DE = "https://trust.example.com/de/sicherheit/tom/"


def tom_en(version: str) -> list[str]:
    new = version != "3.0"
    return [
        "Physical security: two colocation data centres in Frankfurt am Main (ISO/IEC 27001, BSI C5) and "
        "Nuremberg (ISO/IEC 27001 on the basis of IT-Grundschutz), Germany; entry for registered persons "
        "only, video surveillance and logging of all entries.",
        "Access control: personal accounts only, multi-factor authentication for all staff accounts, "
        "SSH logins with keys only, role-based rights approved by the system owner; "
        + ("phishing-resistant hardware security keys for administrative access and quarterly reviews "
           "of all rights to production systems."
           if new else "reviews of rights to production systems every six months."),
        "Encryption: "
        + ("TLS 1.2 or higher for all connections, TLS 1.3 preferred, with HSTS; "
           if new else "TLS 1.2 or higher for all connections; ")
        + "AES-256 encryption at rest for databases, backups and file storage.",
        "Separation: logical separation of customer data by tenant; strictly separated development, "
        "test, staging and production environments; no customer data outside production.",
        "Availability: redundant components; daily backups, kept for 30 days and stored encrypted in the "
        "Nuremberg data centre; "
        + ("restore tests every month; recovery point objective (RPO) 24 hours, recovery time "
           "objective (RTO) 8 hours."
           if new else "restore tests every quarter."),
        "Logging: central logging of security-relevant events with alerting, kept for 90 days; audit log of "
        "administrative changes in each workspace, kept for 12 months.",
        "Secure development: code review of every change, automated dependency checks, dynamic "
        "security tests and at least one penetration test a year by an independent firm.",
        "Organisation: information security management system certified to ISO/IEC 27001; "
        "confidentiality obligations and annual awareness training for all staff; external data "
        "protection officer.",
    ]


def tom_de(version: str) -> list[str]:
    new = version != "3.0"
    return [
        "Zutrittskontrolle: zwei Colocation-Rechenzentren in Frankfurt am Main (ISO/IEC 27001, BSI C5) und "
        "Nürnberg (ISO/IEC 27001 auf der Basis von IT-Grundschutz); Zutritt nur für registrierte Personen, "
        "Videoüberwachung und Protokollierung aller Zutritte.",
        "Zugangs- und Zugriffskontrolle: ausschließlich persönliche Konten, Mehr-Faktor-"
        "Authentifizierung für alle Konten der Beschäftigten, SSH-Anmeldung nur mit Schlüsseln, "
        "rollenbasierte Rechte nach Freigabe durch die Systemverantwortlichen; "
        + ("Phishing-resistente Hardware-Sicherheitsschlüssel für administrative Zugänge und "
           "vierteljährliche Überprüfung aller Rechte auf Produktivsystemen."
           if new else "halbjährliche Überprüfung der Rechte auf Produktivsystemen."),
        "Verschlüsselung: "
        + ("TLS 1.2 oder höher für alle Verbindungen, bevorzugt TLS 1.3, mit HSTS; "
           if new else "TLS 1.2 oder höher für alle Verbindungen; ")
        + "AES-256-Verschlüsselung ruhender Daten in Datenbanken, Datensicherungen und Dateispeichern.",
        "Trennungskontrolle: logische Mandantentrennung der Kundendaten; strikt getrennte Entwicklungs-, "
        "Test-, Staging- und Produktivumgebungen; keine Kundendaten außerhalb der Produktion.",
        "Verfügbarkeitskontrolle: redundante Komponenten; tägliche Datensicherung mit 30 Tagen "
        "Aufbewahrung, verschlüsselt im Rechenzentrum Nürnberg; "
        + ("monatliche Wiederherstellungstests; maximaler Datenverlust (RPO) 24 Stunden, maximale "
           "Wiederherstellungszeit (RTO) 8 Stunden."
           if new else "vierteljährliche Wiederherstellungstests."),
        "Eingabekontrolle: zentrale Protokollierung sicherheitsrelevanter Ereignisse mit Alarmierung, "
        "90 Tage aufbewahrt; Audit-Log administrativer Änderungen je Arbeitsbereich, 12 Monate aufbewahrt.",
        "Sichere Entwicklung: Code-Review jeder Änderung, automatisierte Prüfung von Abhängigkeiten, "
        "dynamische Sicherheitstests und mindestens ein Penetrationstest pro Jahr durch ein unabhängiges "
        "Prüfunternehmen.",
        "Organisation: nach ISO/IEC 27001 zertifiziertes Informationssicherheits-Managementsystem; "
        "Verpflichtung aller Beschäftigten auf Vertraulichkeit und jährliche Sensibilisierungsschulungen; "
        "externe Datenschutzbeauftragte.",
    ]


def dpa_en(version: str, date: str) -> Doc:
    blocks = [
        ("h", "1. Subject matter and duration"),
        ("np", "1.1", "This Agreement governs the processing of personal data by Example Cloud GmbH "
         "(the “Processor”) on behalf of the customer (the “Controller”) when the Controller uses "
         "Example Workspace Cloud under the main agreement between the parties (the “Main Agreement”)."),
        ("np", "1.2", "This Agreement runs for the term of the Main Agreement. The obligations on deletion, "
         "return and confidentiality continue to apply after it ends."),
        ("h", "2. Nature and purpose of the processing, data and data subjects"),
        ("np", "2.1", "The Processor provides, operates, maintains and supports Example Workspace Cloud, a "
         "collaboration platform for projects, documents and customer tickets. Processing comprises in "
         "particular storing, backing up, transmitting and deleting the data entered by the Controller."),
        ("np", "2.2", "Types of personal data: master and contact data of users (name, e-mail address, role), "
         "content stored in workspaces (documents, comments, tickets) and usage and log data "
         "(IP addresses, timestamps, actions)."),
        ("np", "2.3", "Data subjects: employees and other authorised users of the Controller, and the "
         "Controller's customers, suppliers and contacts whose data is stored in a workspace."),
        ("np", "2.4", "Customer content is stored in data centres in Frankfurt am Main and Nuremberg, Germany; "
         "system e-mails and error reports are processed by the subprocessors listed in the trust center "
         "within the EU/EEA. Transfers to third countries are governed by Section 9."),
        ("h", "3. Instructions"),
        ("np", "3.1", "The Processor processes personal data only on documented instructions from the "
         "Controller. The Main Agreement, this Agreement and the Controller's configuration of the service "
         "are the Controller's instructions; further instructions are given in text form to "
         "privacy@example.com."),
        ("np", "3.2", "If the Processor considers that an instruction infringes data protection law, it "
         "informs the Controller without undue delay."),
        ("h", "4. Confidentiality"),
        ("p", "The Processor only employs persons who are bound to confidentiality and trained in data "
         "protection. The training is repeated every year."),
        ("h", "5. Technical and organisational measures"),
        ("np", "5.1", "The Processor implements the technical and organisational measures described in "
         "Annex 1 to ensure a level of security appropriate to the risk in accordance with Art. 32 GDPR."),
        ("np", "5.2", "The Processor may adapt the measures to technical progress, provided that the level "
         "of protection is not reduced. Material changes are documented."),
        ("h", "6. Subprocessors"),
        ("np", "6.1", "The Controller grants general authorisation to engage subprocessors. The current list "
         "is published in the trust center at https://trust.example.com."),
        ("np", "6.2", "The Processor informs the Controller of any intended change at least 30 days in "
         "advance. The Controller may object on reasonable data protection grounds; if the parties find "
         "no solution, the Controller may terminate the affected service with effect from the change."),
        ("np", "6.3", "The Processor imposes the same data protection obligations on every subprocessor by "
         "contract and remains liable for its subprocessors."),
        ("h", "7. Assistance to the Controller"),
        ("p", "The Processor assists the Controller in responding to requests from data subjects and in "
         "meeting the obligations under Art. 32 to 36 GDPR, in particular with data protection impact "
         "assessments. Requests that reach the Processor directly are forwarded without undue delay."),
        ("h", "8. Personal data breaches"),
        ("p", "The Processor notifies the Controller of a personal data breach without undue delay and "
         "no later than 24 hours after becoming aware of it. The notification contains the information "
         "listed in Art. 33(3) GDPR, as far as it is available."),
        ("h", "9. Transfers to third countries"),
        ("np", "9.1", "Personal data is transferred to a country outside the European Economic Area only "
         "on the Controller's documented instructions and only if the conditions of Art. 44 et seq. GDPR "
         "are met."),
        ("np", "9.2", "Where the Controller is established in a third country without an adequacy decision "
         "and is not subject to the GDPR for the processing, Module Four of the Standard Contractual "
         "Clauses (Commission Implementing Decision (EU) 2021/914) applies as set out in Annex 2."),
        ("np", "9.3", "The Processor engages a subprocessor in a third country only under an adequacy "
         "decision or after concluding Module Three of the Standard Contractual Clauses with it; a "
         "subprocessor in the United States must also be certified under the EU–US Data Privacy Framework."),
        ("np", "9.4", "For transfers under the data protection law of the United Kingdom, the UK Addendum "
         "issued by the Information Commissioner (template B1.0) applies in addition, as set out in Annex 3."),
        ("h", "10. Deletion and return"),
        ("p", "When the Main Agreement ends, the Processor deletes or returns the personal data, at the "
         "Controller's choice, unless a statutory retention obligation applies. Copies in backups are "
         "deleted when the 30-day retention period expires. The Processor confirms the deletion in text "
         "form on request."),
        ("h", "11. Audits"),
        ("np", "11.1", "The Processor makes available all information necessary to demonstrate compliance, "
         "in particular its ISO/IEC 27001 certificate and summaries of audit reports."),
        ("np", "11.2", "On-site audits are possible during business hours with 30 days' notice, as a rule "
         "no more than once a year unless there is specific cause."),
        ("h", "12. Final provisions"),
        ("p", "This Agreement is governed by German law; the place of jurisdiction is Berlin. The German "
         "version (Auftragsverarbeitungsvertrag) is authoritative; this English version is provided for "
         "information. Annex 3 exists in English only and is governed by its English text. Amendments require "
         "text form. Should a provision be invalid, the remainder of the Agreement remains valid."),
        ("h", "Annex 1 – Technical and organisational measures (summary)"),
        ("ul", tom_en(version)),
        ("p", f"Described in detail, with changes under Section 5.2, at {TOM_URL_EN}."),
        ("h", "Annex 2 – Standard Contractual Clauses"),
        ("p", "The clauses are incorporated by reference without any change (Clause 2) and prevail over this "
         "Agreement in case of conflict (Clause 5). Module Four: the Processor is exporter, the Controller "
         "importer; Annex I.B follows from Section 2; Clause 7 applies, the option in Clause 11 does not; "
         "Clause 17: German law; Clause 18: the courts of Berlin. Module Three is concluded by the "
         "Processor with subprocessors (Section 9.3)."),
        ("h", "Annex 3 – UK International Data Transfer Addendum"),
        ("p", "For transfers restricted under UK law, the completed Addendum published in the trust center "
         "applies (Module Two; exporter: the Controller, importer: the Processor), with its Mandatory "
         "Clauses as revised from time to time; for these transfers, the laws and courts of England and "
         "Wales then apply."),
    ]
    return Doc(
        path=f"dpa/dpa-{version}-en.pdf", lang="en",
        title="Data Processing Agreement (DPA)",
        subtitle="pursuant to Art. 28 GDPR for Example Workspace Cloud",
        version=version, date=date,
        subject="Data Processing Agreement between customers and Example Cloud GmbH",
        meta=[f"Version {version} · Effective {long_date(date, 'en')}",
              f"Between the customer (Controller) and {COMPANY_EN} (Processor)",
              "Translation for information. The German version (Auftragsverarbeitungsvertrag) is authoritative."],
        blocks=blocks, short="Data Processing Agreement")


def avv_de(version: str, date: str) -> Doc:
    blocks = [
        ("h", "§ 1 Gegenstand und Dauer"),
        ("np", "(1)", "Dieser Vertrag regelt die Verarbeitung personenbezogener Daten durch die Example "
         "Cloud GmbH (nachfolgend „Auftragsverarbeiter“) im Auftrag des Kunden (nachfolgend "
         "„Verantwortlicher“) bei der Nutzung von Example Workspace Cloud auf Grundlage des zwischen den "
         "Parteien geschlossenen Hauptvertrags."),
        ("np", "(2)", "Die Laufzeit dieses Vertrags richtet sich nach der Laufzeit des Hauptvertrags. Die "
         "Pflichten zu Löschung, Rückgabe und Vertraulichkeit gelten über das Vertragsende hinaus."),
        ("h", "§ 2 Art und Zweck der Verarbeitung, Art der Daten, betroffene Personen"),
        ("np", "(1)", "Der Auftragsverarbeiter stellt Example Workspace Cloud bereit, eine Plattform für "
         "Projekte, Dokumente und Kundentickets, betreibt und wartet sie und leistet Support. Die "
         "Verarbeitung umfasst insbesondere das Speichern, Sichern, Übermitteln und Löschen der vom "
         "Verantwortlichen eingegebenen Daten."),
        ("np", "(2)", "Art der Daten: Stamm- und Kontaktdaten der Nutzenden (Name, E-Mail-Adresse, Rolle), "
         "Inhaltsdaten in Arbeitsbereichen (Dokumente, Kommentare, Tickets) sowie Nutzungs- und "
         "Protokolldaten (IP-Adressen, Zeitstempel, Aktionen)."),
        ("np", "(3)", "Betroffene Personen: Beschäftigte und sonstige berechtigte Nutzende des "
         "Verantwortlichen sowie Kontaktpersonen seiner Kunden, Lieferanten und sonstigen Geschäftspartner, "
         "deren Daten in einem Arbeitsbereich gespeichert werden."),
        ("np", "(4)", "Kundeninhalte werden in Rechenzentren in Frankfurt am Main und Nürnberg gespeichert; "
         "System-E-Mails und Fehlerberichte verarbeiten die im Trust Center genannten "
         "Unterauftragsverarbeiter in der EU bzw. im EWR. Für Drittländer gilt § 9."),
        ("h", "§ 3 Weisungen"),
        ("np", "(1)", "Der Auftragsverarbeiter verarbeitet personenbezogene Daten ausschließlich auf "
         "dokumentierte Weisung des Verantwortlichen. Als Weisung gelten der Hauptvertrag, dieser Vertrag "
         "und die Konfiguration des Dienstes durch den Verantwortlichen; ergänzende Weisungen erteilt der "
         "Verantwortliche in Textform an privacy@example.com."),
        ("np", "(2)", "Ist der Auftragsverarbeiter der Auffassung, dass eine Weisung gegen "
         "datenschutzrechtliche Vorschriften verstößt, weist er den Verantwortlichen unverzüglich darauf hin."),
        ("h", "§ 4 Vertraulichkeit"),
        ("p", "Der Auftragsverarbeiter setzt ausschließlich Personen ein, die zur Vertraulichkeit "
         "verpflichtet und im Datenschutz geschult sind. Die Schulung wird jährlich wiederholt."),
        ("h", "§ 5 Technische und organisatorische Maßnahmen"),
        ("np", "(1)", "Der Auftragsverarbeiter trifft die in Anlage 1 beschriebenen technischen und "
         "organisatorischen Maßnahmen (TOM), um ein dem Risiko angemessenes Schutzniveau nach Art. 32 "
         "DSGVO zu gewährleisten."),
        ("np", "(2)", "Er darf die Maßnahmen an den technischen Fortschritt anpassen, sofern das "
         "Schutzniveau nicht unterschritten wird. Wesentliche Änderungen werden dokumentiert."),
        ("h", "§ 6 Unterauftragsverarbeiter"),
        ("np", "(1)", "Der Verantwortliche erteilt die allgemeine Genehmigung zur Beauftragung von "
         "Unterauftragsverarbeitern. Die aktuelle Liste ist im Trust Center unter "
         "https://trust.example.com veröffentlicht."),
        ("np", "(2)", "Über beabsichtigte Änderungen informiert der Auftragsverarbeiter mindestens 30 Tage "
         "im Voraus. Der Verantwortliche kann aus berechtigten datenschutzrechtlichen Gründen widersprechen; "
         "finden die Parteien keine Lösung, kann er den betroffenen Dienst zum Zeitpunkt der Änderung "
         "kündigen."),
        ("np", "(3)", "Der Auftragsverarbeiter erlegt jedem Unterauftragsverarbeiter vertraglich dieselben "
         "Datenschutzpflichten auf und haftet für dessen Einhaltung."),
        ("h", "§ 7 Unterstützung des Verantwortlichen"),
        ("p", "Der Auftragsverarbeiter unterstützt den Verantwortlichen bei der Beantwortung von Anträgen "
         "betroffener Personen und bei der Einhaltung der Pflichten aus Art. 32 bis 36 DSGVO, insbesondere "
         "bei Datenschutz-Folgenabschätzungen. Anträge, die unmittelbar bei ihm eingehen, leitet er "
         "unverzüglich weiter."),
        ("h", "§ 8 Verletzungen des Schutzes personenbezogener Daten"),
        ("p", "Der Auftragsverarbeiter meldet dem Verantwortlichen eine Verletzung des Schutzes "
         "personenbezogener Daten unverzüglich, spätestens 24 Stunden nachdem sie ihm bekannt geworden ist. "
         "Die Meldung enthält die Angaben nach Art. 33 Abs. 3 DSGVO, soweit sie vorliegen."),
        ("h", "§ 9 Übermittlung in Drittländer"),
        ("np", "(1)", "Eine Übermittlung personenbezogener Daten in ein Land außerhalb des Europäischen "
         "Wirtschaftsraums erfolgt nur auf dokumentierte Weisung des Verantwortlichen und nur, wenn die "
         "Voraussetzungen der Art. 44 ff. DSGVO erfüllt sind."),
        ("np", "(2)", "Hat der Verantwortliche seinen Sitz in einem Drittland ohne Angemessenheitsbeschluss "
         "und unterliegt er für die Verarbeitung nicht der DSGVO, gilt Modul 4 der Standardvertragsklauseln "
         "(Durchführungsbeschluss (EU) 2021/914) nach Maßgabe von Anlage 2."),
        ("np", "(3)", "Unterauftragsverarbeiter in Drittländern setzt der Auftragsverarbeiter nur mit "
         "Angemessenheitsbeschluss oder nach Abschluss von Modul 3 der Standardvertragsklauseln ein; solche "
         "in den USA müssen zudem nach dem Datenschutzrahmen EU-USA zertifiziert sein."),
        ("np", "(4)", "Für Übermittlungen nach dem Datenschutzrecht des Vereinigten Königreichs gilt "
         "ergänzend das UK-Addendum des Information Commissioner (Vorlage B1.0) nach Anlage 3."),
        ("h", "§ 10 Löschung und Rückgabe"),
        ("p", "Nach Beendigung des Hauptvertrags löscht der Auftragsverarbeiter die personenbezogenen Daten "
         "nach Wahl des Verantwortlichen oder gibt sie zurück, sofern keine gesetzliche Pflicht zur "
         "Aufbewahrung besteht. Kopien in Datensicherungen werden mit Ablauf der Aufbewahrungsfrist von "
         "30 Tagen gelöscht. Auf Verlangen bestätigt der Auftragsverarbeiter die Löschung in Textform."),
        ("h", "§ 11 Kontrollrechte"),
        ("np", "(1)", "Der Auftragsverarbeiter stellt alle Informationen zur Verfügung, die zum Nachweis "
         "der Einhaltung seiner Pflichten erforderlich sind, insbesondere sein ISO/IEC-27001-Zertifikat und "
         "Zusammenfassungen von Auditberichten."),
        ("np", "(2)", "Kontrollen vor Ort sind nach Anmeldung mit einer Frist von 30 Tagen während der "
         "üblichen Geschäftszeiten möglich, in der Regel höchstens einmal jährlich, sofern kein konkreter "
         "Anlass besteht."),
        ("h", "§ 12 Schlussbestimmungen"),
        ("p", "Es gilt deutsches Recht; Gerichtsstand ist Berlin. Maßgeblich ist diese deutsche Fassung; die "
         "englische Übersetzung dient nur der Information. Anlage 3 liegt nur auf Englisch vor und ist im "
         "englischen Wortlaut maßgeblich. Änderungen bedürfen der Textform. Sollte eine Bestimmung "
         "unwirksam sein, bleibt die Wirksamkeit der übrigen Bestimmungen unberührt."),
        ("h", "Anlage 1 – Technische und organisatorische Maßnahmen (Zusammenfassung)"),
        ("ul", tom_de(version)),
        ("p", f"Ausführlich beschrieben, mit Änderungen nach § 5 Abs. 2, unter {TOM_URL_DE}."),
        ("h", "Anlage 2 – Standardvertragsklauseln"),
        ("p", "Die Klauseln sind unverändert durch Verweis einbezogen (Klausel 2) und gehen diesem Vertrag "
         "bei Widersprüchen vor (Klausel 5). Modul 4: Exporteur ist der Auftragsverarbeiter, Importeur der "
         "Verantwortliche; Anhang I.B ergibt sich aus § 2; Klausel 7 gilt, die Option in Klausel 11 nicht; "
         "Klausel 17: deutsches Recht; Klausel 18: Gerichte in Berlin. Modul 3 schließt der "
         "Auftragsverarbeiter mit Unterauftragsverarbeitern ab (§ 9 Abs. 3)."),
        ("h", "Anlage 3 – UK International Data Transfer Addendum"),
        ("p", "Für Übermittlungen, die nach britischem Recht einer Garantie bedürfen, gilt das im Trust "
         "Center veröffentlichte, ausgefüllte Addendum (Modul 2; Exporteur: Verantwortlicher, Importeur: "
         "Auftragsverarbeiter) mit seinen verbindlichen Klauseln in der jeweils gültigen Fassung; danach "
         "gelten für diese Übermittlungen Recht und Gerichte von England und Wales."),
    ]
    return Doc(
        path=f"dpa/avv-{version}-de.pdf", lang="de",
        title="Auftragsverarbeitungsvertrag (AVV)",
        subtitle="gemäß Art. 28 DSGVO für Example Workspace Cloud",
        version=version, date=date,
        subject="Auftragsverarbeitungsvertrag zwischen Kunden und der Example Cloud GmbH",
        meta=[f"Version {version} · gültig ab {long_date(date, 'de')}",
              f"zwischen dem Kunden (Verantwortlicher) und der {COMPANY_DE} (Auftragsverarbeiter)",
              "Diese deutsche Fassung ist maßgeblich."],
        blocks=blocks, short="Auftragsverarbeitungsvertrag")


def scc_en() -> Doc:
    return Doc(
        path="scc/scc-2021-en.pdf", lang="en",
        title="EU Standard Contractual Clauses",
        subtitle="Module Four (processor to controller) and the annexes used with subprocessors "
                 "(Module Three)",
        version="2021.1", date="2021-09-27",
        subject="EU Standard Contractual Clauses, Modules Four and Three, with the annexes of Example Cloud GmbH",
        meta=["Version 2021.1 · Effective 27 September 2021",
              f"Annex to the Data Processing Agreement of {COMPANY_EN}"],
        blocks=[
            ("small", "About this document: the clauses are incorporated into the Data Processing Agreement by "
             "reference and without any change (Clause 2). Their binding text is the Annex to Commission "
             "Implementing Decision (EU) 2021/914 of 4 June 2021 (OJ L 199, 7.6.2021, p. 31); it is not "
             "reproduced here. This file contains the completed annexes and notes on the choices made; the "
             "notes help you find your way and are not part of the agreement."),
            ("h", "1. Which module applies"),
            ("ul", [
                "Module Four (processor to controller) applies between the customer and Example Cloud GmbH "
                "where the customer is established in a third country without an adequacy decision and is "
                "not itself subject to the GDPR for the processing (recital 7 of the Decision). Data that "
                "Example Cloud GmbH makes available to such a customer from Germany is then a transfer.",
                "Module Three (processor to processor) is not an agreement with the customer: Example Cloud "
                "GmbH concludes it with a subprocessor in a third country without an adequacy decision "
                "(Art. 28(4) GDPR).",
                "Module Two (controller to processor) does not apply under the GDPR: it presupposes a "
                "processor outside the EEA, and Example Cloud GmbH processes customer data in Germany.",
            ]),
            ("h", "2. Choices and notes on selected clauses"),
            ("ul", [
                "Clause 2 – Effect and invariability: the clauses are used unchanged; other provisions of the "
                "Data Processing Agreement may not contradict them. Clause 5 – Hierarchy: in case of "
                "conflict, the clauses prevail.",
                "Clause 7 – Docking clause: selected.",
                "Clause 9 – Use of sub-processors (Module Three): Option 2, general written authorisation; "
                "intended changes are notified at least 30 days in advance.",
                "Clause 11 – Redress: the optional wording is not selected.",
                "Clauses 14 and 15 – Local laws and government access: under Module Four they apply only where "
                "Example Cloud GmbH combines the personal data received from the customer with personal data "
                "it collected in the EU; under Module Three they always apply.",
                "Clause 17 – Governing law: the law of Germany. Clause 18 – Choice of forum: the courts of "
                "Berlin, Germany.",
            ]),
            ("h", "3. Module Four – Annex I.A: list of parties"),
            ("kv", [
                ("Data exporter", f"{COMPANY_EN}, processor on behalf of the customer. Contact: "
                 "privacy@example.com; data protection officer: Dr. Erika Mustermann, dpo@example.com."),
                ("Data importer", "The customer as controller, as named in the Main Agreement."),
            ]),
            ("h", "4. Module Four – Annex I.B: description of the transfer"),
            ("kv", [
                ("Data subjects", "Users of Example Workspace Cloud and the customer's contacts whose "
                 "data is stored in a workspace."),
                ("Categories of data", "Contact data, content of workspaces, usage and log data."),
                ("Sensitive data", "None intended. Should customers store such data, the measures in "
                 "Annex 1 of the Data Processing Agreement apply."),
                ("Frequency", "Continuous, whenever the customer's users retrieve data from the service."),
                ("Nature and purpose", "Making the data stored in Example Workspace Cloud available to the "
                 "customer: display, exports, notifications and support."),
                ("Retention", "Decided by the customer as controller; at Example Cloud GmbH for the term of "
                 "the Main Agreement, backups are deleted after 30 days."),
            ]),
            ("h", "5. Module Three – annexes used with subprocessors"),
            ("p", "Annex I.C (Clause 13): the Berlin Commissioner for Data Protection and Freedom of "
             "Information, competent for Example Cloud GmbH as data exporter. Annex II: at least the "
             "technical and organisational measures of Annex 1 of the Data Processing Agreement. Annex III: "
             "the further sub-processors the subprocessor is authorised to engage."),
        ],
        short="EU Standard Contractual Clauses")


def scc_de() -> Doc:
    return Doc(
        path="scc/scc-2021-de.pdf", lang="de",
        title="EU-Standardvertragsklauseln",
        subtitle="Modul 4 (Auftragsverarbeiter an Verantwortlichen) und die Anhänge für "
                 "Unterauftragsverarbeiter (Modul 3)",
        version="2021.1", date="2021-09-27",
        subject="EU-Standardvertragsklauseln, Module 4 und 3, mit den Anhängen der Example Cloud GmbH",
        meta=["Version 2021.1 · gültig ab 27. September 2021",
              f"Anlage zum Auftragsverarbeitungsvertrag der {COMPANY_DE}"],
        blocks=[
            ("small", "Hinweis zu diesem Dokument: Die Klauseln sind durch Verweis und ohne jede Änderung in den "
             "Auftragsverarbeitungsvertrag einbezogen (Klausel 2). Verbindlich ist ihr Wortlaut im Anhang "
             "des Durchführungsbeschlusses (EU) 2021/914 der Kommission vom 4. Juni 2021 (ABl. L 199 vom "
             "7.6.2021, S. 31); er ist hier nicht wiedergegeben. Diese Datei enthält die ausgefüllten Anhänge "
             "und Erläuterungen zu den getroffenen Festlegungen; die Erläuterungen dienen der Orientierung "
             "und sind nicht Vertragsbestandteil."),
            ("h", "1. Welches Modul gilt"),
            ("ul", [
                "Modul 4 (Auftragsverarbeiter an Verantwortlichen) gilt zwischen dem Kunden und der Example "
                "Cloud GmbH, wenn der Kunde seinen Sitz in einem Drittland ohne Angemessenheitsbeschluss hat "
                "und für die Verarbeitung nicht selbst der DSGVO unterliegt (Erwägungsgrund 7 des "
                "Beschlusses). Daten, die die Example Cloud GmbH einem solchen Kunden aus Deutschland "
                "bereitstellt, werden dann übermittelt.",
                "Modul 3 (Auftragsverarbeiter an Auftragsverarbeiter) ist keine Vereinbarung mit dem Kunden: "
                "Die Example Cloud GmbH schließt es mit einem Unterauftragsverarbeiter in einem Drittland ohne "
                "Angemessenheitsbeschluss ab (Art. 28 Abs. 4 DSGVO).",
                "Modul 2 (Verantwortlicher an Auftragsverarbeiter) ist nach der DSGVO nicht einschlägig: Es "
                "setzt einen Auftragsverarbeiter außerhalb des EWR voraus, die Example Cloud GmbH verarbeitet "
                "Kundendaten jedoch in Deutschland.",
            ]),
            ("h", "2. Festlegungen und Erläuterungen zu ausgewählten Klauseln"),
            ("ul", [
                "Klausel 2 – Wirkung und Unabänderbarkeit: Die Klauseln gelten unverändert; andere "
                "Bestimmungen des Auftragsverarbeitungsvertrags dürfen ihnen nicht widersprechen. Klausel 5 – "
                "Vorrang: Bei Widersprüchen gehen die Klauseln vor.",
                "Klausel 7 – Kopplungsklausel: gewählt.",
                "Klausel 9 – Einsatz von Unterauftragsverarbeitern (Modul 3): Option 2, allgemeine "
                "schriftliche Genehmigung; beabsichtigte Änderungen werden mindestens 30 Tage im Voraus "
                "mitgeteilt.",
                "Klausel 11 – Rechtsbehelf: Die fakultative Formulierung ist nicht gewählt.",
                "Klauseln 14 und 15 – Lokale Rechtsvorschriften und Zugriff durch Behörden: Nach Modul 4 gelten "
                "sie nur, wenn die Example Cloud GmbH die vom Kunden erhaltenen personenbezogenen Daten mit "
                "personenbezogenen Daten kombiniert, die sie in der EU erhoben hat; nach Modul 3 stets.",
                "Klausel 17 – Anwendbares Recht: deutsches Recht. Klausel 18 – Gerichtsstand: die Gerichte in "
                "Berlin.",
            ]),
            ("h", "3. Modul 4 – Anhang I.A: Liste der Parteien"),
            ("kv", [
                ("Datenexporteur", f"{COMPANY_DE}, Auftragsverarbeiter im Auftrag des Kunden. Kontakt: "
                 "privacy@example.com; Datenschutzbeauftragte: Dr. Erika Mustermann, dpo@example.com."),
                ("Datenimporteur", "Der Kunde als Verantwortlicher, wie im Hauptvertrag bezeichnet."),
            ]),
            ("h", "4. Modul 4 – Anhang I.B: Beschreibung der Übermittlung"),
            ("kv", [
                ("Betroffene Personen", "Nutzende von Example Workspace Cloud und Kontaktpersonen des Kunden, "
                 "deren Daten in einem Arbeitsbereich gespeichert sind."),
                ("Datenkategorien", "Kontaktdaten, Inhalte der Arbeitsbereiche, Nutzungs- und Protokolldaten."),
                ("Sensible Daten", "Nicht vorgesehen. Speichern Kunden solche Daten, gelten die Maßnahmen aus "
                 "Anlage 1 des Auftragsverarbeitungsvertrags."),
                ("Häufigkeit", "Fortlaufend, sobald Nutzende des Kunden Daten aus dem Dienst abrufen."),
                ("Art und Zweck", "Bereitstellung der in Example Workspace Cloud gespeicherten Daten an den "
                 "Kunden: Anzeige, Exporte, Benachrichtigungen und Support."),
                ("Speicherdauer", "Bestimmt der Kunde als Verantwortlicher; bei der Example Cloud GmbH für die "
                 "Laufzeit des Hauptvertrags, Datensicherungen werden nach 30 Tagen gelöscht."),
            ]),
            ("h", "5. Modul 3 – Anhänge gegenüber Unterauftragsverarbeitern"),
            ("p", "Anhang I.C (Klausel 13): die Berliner Beauftragte für Datenschutz und Informationsfreiheit, "
             "zuständig für die Example Cloud GmbH als Datenexporteur. Anhang II: mindestens die technischen "
             "und organisatorischen Maßnahmen aus Anlage 1 des Auftragsverarbeitungsvertrags. Anhang III: die "
             "weiteren Unterauftragsverarbeiter, die der Unterauftragsverarbeiter einsetzen darf."),
        ],
        short="EU-Standardvertragsklauseln")


def uk_addendum_en() -> Doc:
    return Doc(
        path="uk-addendum/uk-addendum-1.0-en.pdf", lang="en",
        title="UK International Data Transfer Addendum",
        subtitle="to the EU Standard Contractual Clauses – Annex to the Data Processing Agreement",
        version="1.0", date="2022-03-21",
        subject="International Data Transfer Addendum (UK) of Example Cloud GmbH",
        meta=["Version 1.0 · Effective 21 March 2022", f"Issued by {COMPANY_EN}"],
        blocks=[
            ("p", "This Addendum makes the EU Standard Contractual Clauses usable for restricted transfers "
             "under the data protection law of the United Kingdom. It follows template Addendum B1.0 issued "
             "by the UK Information Commissioner under section 119A of the Data Protection Act 2018, laid "
             "before Parliament on 2 February 2022 and in force since 21 March 2022."),
            ("small", "About this sample: it shows the completed tables of Part 1. The Mandatory Clauses in "
             "Part 2 are those of the Approved Addendum and are incorporated by reference, not reproduced. "
             "The Addendum exists in English only; its English text governs, although the German version "
             "prevails for the rest of the Data Processing Agreement."),
            ("h", "Part 1, Table 1 – Parties"),
            ("kv", [
                ("Start date", "The date on which the Addendum or the Data Processing Agreement that "
                 "contains it is concluded."),
                ("Exporter", "The customer as controller."),
                ("Importer", f"{COMPANY_EN}, as processor."),
                ("Key contact", "Privacy team, privacy@example.com; data protection officer "
                 "Dr. Erika Mustermann, dpo@example.com."),
            ]),
            ("h", "Table 2 – Selected SCCs, Modules and Selected Clauses"),
            ("p", "The Approved EU SCCs, Module Two (controller to processor), with the Appendix Information "
             "below. Clause 7 (docking clause) applies; Clause 9(a) Option 2 with 30 days' notice; the "
             "optional wording of Clause 11 does not apply. Onward transfers to sub-processors outside the "
             "UK and the EEA are covered by Module Three, which Example Cloud GmbH concludes with them "
             "together with this Addendum."),
            ("h", "Table 3 – Appendix Information"),
            ("p", "Annex 1A (list of parties) as in Table 1; Annex 1B (description of the transfer) as in "
             "Section 2 of the Data Processing Agreement; Annex II (technical and organisational measures) "
             "as in its Annex 1; Annex III (list of sub-processors) as published at https://trust.example.com."),
            ("h", "Table 4 – Ending this Addendum when the Approved Addendum changes"),
            ("p", "Both the Importer and the Exporter may end this Addendum as set out in Section 19 of the "
             "Mandatory Clauses."),
            ("h", "Part 2 – Mandatory Clauses"),
            ("p", "The Mandatory Clauses of the Approved Addendum, template B1.0, as revised under Section 18 "
             "of those Mandatory Clauses. For the transfers it covers, they submit the clauses to the laws and "
             "courts of England and Wales; where this Addendum and the EU clauses differ, their interpretation "
             "rules apply."),
        ],
        short="UK International Data Transfer Addendum")


def privacy_policy_en() -> Doc:
    return Doc(
        path="privacy-policy/privacy-policy-2.4-en.pdf", lang="en",
        title="Privacy Policy",
        subtitle="Trust center of Example Cloud GmbH at https://trust.example.com",
        version="2.4", date="2026-03-01",
        subject="Privacy policy of the Example Cloud GmbH trust center",
        meta=["Version 2.4 · Effective 1 March 2026"],
        blocks=[
            ("h", "1. Controller and data protection officer"),
            ("p", f"The controller is {COMPANY_EN}, e-mail privacy@example.com. Our external data "
             "protection officer, Dr. Erika Mustermann, can be reached at dpo@example.com."),
            ("h", "2. Scope"),
            ("p", "This policy explains how we process personal data when you visit our trust center and "
             "download documents from it. The processing of personal data in Example Workspace on behalf of "
             "our customers is governed by our Data Processing Agreement."),
            ("h", "3. No cookies, no tracking"),
            ("p", "The trust center sets no cookies and uses no tracking, analytics or advertising services. "
             "We do not create usage profiles. As we neither store nor read information on your device, "
             "no consent is required."),
            ("h", "4. Server log files"),
            ("p", "With every request, our web server records the IP address, date and time, the requested "
             "page or file, the HTTP status code, the amount of data transferred, the referring page and the "
             "user agent. We use this data to deliver the website, to keep it stable and secure and to "
             "detect attacks. The legal basis is Art. 6(1)(f) GDPR. Log files are deleted after seven days, "
             "unless a specific security incident must be investigated."),
            ("h", "5. Hosting and encryption"),
            ("p", "The trust center is hosted on our own servers in our data centres in Germany. No content "
             "delivery network or other external service is involved. All connections are encrypted with "
             "TLS."),
            ("h", "6. Contact by e-mail"),
            ("p", "If you write to us, we process your message and contact details to answer your enquiry, "
             "based on Art. 6(1)(b) GDPR where it relates to a contract and otherwise Art. 6(1)(f) GDPR. We "
             "delete the data once it is no longer needed, unless statutory retention periods apply."),
            ("h", "7. Requests for confidential documents"),
            ("p", "Some documents, such as audit reports, are shared only on request and, where applicable, "
             "under a non-disclosure agreement. We process your name, company and e-mail address to check "
             "and answer your request and record which documents we have shared, for as long as the "
             "business relationship or non-disclosure agreement continues (Art. 6(1)(b) and (f) GDPR)."),
            ("h", "8. Recipients and transfers"),
            ("p", "We do not pass your data on to third parties, unless we are legally obliged to do so. "
             "We do not transfer data to countries outside the European Economic Area."),
            ("h", "9. Your rights"),
            ("p", "You have the right of access (Art. 15 GDPR), rectification (Art. 16), erasure (Art. 17), "
             "restriction of processing (Art. 18) and data portability (Art. 20), and the right to object "
             "to processing based on Art. 6(1)(f) GDPR (Art. 21). Write to privacy@example.com. You may also "
             "lodge a complaint with a supervisory authority, for us the Berlin Commissioner for Data "
             "Protection and Freedom of Information."),
            ("h", "10. Changes"),
            ("p", "Version 2.4 adds Section 7 on requests for confidential documents and describes the "
             "hosting in more detail. We publish every new version in the trust center."),
        ],
        short="Privacy Policy")


def privacy_policy_de() -> Doc:
    return Doc(
        path="privacy-policy/datenschutzerklaerung-2.4-de.pdf", lang="de",
        title="Datenschutzerklärung",
        subtitle="Trust Center der Example Cloud GmbH unter https://trust.example.com",
        version="2.4", date="2026-03-01",
        subject="Datenschutzerklärung des Trust Centers der Example Cloud GmbH",
        meta=["Version 2.4 · gültig ab 1. März 2026"],
        blocks=[
            ("h", "1. Verantwortlicher und Datenschutzbeauftragte"),
            ("p", f"Verantwortlich ist die {COMPANY_DE}, E-Mail privacy@example.com. Unsere externe "
             "Datenschutzbeauftragte, Dr. Erika Mustermann, erreichen Sie unter dpo@example.com."),
            ("h", "2. Geltungsbereich"),
            ("p", "Diese Datenschutzerklärung informiert Sie darüber, wie wir personenbezogene Daten "
             "verarbeiten, wenn Sie unser Trust Center besuchen und dort Dokumente herunterladen. Für die "
             "Verarbeitung personenbezogener Daten in Example Workspace im Auftrag unserer Kunden gilt unser "
             "Auftragsverarbeitungsvertrag (AVV)."),
            ("h", "3. Keine Cookies, kein Tracking"),
            ("p", "Das Trust Center setzt keine Cookies und verwendet keine Tracking-, Analyse- oder "
             "Werbedienste. Nutzungsprofile erstellen wir nicht. Da wir keine Informationen auf Ihrem "
             "Endgerät speichern oder auslesen, ist keine Einwilligung nach § 25 TDDDG erforderlich."),
            ("h", "4. Server-Logdateien"),
            ("p", "Bei jedem Abruf protokolliert unser Webserver die IP-Adresse, Datum und Uhrzeit, die "
             "abgerufene Seite oder Datei, den HTTP-Statuscode, die übertragene Datenmenge, die verweisende "
             "Seite sowie den User-Agent. Wir nutzen diese Daten, um die Website auszuliefern, ihren stabilen "
             "und sicheren Betrieb zu gewährleisten und Angriffe zu erkennen. Rechtsgrundlage ist Art. 6 "
             "Abs. 1 lit. f DSGVO. Die Logdateien werden nach sieben Tagen gelöscht, es sei denn, ein "
             "konkreter Sicherheitsvorfall muss aufgeklärt werden."),
            ("h", "5. Hosting und Verschlüsselung"),
            ("p", "Das Trust Center wird auf eigenen Servern in unseren Rechenzentren in Deutschland betrieben. "
             "Ein Content-Delivery-Network oder andere externe Dienste setzen wir nicht ein. Alle "
             "Verbindungen sind per TLS verschlüsselt."),
            ("h", "6. Kontaktaufnahme per E-Mail"),
            ("p", "Schreiben Sie uns, verarbeiten wir Ihre Nachricht und Ihre Kontaktdaten zur Beantwortung "
             "Ihres Anliegens, auf Grundlage von Art. 6 Abs. 1 lit. b DSGVO, wenn es einen Vertrag betrifft, "
             "im Übrigen von Art. 6 Abs. 1 lit. f DSGVO. Wir löschen die Daten, sobald sie nicht mehr "
             "erforderlich sind und keine gesetzlichen Aufbewahrungsfristen entgegenstehen."),
            ("h", "7. Anfragen nach vertraulichen Dokumenten"),
            ("p", "Einige Dokumente, etwa Auditberichte, stellen wir nur auf Anfrage und gegebenenfalls nach "
             "Abschluss einer Vertraulichkeitsvereinbarung bereit. Wir verarbeiten Ihren Namen, Ihr "
             "Unternehmen und Ihre E-Mail-Adresse, um die Anfrage zu prüfen und zu beantworten, und "
             "dokumentieren, welche Dokumente wir weitergegeben haben, solange die Geschäftsbeziehung oder die "
             "Vertraulichkeitsvereinbarung besteht (Art. 6 Abs. 1 lit. b und f DSGVO)."),
            ("h", "8. Empfänger und Übermittlungen"),
            ("p", "Wir geben Ihre Daten nicht an Dritte weiter, sofern wir nicht gesetzlich dazu verpflichtet "
             "sind. Eine Übermittlung in Länder außerhalb des Europäischen Wirtschaftsraums findet nicht statt."),
            ("h", "9. Ihre Rechte"),
            ("p", "Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung "
             "(Art. 17), Einschränkung der Verarbeitung (Art. 18) und Datenübertragbarkeit (Art. 20) sowie "
             "das Recht, einer Verarbeitung auf Grundlage von Art. 6 Abs. 1 lit. f DSGVO zu widersprechen "
             "(Art. 21). Wenden Sie sich dazu an privacy@example.com. Zudem können Sie sich bei einer "
             "Aufsichtsbehörde beschweren; für uns zuständig ist die Berliner Beauftragte für Datenschutz "
             "und Informationsfreiheit."),
            ("h", "10. Änderungen"),
            ("p", "Version 2.4 ergänzt Abschnitt 7 zu Anfragen nach vertraulichen Dokumenten und beschreibt "
             "das Hosting genauer. Jede neue Fassung veröffentlichen wir im Trust Center."),
        ],
        short="Datenschutzerklärung")


def transfer_annex_en() -> Doc:
    return Doc(
        path="transfer-annex/transfer-annex-1.0-en.pdf", lang="en",
        title="Data Transfer Annex",
        subtitle="to Data Processing Agreements concluded before version 2.0 – EU Standard Contractual "
                 "Clauses of 2021 and UK Addendum",
        version="1.0", date="2022-03-21",
        subject="Data Transfer Annex to earlier Data Processing Agreements of Example Cloud GmbH",
        meta=["Version 1.0 · Effective 21 March 2022",
              f"Between the customer (Controller) and {COMPANY_EN} (Processor)",
              "Translation for information. The German version (Anlage zur Datenübermittlung) is "
              "authoritative, except for Section 4."],
        blocks=[
            ("h", "1. Purpose"),
            ("p", "This Annex supplements a Data Processing Agreement concluded between the parties before "
             "27 September 2021 (versions 1.x, the “DPA”). It brings the transfer clauses of the DPA up to "
             "date; all other provisions of the DPA remain unchanged."),
            ("h", "2. Standard Contractual Clauses of 2021"),
            ("np", "2.1", "References in the DPA to the standard contractual clauses of Commission Decision "
             "2010/87/EU are replaced by references to the Standard Contractual Clauses of Commission "
             "Implementing Decision (EU) 2021/914. The earlier clauses provided appropriate safeguards only "
             "until 27 December 2022 (Article 4(4) of that Decision)."),
            ("np", "2.2", "The clauses are incorporated by reference without any change (Clause 2); in case of "
             "conflict they prevail over the DPA (Clause 5). Module Four applies where the Controller is "
             "established in a third country without an adequacy decision and is not subject to the GDPR for "
             "the processing, with the choices and annexes of the document “EU Standard Contractual Clauses”, "
             "version 2021.1, published in the trust center."),
            ("h", "3. Subprocessors in third countries"),
            ("p", "The Processor engages a subprocessor in a third country only under an adequacy decision or "
             "after concluding Module Three of the Standard Contractual Clauses with it."),
            ("h", "4. UK International Data Transfer Addendum"),
            ("p", "For transfers restricted under the data protection law of the United Kingdom, the UK "
             "International Data Transfer Addendum, version 1.0, published in the trust center, applies "
             "between the parties. It exists in English only, and its English text governs."),
            ("h", "5. Conclusion, term and law"),
            ("p", "This Annex takes effect when the parties conclude it; conclusion in electronic form "
             "suffices. It ends with the DPA. German law applies; the place of jurisdiction is Berlin."),
        ],
        short="Data Transfer Annex")


def transfer_annex_de() -> Doc:
    return Doc(
        path="transfer-annex/anlage-datenuebermittlung-1.0-de.pdf", lang="de",
        title="Anlage zur Datenübermittlung",
        subtitle="zu Auftragsverarbeitungsverträgen vor Version 2.0 – EU-Standardvertragsklauseln von 2021 "
                 "und UK-Addendum",
        version="1.0", date="2022-03-21",
        subject="Anlage zur Datenübermittlung zu früheren Auftragsverarbeitungsverträgen der Example Cloud GmbH",
        meta=["Version 1.0 · gültig ab 21. März 2022",
              f"zwischen dem Kunden (Verantwortlicher) und der {COMPANY_DE} (Auftragsverarbeiter)",
              "Diese deutsche Fassung ist maßgeblich, ausgenommen Abschnitt 4."],
        blocks=[
            ("h", "1. Zweck"),
            ("p", "Diese Anlage ergänzt einen Auftragsverarbeitungsvertrag, den die Parteien vor dem "
             "27. September 2021 geschlossen haben (Fassungen 1.x, nachfolgend „AVV“). Sie bringt die "
             "Übermittlungsregelungen des AVV auf den aktuellen Stand; alle übrigen Bestimmungen des AVV "
             "bleiben unverändert."),
            ("h", "2. Standardvertragsklauseln von 2021"),
            ("np", "(1)", "Verweise des AVV auf die Standardvertragsklauseln des Beschlusses 2010/87/EU der "
             "Kommission werden durch Verweise auf die Standardvertragsklauseln des Durchführungsbeschlusses "
             "(EU) 2021/914 der Kommission ersetzt. Die früheren Klauseln boten nur bis zum 27. Dezember 2022 "
             "geeignete Garantien (Artikel 4 Abs. 4 dieses Beschlusses)."),
            ("np", "(2)", "Die Klauseln sind ohne jede Änderung durch Verweis einbezogen (Klausel 2); bei "
             "Widersprüchen gehen sie dem AVV vor (Klausel 5). Modul 4 gilt, wenn der Verantwortliche seinen "
             "Sitz in einem Drittland ohne Angemessenheitsbeschluss hat und für die Verarbeitung nicht der "
             "DSGVO unterliegt, mit den Festlegungen und Anhängen des im Trust Center veröffentlichten "
             "Dokuments „EU-Standardvertragsklauseln“, Version 2021.1."),
            ("h", "3. Unterauftragsverarbeiter in Drittländern"),
            ("p", "Unterauftragsverarbeiter in einem Drittland setzt der Auftragsverarbeiter nur auf Grundlage "
             "eines Angemessenheitsbeschlusses oder nach Abschluss von Modul 3 der Standardvertragsklauseln "
             "mit ihnen ein."),
            ("h", "4. UK International Data Transfer Addendum"),
            ("p", "Für Übermittlungen, die nach dem Datenschutzrecht des Vereinigten Königreichs einer "
             "Garantie bedürfen, gilt zwischen den Parteien das im Trust Center veröffentlichte UK-Addendum, "
             "Version 1.0. Es liegt nur auf Englisch vor; maßgeblich ist sein englischer Wortlaut."),
            ("h", "5. Abschluss, Laufzeit und Recht"),
            ("p", "Diese Anlage wird mit ihrem Abschluss wirksam; der Abschluss in elektronischer Form genügt. "
             "Sie endet mit dem AVV. Es gilt deutsches Recht; Gerichtsstand ist Berlin."),
        ],
        short="Anlage zur Datenübermittlung")


def privacy_policy_25_en() -> Doc:
    return Doc(
        path="privacy-policy/privacy-policy-2.5-en.pdf", lang="en",
        title="Privacy Policy",
        subtitle="Trust center of Example Cloud GmbH at https://trust.example.com",
        version="2.5", date="2026-11-20",
        subject="Privacy policy of the Example Cloud GmbH trust center",
        meta=["Version 2.5 · Effective 20 November 2026"],
        blocks=[
            ("h", "1. Controller and data protection officer"),
            ("p", f"The controller is {COMPANY_EN}, e-mail privacy@example.com. Our external data "
             "protection officer, Dr. Erika Mustermann, can be reached at dpo@example.com."),
            ("h", "2. Scope"),
            ("p", "This policy explains how we process personal data when you visit our trust center, request "
             "confidential documents or conclude agreements there. The processing of personal data in Example "
             "Workspace on behalf of our customers is governed by our Data Processing Agreement."),
            ("h", "3. One security cookie, no tracking"),
            ("p", "The pages set no cookies. Only the forms for requesting documents and concluding agreements "
             "set one cookie, candor_csrf, with a random value that protects them against forged submissions; "
             "it is deleted when you close your browser. Storing it is strictly necessary for the form you "
             "use (Section 25(2) no. 2 TDDDG); the legal basis for any related processing is Art. 6(1)(f) "
             "GDPR. We use no tracking, analytics or advertising services and create no usage profiles."),
            ("h", "4. Server log files"),
            ("p", "With every request, our web server records the IP address, date and time, the requested "
             "page or file, the HTTP status code, the amount of data transferred, the referring page and the "
             "user agent. We use this data to deliver the website, to keep it stable and secure and to "
             "detect attacks. The legal basis is Art. 6(1)(f) GDPR. Log files are deleted after seven days, "
             "unless a specific security incident must be investigated."),
            ("h", "5. Hosting and encryption"),
            ("p", "The trust center is hosted on our own servers in our data centres in Germany. No content "
             "delivery network is involved. All connections are encrypted with TLS."),
            ("h", "6. Contact by e-mail"),
            ("p", "If you write to us, we process your message and contact details to answer your enquiry, "
             "based on Art. 6(1)(b) GDPR where it relates to a contract and otherwise Art. 6(1)(f) GDPR. We "
             "delete the data once it is no longer needed, unless statutory retention periods apply."),
            ("h", "7. Requests for confidential documents"),
            ("p", "We process your name, work e-mail address, company and reason, the document requested, the "
             "version of the non-disclosure agreement you accepted, the status of your request and an audit "
             "log of each step with time, IP address and user agent; downloaded files carry a watermark with "
             "your details (Art. 6(1)(b) and (f) GDPR). Requests that do not lead to access are deleted six "
             "months after the request. Otherwise we keep the request and its audit log until three years "
             "after your access ends: the confidentiality obligations run for three years from each receipt "
             "of a document, and the record proves who received which document."),
            ("h", "8. Concluding agreements online"),
            ("p", "When you conclude an agreement such as the Data Processing Agreement online, we process the "
             "company details, the name, position and e-mail address of the signatory, the time and the "
             "evidence of the signing (confirmed e-mail address, IP address, user agent) in order to conclude "
             "and prove the agreement (Art. 6(1)(b) and (f) GDPR). We keep the executed agreement and this "
             "evidence while the agreement is in force and then for the statutory retention periods."),
            ("h", "9. Recipients and transfers"),
            ("p", "Our e-mails are delivered by Example Mailrelay B.V., Netherlands, as our processor. We do not "
             "pass your data on to other third parties unless we are legally obliged to do so, and we do not "
             "transfer it to countries outside the European Economic Area."),
            ("h", "10. Your rights"),
            ("p", "You have the right of access (Art. 15 GDPR), rectification (Art. 16), erasure (Art. 17), "
             "restriction of processing (Art. 18) and data portability (Art. 20), and the right to object "
             "to processing based on Art. 6(1)(f) GDPR (Art. 21). Write to privacy@example.com. You may also "
             "lodge a complaint with a supervisory authority, for us the Berlin Commissioner for Data "
             "Protection and Freedom of Information."),
            ("h", "11. Changes"),
            ("p", "Version 2.5 describes the security cookie of the forms and the online conclusion of "
             "agreements, and aligns the retention of requests for confidential documents with the term of "
             "the non-disclosure agreement. We publish every new version in the trust center."),
        ],
        short="Privacy Policy")


def privacy_policy_25_de() -> Doc:
    return Doc(
        path="privacy-policy/datenschutzerklaerung-2.5-de.pdf", lang="de",
        title="Datenschutzerklärung",
        subtitle="Trust Center der Example Cloud GmbH unter https://trust.example.com",
        version="2.5", date="2026-11-20",
        subject="Datenschutzerklärung des Trust Centers der Example Cloud GmbH",
        meta=["Version 2.5 · gültig ab 20. November 2026"],
        blocks=[
            ("h", "1. Verantwortlicher und Datenschutzbeauftragte"),
            ("p", f"Verantwortlich ist die {COMPANY_DE}, E-Mail privacy@example.com. Unsere externe "
             "Datenschutzbeauftragte, Dr. Erika Mustermann, erreichen Sie unter dpo@example.com."),
            ("h", "2. Geltungsbereich"),
            ("p", "Diese Datenschutzerklärung informiert Sie darüber, wie wir personenbezogene Daten "
             "verarbeiten, wenn Sie unser Trust Center besuchen, dort vertrauliche Dokumente anfordern oder "
             "Verträge abschließen. Für die Verarbeitung personenbezogener Daten in Example Workspace im "
             "Auftrag unserer Kunden gilt unser Auftragsverarbeitungsvertrag (AVV)."),
            ("h", "3. Ein Sicherheits-Cookie, kein Tracking"),
            ("p", "Die Seiten setzen keine Cookies. Allein die Formulare zum Anfordern von Dokumenten und zum "
             "Abschluss von Verträgen setzen ein Cookie, candor_csrf, mit einem Zufallswert, der sie vor "
             "gefälschten Übermittlungen schützt; es wird beim Schließen des Browsers gelöscht. Seine "
             "Speicherung ist für das genutzte Formular unbedingt erforderlich (§ 25 Abs. 2 Nr. 2 TDDDG); "
             "Rechtsgrundlage einer damit verbundenen Verarbeitung ist Art. 6 Abs. 1 lit. f DSGVO. Tracking-, "
             "Analyse- oder Werbedienste setzen wir nicht ein, Nutzungsprofile erstellen wir nicht."),
            ("h", "4. Server-Logdateien"),
            ("p", "Bei jedem Abruf protokolliert unser Webserver die IP-Adresse, Datum und Uhrzeit, die "
             "abgerufene Seite oder Datei, den HTTP-Statuscode, die übertragene Datenmenge, die verweisende "
             "Seite sowie den User-Agent. Wir nutzen diese Daten, um die Website auszuliefern, ihren stabilen "
             "und sicheren Betrieb zu gewährleisten und Angriffe zu erkennen. Rechtsgrundlage ist Art. 6 "
             "Abs. 1 lit. f DSGVO. Die Logdateien werden nach sieben Tagen gelöscht, es sei denn, ein "
             "konkreter Sicherheitsvorfall muss aufgeklärt werden."),
            ("h", "5. Hosting und Verschlüsselung"),
            ("p", "Das Trust Center wird auf eigenen Servern in unseren Rechenzentren in Deutschland betrieben. "
             "Ein Content-Delivery-Network setzen wir nicht ein. Alle Verbindungen sind per TLS verschlüsselt."),
            ("h", "6. Kontaktaufnahme per E-Mail"),
            ("p", "Schreiben Sie uns, verarbeiten wir Ihre Nachricht und Ihre Kontaktdaten zur Beantwortung "
             "Ihres Anliegens, auf Grundlage von Art. 6 Abs. 1 lit. b DSGVO, wenn es einen Vertrag betrifft, "
             "im Übrigen von Art. 6 Abs. 1 lit. f DSGVO. Wir löschen die Daten, sobald sie nicht mehr "
             "erforderlich sind und keine gesetzlichen Aufbewahrungsfristen entgegenstehen."),
            ("h", "7. Anfragen nach vertraulichen Dokumenten"),
            ("p", "Wir verarbeiten Ihren Namen, Ihre geschäftliche E-Mail-Adresse, Ihr Unternehmen und den "
             "Zweck Ihrer Anfrage, das angeforderte Dokument, die Fassung der von Ihnen angenommenen "
             "Vertraulichkeitsvereinbarung, den Stand Ihrer Anfrage und ein Prüfprotokoll jedes Schritts mit "
             "Zeitpunkt, IP-Adresse und User-Agent; heruntergeladene Dateien tragen ein Wasserzeichen mit "
             "Ihren Angaben (Art. 6 Abs. 1 lit. b und f DSGVO). Anfragen, die nicht zu einem Zugang führen, "
             "löschen wir sechs Monate nach der Anfrage. Im Übrigen bewahren wir Anfrage und Prüfprotokoll bis "
             "drei Jahre nach dem Ende Ihres Zugangs auf: Die Vertraulichkeitspflichten gelten drei Jahre ab "
             "jedem Erhalt eines Dokuments, und die Aufzeichnung belegt, wer welches Dokument erhalten hat."),
            ("h", "8. Online-Abschluss von Verträgen"),
            ("p", "Schließen Sie einen Vertrag wie den Auftragsverarbeitungsvertrag online ab, verarbeiten wir "
             "die Angaben zum Unternehmen, Name, Funktion und E-Mail-Adresse der unterzeichnenden Person, den "
             "Zeitpunkt und die Nachweise des Abschlusses (bestätigte E-Mail-Adresse, IP-Adresse, User-Agent), "
             "um den Vertrag zu schließen und nachweisen zu können (Art. 6 Abs. 1 lit. b und f DSGVO). Die "
             "Vertragsausfertigung und diese Nachweise bewahren wir während der Vertragslaufzeit und danach "
             "für die gesetzlichen Aufbewahrungsfristen auf."),
            ("h", "9. Empfänger und Übermittlungen"),
            ("p", "Unsere E-Mails stellt die Example Mailrelay B.V., Niederlande, als unser Auftragsverarbeiter "
             "zu. An andere Dritte geben wir Ihre Daten nur weiter, wenn wir gesetzlich dazu verpflichtet sind; "
             "in Länder außerhalb des Europäischen Wirtschaftsraums übermitteln wir sie nicht."),
            ("h", "10. Ihre Rechte"),
            ("p", "Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung "
             "(Art. 17), Einschränkung der Verarbeitung (Art. 18) und Datenübertragbarkeit (Art. 20) sowie "
             "das Recht, einer Verarbeitung auf Grundlage von Art. 6 Abs. 1 lit. f DSGVO zu widersprechen "
             "(Art. 21). Wenden Sie sich dazu an privacy@example.com. Zudem können Sie sich bei einer "
             "Aufsichtsbehörde beschweren; für uns zuständig ist die Berliner Beauftragte für Datenschutz "
             "und Informationsfreiheit."),
            ("h", "11. Änderungen"),
            ("p", "Version 2.5 beschreibt das Sicherheits-Cookie der Formulare und den Online-Abschluss von "
             "Verträgen und stimmt die Aufbewahrung von Anfragen nach vertraulichen Dokumenten auf die "
             "Laufzeit der Vertraulichkeitsvereinbarung ab. Jede neue Fassung veröffentlichen wir im Trust "
             "Center."),
        ],
        short="Datenschutzerklärung")


def pentest_en() -> Doc:
    return Doc(
        path="pentest-summary/pentest-summary-2026-en.pdf", lang="en",
        title="Penetration Test 2026 – Management Summary",
        subtitle="Example Workspace Cloud, Example Workspace Self-Hosted and mobile apps",
        version="2026", date="2026-05-15",
        subject="Management summary of the 2026 penetration test of Example Workspace",
        meta=["Version 2026 · Report date 15 May 2026",
              "Prepared by Example Security Testers Ltd (https://www.example.org, pentest@example.org) "
              "for Example Cloud GmbH",
              "Confidential – shared with customers and prospective customers on request"],
        blocks=[
            ("h", "1. Engagement"),
            ("kv", [
                ("Testing period", "13 to 30 April 2026; retest of fixed findings 11 to 13 May 2026"),
                ("Approach", "Grey box: test tenants with administrator and user roles, API documentation "
                 "and architecture overview provided by Example Cloud GmbH"),
                ("Team", "Three penetration testers of Example Security Testers Ltd"),
                ("Methodology", "OWASP Web Security Testing Guide, OWASP ASVS (level 2) and OWASP MASVS "
                 "for the mobile apps"),
            ]),
            ("h", "2. Scope"),
            ("ul", [
                "Web application and REST API of Example Workspace Cloud in a dedicated test environment "
                "with production configuration, plus non-destructive checks of the production endpoints.",
                "Example Workspace Self-Hosted, current release in its default installation.",
                "The iOS and Android apps of Example Workspace.",
                "Focus areas: authentication and session handling, authorisation and tenant isolation, input "
                "validation, file uploads, sharing links and the API.",
                "Out of scope: denial-of-service tests, social engineering and physical tests of the data "
                "centres.",
            ]),
            ("h", "3. Overall result"),
            ("p", "The testers found no critical and no high-risk vulnerabilities. In particular, they found "
             "no way to read or modify data of another tenant. The security level of the tested applications "
             "is good; authentication, multi-factor authentication and role-based permissions were "
             "implemented consistently."),
            ("kv", [
                ("Critical", "0"), ("High", "0"), ("Medium", "2"), ("Low", "3"), ("Informational", "4"),
            ], 120),
            ("h", "4. Findings and remediation status"),
            ("kv", [
                ("M-01 Medium", "The password reset function had no per-account rate limit, which allowed "
                 "a user's mailbox to be flooded with reset e-mails. Fixed; retest passed on 12 May 2026."),
                ("M-02 Medium", "Revoked sharing links stayed usable for up to 15 minutes because of "
                 "caching. Fixed; retest passed on 12 May 2026."),
                ("L-01 Low", "An API error message disclosed the version of a software library. Fixed."),
                ("L-02 Low", "The mobile apps showed document content in the operating system's app "
                 "switcher preview. Fixed in the Android app; fix for iOS scheduled for June 2026."),
                ("L-03 Low", "The default session lifetime of the Self-Hosted edition was longer than "
                 "recommended. Configurable today; a shorter default follows in the next release."),
                ("Informational", "Four hardening recommendations, for example a stricter Content Security "
                 "Policy. All are tracked in the backlog of Example Cloud GmbH."),
            ], 120),
            ("h", "5. Statement of the testing firm"),
            ("p", "Example Security Testers Ltd confirms that the test was carried out as described above "
             "and that both medium-risk findings were fixed and verified in the retest. This summary "
             "contains no technical details or exploit information; the full report remains with "
             "Example Cloud GmbH."),
            ("p", "Sam Example, Lead Penetration Tester, Example Security Testers Ltd"),
        ],
        short="Penetration Test 2026 – Management Summary")


CERT_NO = "EC-ISMS-2024-0815"
SCOPE_EN = ("Development, operation and support of the collaboration platform Example Workspace, "
            "including the hosted service Example Workspace Cloud operated in colocation data centres in "
            "Frankfurt am Main and Nuremberg, at the Berlin headquarters.")
SCOPE_DE = ("Entwicklung, Betrieb und Support der Kollaborationsplattform Example Workspace einschließlich "
            "des in Colocation-Rechenzentren in Frankfurt am Main und Nürnberg betriebenen Dienstes Example "
            "Workspace Cloud, am Hauptsitz in Berlin.")


def certificate_en() -> Doc:
    return Doc(
        path="iso27001-certificate/iso27001-certificate-en.pdf", lang="en",
        title="Certificate",
        subtitle="ISO/IEC 27001:2022 – Information security management system",
        version="2024", date="2024-07-01",
        subject="ISO/IEC 27001 certificate of Example Cloud GmbH",
        meta=["Version 2024 · Issued 1 July 2024 · Valid until 30 June 2027",
              "Confidential – shared under a non-disclosure agreement"],
        blocks=[
            ("gap", 18),
            ("center", "Example Certification GmbH hereby certifies that", 12),
            ("gap", 6),
            ("center", "Example Cloud GmbH", 20),
            ("center", "Musterstraße 1, 10115 Berlin, Germany", 11),
            ("gap", 10),
            ("p", "has established and applies an information security management system that meets the "
             "requirements of ISO/IEC 27001:2022 for the following scope:"),
            ("p", SCOPE_EN),
            ("gap", 8),
            ("kv", [
                ("Certificate number", CERT_NO),
                ("Statement of Applicability", "Version 1.2 of 20 May 2024"),
                ("Initial certification", "1 July 2024"),
                ("Valid from", "1 July 2024"),
                ("Valid until", "30 June 2027"),
                ("Condition", "The certificate remains valid subject to successful annual surveillance "
                 "audits."),
            ]),
            ("gap", 18),
            ("p", "Munich, 1 July 2024"),
            ("p", "Dr. Max Beispiel, Head of the Certification Body, Example Certification GmbH, "
             "Musterweg 5, 80331 München, Germany"),
        ],
        short="ISO/IEC 27001 Certificate")


def certificate_de() -> Doc:
    return Doc(
        path="iso27001-certificate/iso27001-zertifikat-de.pdf", lang="de",
        title="Zertifikat",
        subtitle="ISO/IEC 27001:2022 – Informationssicherheits-Managementsystem",
        version="2024", date="2024-07-01",
        subject="ISO/IEC-27001-Zertifikat der Example Cloud GmbH",
        meta=["Version 2024 · ausgestellt am 1. Juli 2024 · gültig bis 30. Juni 2027",
              "Vertraulich – Weitergabe nur mit Vertraulichkeitsvereinbarung"],
        blocks=[
            ("gap", 18),
            ("center", "Die Example Certification GmbH bescheinigt hiermit, dass die", 12),
            ("gap", 6),
            ("center", "Example Cloud GmbH", 20),
            ("center", "Musterstraße 1, 10115 Berlin", 11),
            ("gap", 10),
            ("p", "ein Informationssicherheits-Managementsystem eingeführt hat und anwendet, das die "
             "Anforderungen der ISO/IEC 27001:2022 für den folgenden Geltungsbereich erfüllt:"),
            ("p", SCOPE_DE),
            ("gap", 8),
            ("kv", [
                ("Zertifikatsnummer", CERT_NO),
                ("Erklärung zur Anwendbarkeit", "Version 1.2 vom 20. Mai 2024"),
                ("Erstzertifizierung", "1. Juli 2024"),
                ("Gültig ab", "1. Juli 2024"),
                ("Gültig bis", "30. Juni 2027"),
                ("Voraussetzung", "Die Gültigkeit setzt erfolgreiche jährliche Überwachungsaudits voraus."),
            ]),
            ("gap", 18),
            ("p", "München, 1. Juli 2024"),
            ("p", "Dr. Max Beispiel, Leiter der Zertifizierungsstelle, Example Certification GmbH, "
             "Musterweg 5, 80331 München"),
        ],
        short="ISO/IEC-27001-Zertifikat")


def audit_report_en() -> Doc:
    return Doc(
        path="iso27001-audit-report/iso27001-audit-report-2026-en.pdf", lang="en",
        title="ISO/IEC 27001 Surveillance Audit Report 2026",
        subtitle="Second surveillance audit of Example Cloud GmbH – Example Certification GmbH",
        version="2026", date="2026-06-20",
        subject="Report on the 2026 ISO/IEC 27001 surveillance audit of Example Cloud GmbH",
        meta=["Version 2026 · Report date 20 June 2026",
              f"Certificate {CERT_NO}, valid until 30 June 2027",
              "Confidential – shared under a non-disclosure agreement"],
        blocks=[
            ("h", "1. Audit details"),
            ("kv", [
                ("Organisation", COMPANY_EN),
                ("Standard", "ISO/IEC 27001:2022; Statement of Applicability version 1.5 of 12 May 2026"),
                ("Audit type", "Second surveillance audit of the certification cycle 2024 to 2027"),
                ("Audit dates", "15 to 17 June 2026, on site in Berlin; data centre evidence reviewed remotely"),
                ("Audit team", "Jana Beispiel (lead auditor), Tom Muster (auditor)"),
                ("Scope", SCOPE_EN),
            ]),
            ("h", "2. Audited areas"),
            ("p", "The audit covered clauses 4 to 10 of ISO/IEC 27001, in particular the risk assessment and "
             "risk treatment, internal audit, management review and corrective actions. From Annex A, the "
             "following controls were sampled:"),
            ("ul", [
                "A.5.15 and A.5.18 Access control and access rights, including the quarterly access reviews",
                "A.5.23 Information security for use of cloud services and A.5.19 to A.5.22 supplier "
                "relationships",
                "A.6.3 Information security awareness, education and training",
                "A.8.8 Management of technical vulnerabilities, including the 2026 penetration test",
                "A.8.13 Information backup and A.5.30 ICT readiness for business continuity",
                "A.8.24 Use of cryptography and A.8.25 to A.8.29 secure development and testing",
            ]),
            ("h", "3. Results"),
            ("kv", [
                ("Major nonconformities", "None"),
                ("Minor nonconformities", "One. The quarterly access review of an internal reporting tool "
                 "for the first quarter of 2026 was completed three weeks late (A.5.18). The corrective "
                 "action plan was accepted; the tool has been added to the central review process. "
                 "Effectiveness will be verified at the next audit."),
                ("Opportunities for improvement", "Three: record the measured restore time against the "
                 "RTO target in restore test reports; use one template for supplier reviews; add a "
                 "targeted phishing module for finance staff to the awareness programme."),
            ], 170),
            ("p", "Positive observations include the monthly restore tests with complete documentation, "
             "hardware security keys for all administrative access and the consistent handling of findings "
             "from the penetration test, which were fixed and retested within the agreed deadlines."),
            ("h", "4. Conclusion and recommendation"),
            ("p", "The information security management system of Example Cloud GmbH continues to meet the "
             "requirements of ISO/IEC 27001:2022 and is implemented effectively. The audit team recommends "
             "maintaining the certification. The recertification audit is planned for May 2027."),
            ("p", "Jana Beispiel, Lead Auditor, Example Certification GmbH, 20 June 2026"),
        ],
        short="ISO/IEC 27001 Surveillance Audit Report 2026")


def c5_report_en() -> Doc:
    return Doc(
        path="c5-attestation-report/c5-type2-report-2026-en.pdf", lang="en",
        title="BSI C5:2020 Type 2 Attestation Report 2026",
        subtitle="Independent auditor's report on Example Workspace Cloud – Example Audit Partners AG",
        version="2026", date="2026-11-13",
        subject="Report on the BSI C5:2020 Type 2 examination of Example Workspace Cloud",
        meta=["Version 2026 · Report date 13 November 2026",
              "Period under review: 1 October 2025 to 30 September 2026",
              "Confidential – shared under a non-disclosure agreement"],
        blocks=[
            ("h", "1. Engagement"),
            ("kv", [
                ("Service organisation", COMPANY_EN),
                ("Criteria", "Cloud Computing Compliance Criteria Catalogue (C5:2020) of the German Federal "
                 "Office for Information Security (BSI): basic criteria and additional criteria"),
                ("Type", "Type 2: suitability of the design and operating effectiveness of the controls "
                 "throughout the period under review"),
                ("Standard", "ISAE 3000 (Revised) and IDW PS 951 n.F. (mod.)"),
                ("Auditor", "Example Audit Partners AG, Hamburg"),
                ("Scope", "The hosted service Example Workspace Cloud, operated in colocation data centres "
                 "in Frankfurt am Main and Nuremberg, and the processes that support it at the Berlin "
                 "headquarters"),
            ], 170),
            ("h", "2. Complementary controls"),
            ("p", "The criteria of the data centre area (PS) are covered by the colocation providers; the "
             "report relies on their own attestations and certificates (carve-out method). Customers "
             "remain responsible for the controls the report names as complementary customer controls, "
             "for example managing their own users, enabling two-factor authentication and reviewing "
             "access of their administrators."),
            ("h", "3. Result"),
            ("kv", [
                ("Opinion", "Unqualified: the controls were suitably designed and operated effectively "
                 "throughout the period under review"),
                ("Deviations", "Two, without effect on the opinion: one late quarterly access review "
                 "(IDM-08) and one supplier assessment completed after its due date (SSO-05); both "
                 "corrected within the period"),
            ], 170),
            ("p", "Example Audit Partners AG, Hamburg, 13 November 2026"),
        ],
        short="BSI C5:2020 Type 2 Attestation Report 2026")


def all_documents() -> list[Doc]:
    return [
        dpa_en("3.0", "2025-01-15"), avv_de("3.0", "2025-01-15"),
        dpa_en("3.1", "2026-06-01"), avv_de("3.1", "2026-06-01"),
        scc_en(), scc_de(),
        transfer_annex_en(), transfer_annex_de(),
        uk_addendum_en(),
        privacy_policy_en(), privacy_policy_de(),
        privacy_policy_25_en(), privacy_policy_25_de(),
        pentest_en(),
        certificate_en(), certificate_de(),
        audit_report_en(),
        c5_report_en(),
    ]


def main() -> int:
    for doc in all_documents():
        data = build_pdf(doc)
        if len(data) >= 20 * 1024:
            raise SystemExit(f"{doc.path}: {len(data)} bytes, limit is 20 KB")
        target = DOCS / doc.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        pages = data.count(b"/Type /Page ")
        print(f"wrote {target.relative_to(ROOT)} ({pages} page{'s' if pages != 1 else ''}, {len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
