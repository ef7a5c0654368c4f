#!/usr/bin/env python3
"""Turns a Candor site (e.g. one written by benches/site/generate.py) into a Hugo project.

    benches/hugo/prepare.py SITE_DIR HUGO_DIR

copies SITE_DIR/content to HUGO_DIR/content (translations by file name, `page.de.md`, work in Hugo
as they are), rewriting Candor's internal links `[text](@/path/page.md#frag)` to Hugo's
`[text]({{< relref "/path/page#frag" >}})`, which Hugo resolves per language and fails on when the
target is missing, as Candor does. Adds hugo.yaml and the minimal templates beside this script and
the Candor theme's stylesheet (as a Hugo asset, minified and fingerprinted like Candor's).
"""
import os
import re
import shutil
import sys

LINK = re.compile(r"\]\(@/([^)#\s]*?)(?:/_?index)?\.md(#[^)\s]*)?\)")


def to_hugo(m):
    path = "/" + m.group(1) if m.group(1) not in ("", "_index", "index") else "/"
    return ']({{< relref "%s%s" >}})' % (path, m.group(2) or "")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    site, out = sys.argv[1:]
    here = os.path.dirname(os.path.abspath(__file__))
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(os.path.join(here, "layouts"), os.path.join(out, "layouts"))
    shutil.copy(os.path.join(here, "hugo.yaml"), out)
    os.makedirs(os.path.join(out, "assets/css"))
    shutil.copy(os.path.join(site, "themes/default/static/css/style.css"), os.path.join(out, "assets/css"))
    src = os.path.join(site, "content")
    for dirpath, _, files in os.walk(src):
        target = os.path.join(out, "content", os.path.relpath(dirpath, src))
        os.makedirs(target, exist_ok=True)
        for name in files:
            if name.endswith(".md"):
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    text = LINK.sub(to_hugo, f.read())
                with open(os.path.join(target, name), "w", encoding="utf-8") as f:
                    f.write(text)
            else:
                shutil.copy(os.path.join(dirpath, name), target)


if __name__ == "__main__":
    main()
