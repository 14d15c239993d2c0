#!/usr/bin/env python3
"""Checks the book and the README: every relative link and image names a file
that exists (and, for `file.md#anchor`, a heading of that file), every chapter
is in SUMMARY.md, and the built book has a page per chapter. Run after
`mdbook build docs` (make test does). Exits 1 with the list of what is broken."""
import os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "docs", "src")
BUILT = os.path.join(ROOT, "target", "book")


def anchors(path):
    """mdBook's ids for a file's headings."""
    ids = set()
    for line in open(path, encoding="utf-8"):
        m = re.match(r"#+\s+(.*)", line)
        if m:
            text = re.sub(r"[`*_]", "", m.group(1)).strip().lower()
            ids.add(re.sub(r"[^a-z0-9 _-]", "", text).replace(" ", "-"))
    return ids


def check(path, broken):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", text):
        if re.match(r"^[a-z]+:", target) or target.startswith("//"):
            continue  # another site: not checked here (no network)
        file_part, _, anchor = target.partition("#")
        dest = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
        if not os.path.exists(dest):
            broken.append(f"{os.path.relpath(path, ROOT)}: {target} (no such file)")
        elif anchor and dest.endswith(".md") and anchor not in anchors(dest):
            broken.append(f"{os.path.relpath(path, ROOT)}: {target} (no such heading)")


def main():
    broken = []
    chapters = sorted(f for f in os.listdir(SRC) if f.endswith(".md") and f != "SUMMARY.md")
    summary = open(os.path.join(SRC, "SUMMARY.md"), encoding="utf-8").read()
    for chapter in chapters:
        if f"({chapter})" not in summary:
            broken.append(f"docs/src/{chapter}: not in SUMMARY.md")
        check(os.path.join(SRC, chapter), broken)
        built = os.path.join(BUILT, chapter[:-3] + ".html")
        if "--built" in sys.argv and not os.path.exists(built):
            broken.append(f"{os.path.relpath(built, ROOT)}: not built")
    check(os.path.join(SRC, "SUMMARY.md"), broken)
    check(os.path.join(ROOT, "README.md"), broken)
    lines = sum(1 for _ in open(os.path.join(ROOT, "README.md"), encoding="utf-8"))
    if lines > 150:
        broken.append(f"README.md: {lines} lines (keep it under 150; the rest goes in the book)")
    for line in broken:
        print(line)
    print(f"book: {len(chapters)} chapters checked, {len(broken)} problems")
    sys.exit(1 if broken else 0)


main()
