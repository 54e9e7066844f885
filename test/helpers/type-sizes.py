"""
The text lines of Chromium-printed PDFs with the size of every glyph, read by pdfminer.six
(Debian's python3-pdfminer): a reader independent of the tool's own verifier.

    python3 type-sizes.py a.pdf [b.pdf …]  →  JSON on stdout:
    { "a.pdf": [ { "width": …, "height": …,
                   "lines": [ { "rtl": false, "units": [[text, size], …] }, … ] }, … ] }

One entry per page. A unit is one glyph (pdfminer's LTChar) with its size in pt: LTChar.size,
the height of the glyph's box, i.e. the font size (Tf) times the scale of the text and page
matrices, which is the size a reader sees. Glyphs of whitespace are left out.

Lines. pdfminer's layout analysis (LTTextLine) is not used: it splits Arabic lines where a
combining mark sits (zero-width glyphs drawn backwards) and sorts the pieces into other text
boxes. Instead the glyphs are taken in painting order (text in form XObjects included) and
cut into lines where the baseline moves by more than half the type size. Chromium paints the
page box by box and each line of text in one go, so this is reading order: a paragraph's
wrapped lines follow each other, and two columns stay two columns.

Two things of Chromium's PDFs pdfminer does not interpret by itself:

- /ActualText. Chromium (Skia) prints Arabic letters and Devanagari clusters as glyphs
  without a Unicode mapping (pdfminer reads "\\x00") inside `/Span <</ActualText …>> BDC …
  EMC`. Here the first glyph of such a span carries the span's text (a cluster, in logical
  order) and its other glyphs carry "" (they still have a size, and count as printed).
- /ReversedChars. Chromium marks each right-to-left run with `/ReversedChars BMC`: its
  glyphs are painted in visual order, left to right. A line where most glyphs are in
  reversed runs is a right-to-left line: its runs are put in visual order by position (a list
  item's number is painted out of turn), then the line is reversed as a whole,
  and then, in each stretch of glyphs that were not in a reversed run (Chromium paints
  "15–30" as one such stretch), the letters and numbers are reversed back, with the levels
  the bidi algorithm gives them in a right-to-left paragraph (rules W4 and N1: the dash
  between two numbers is right-to-left, the space between two Latin words left-to-right).
  Text in a <bdi dir=ltr> inside a right-to-left line (the clinic's phone number) may come
  out with its number groups in the wrong order: not a text the tests look for. In a
  left-to-right line only the reversed runs themselves are reversed.
"""
import json
import sys
import unicodedata

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.psparser import PSLiteral


def decode_text_string(value):
    """A PDF text string: UTF-16BE with a byte order mark, UTF-8 with one, else (close enough
    for ActualText) Latin-1 for PDFDocEncoding."""
    if isinstance(value, bytes):
        if value.startswith(b"\xfe\xff"):
            return value[2:].decode("utf-16-be", "replace")
        if value.startswith(b"\xef\xbb\xbf"):
            return value[3:].decode("utf-8", "replace")
        return value.decode("latin-1")
    return str(value)


def tag_name(tag):
    return tag.name if isinstance(tag, PSLiteral) else str(tag)


