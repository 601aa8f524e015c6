"""The ToUnicode repair: Kangxi and supplement radicals in a PDF's text map back to the ideographs typed."""

import io
import subprocess

import pikepdf
import pytest
from pikepdf import Dictionary, Name

from layers.pdf_text import fix_cmap, ideograph, parse_cmap, repair_to_unicode

CMAP = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
2 beginbfchar
<01> <2F6F>
<04> <2ED4>
endbfchar
1 beginbfrange
<02> <03> <2F2F>
endbfrange
1 beginbfchar
<05> <94A2>
endbfchar
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def type3_pdf(cmap: bytes) -> bytes:
    """A one-line page in a Type 3 font (as Chromium writes them) showing codes 01..05."""
    pdf = pikepdf.new()
    box = pdf.make_stream(b"1000 0 0 0 750 750 d1 0 0 750 750 re f")
    names = [Name(f"/g{i}") for i in range(1, 6)]
    font = Dictionary(
        Type=Name.Font,
        Subtype=Name.Type3,
        FontBBox=[0, 0, 750, 750],
        FontMatrix=[0.001, 0, 0, 0.001, 0, 0],
        CharProcs=Dictionary({str(n): box for n in names}),
        Encoding=Dictionary(Type=Name.Encoding, Differences=[1, *names]),
        FirstChar=1,
        LastChar=5,
        Widths=[1000] * 5,
        Resources=Dictionary(),
        ToUnicode=pdf.make_stream(cmap),
    )
    page = pdf.add_blank_page(page_size=(300, 100))
    page.Resources = Dictionary(Font=Dictionary(F1=pdf.make_indirect(font)))
    page.Contents = pdf.make_stream(b"BT /F1 24 Tf 10 40 Td <0102030405> Tj ET")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdftotext(data: bytes, tmp_path) -> str:
    path = tmp_path / "t.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_radicals_become_the_ideographs_typed(tmp_path):
    broken = type3_pdf(CMAP)
    assert pdftotext(broken, tmp_path) == "⽯⼯⼰⻔钢"  # what a reader searched and copied before
    assert pdftotext(repair_to_unicode(broken), tmp_path) == "石工己门钢"


def test_cmap_ranges_and_chars_parsed():
    assert parse_cmap(CMAP) == {b"01": "⽯", b"04": "⻔", b"02": "⼯", b"03": "⼰", b"05": "钢"}
    fixed = parse_cmap(fix_cmap(CMAP))
    assert fixed == {b"01": "石", b"04": "门", b"02": "工", b"03": "己", b"05": "钢"}


def test_clean_cmap_and_pdf_left_alone():
    clean = CMAP.replace(b"<2F6F>", b"<77F3>").replace(b"<2ED4>", b"<95E8>").replace(b"<2F2F>", b"<5DE5>")
    clean = clean.replace(b"<02> <03> <5DE5>", b"<02> <02> <5DE5>")
    assert fix_cmap(clean) is None
    pdf = type3_pdf(clean)
    assert repair_to_unicode(pdf) == pdf


@pytest.mark.parametrize(
    "ch, want",
    [("⽯", "石"), ("⼯", "工"), ("⻢", "马"), ("⻅", "见"), ("⺟", "母"), ("钢", "钢"), ("A", "A")],
)
def test_ideograph(ch, want):
    assert ideograph(ch) == want