class Aggregator(PDFPageAggregator):
    """Records /ActualText spans and /ReversedChars runs on the LTChars painted inside them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tags = []
        self.run = 0

    def begin_tag(self, tag, props=None):
        self.tags.append((tag_name(tag), props, self.cur_item, len(self.cur_item._objs)))

    def end_tag(self):
        if not self.tags:
            return
        name, props, item, start = self.tags.pop()
        chars = [o for o in item._objs[start:] if isinstance(o, LTChar)]
        actual = props.get("ActualText") if isinstance(props, dict) else None
        if actual is not None and chars:
            chars[0]._text = decode_text_string(actual)
            for c in chars[1:]:
                c._text = ""
        if name == "ReversedChars" and chars:
            self.run += 1
            for c in chars:
                c.reversed_run = self.run


def glyphs_in_painting_order(obj):
    if isinstance(obj, LTChar):
        yield obj
    elif hasattr(obj, "__iter__"):
        for child in obj:
            yield from glyphs_in_painting_order(child)


def painted_lines(layout):
    lines, line, baseline = [], [], None
    for c in glyphs_in_painting_order(layout):
        y = c.matrix[5]
        if line and abs(y - baseline) > 0.5 * max(c.size, line[-1].size):
            lines.append(line)
            line = []
        if not line:
            baseline = y
        line.append(c)
    if line:
        lines.append(line)
    return lines


def bidi_class(text):
    """L, R, EN (a number), CS (a separator inside a number), N (neutral), or None (no text)."""
    for ch in text:
        b = unicodedata.bidirectional(ch)
        if b == "NSM":
            continue
        if b in ("L", "R", "EN", "CS"):
            return b
        if b == "AL":
            return "R"
        if b == "AN":
            return "EN"
        if b == "ES":
            return "CS"
        return "N"
    return None


def restore_ltr_stretch(stretch):
    """A stretch of glyphs painted outside reversed runs, taken out of a right-to-left line
    that has just been reversed as a whole: the letters and numbers in it are put back in
    their order (levels as the bidi algorithm resolves them in a right-to-left paragraph:
    rules W4 and N1; a stretch's ends touch right-to-left text)."""
    classes, last = [], "N"
    for g in stretch:
        c = bidi_class(g[0])
        last = c if c is not None else last
        classes.append(last)
    for i in range(1, len(classes) - 1):
        if classes[i] == "CS" and classes[i - 1] == "EN" and classes[i + 1] == "EN":
            classes[i] = "EN"
    strong = ["N" if c in ("N", "CS") else c for c in classes]
    i = 0
    while i < len(strong):
        if strong[i] != "N":
            i += 1
            continue
        j = i
        while j < len(strong) and strong[j] == "N":
            j += 1
        before = strong[i - 1] if i > 0 else "R"
        after = strong[j] if j < len(strong) else "R"
        side = lambda c: "L" if c == "L" else "R"
        fill = "L" if side(before) == side(after) == "L" else "R"
        for k in range(i, j):
            strong[k] = fill
        i = j
    out, run = [], []
    for g, c in zip(stretch, strong):
        if c in ("L", "EN"):
            run.append(g)
        else:
            out.extend(run[::-1])
            run = []
            out.append(g)
    out.extend(run[::-1])
    return out


def visual_order(line):
    """A right-to-left line's glyphs from left to right: the runs (a reversed run, or glyphs
    painted one after the other outside reversed runs) sorted by where they start. Chromium
    paints most runs from left to right, but not all: a list item's number, at the right end,
    comes before or after its text. Inside a run the painting order is kept (combining marks
    are drawn back over their base)."""
    runs = []
    for c in line:
        r = getattr(c, "reversed_run", 0)
        if runs and runs[-1][0] == r:
            runs[-1][1].append(c)
        else:
            runs.append((r, [c]))
    runs.sort(key=lambda run: min(c.x0 for c in run[1]))
    return [c for _, run in runs for c in run]


def logical_units(line):
    glyphs = [(c.get_text(), c.size, getattr(c, "reversed_run", 0)) for c in line]
    strong = [g for g in glyphs if g[0].strip() != ""]
    rtl = sum(1 for g in strong if g[2]) * 2 > len(strong)
    out, stretch = [], []
    if rtl:
        glyphs = [(c.get_text(), c.size, getattr(c, "reversed_run", 0)) for c in visual_order(line)]
        for g in glyphs[::-1]:
            if g[2]:
                out.extend(restore_ltr_stretch(stretch))
                stretch = []
                out.append(g)
            else:
                stretch.append(g)
        out.extend(restore_ltr_stretch(stretch))
    else:
        for g in glyphs:
            if stretch and g[2] != stretch[0][2]:
                out.extend(stretch[::-1] if stretch[0][2] else stretch)
                stretch = []
            stretch.append(g)
        out.extend(stretch[::-1] if stretch and stretch[0][2] else stretch)
    return rtl, [[t, round(s, 2)] for (t, s, _) in out if t == "" or t.strip() != ""]


def read(path):
    manager = PDFResourceManager()
    device = Aggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    pages = []
    with open(path, "rb") as f:
        for page in PDFPage.get_pages(f):
            interpreter.process_page(page)
            layout = device.get_result()
            lines = []
            for line in painted_lines(layout):
                rtl, units = logical_units(line)
                if units:
                    lines.append({"rtl": rtl, "units": units})
            pages.append({"width": layout.width, "height": layout.height, "lines": lines})
    return pages


if __name__ == "__main__":
    json.dump({p: read(p) for p in sys.argv[1:]}, sys.stdout, ensure_ascii=False)
