"""Make a rendered PDF's Chinese search and copy as typed.

Noto CJK draws a Kangxi radical (⽯ U+2F6F) and the unified ideograph (石 U+77F3)
with one glyph, and Chromium's ToUnicode CMap may name the radical: pdftotext,
search and copy then give ⽯ where the map says 石. `repair_to_unicode` rewrites
every font's /ToUnicode so such codes map to the ideograph. Pure bytes -> bytes.
"""

from __future__ import annotations

import io
import re
import unicodedata

# CJK Radicals Supplement code points NFKC leaves alone: the C-simplified radicals that are whole
# characters. ⻅ 见, ⻔ 门 and ⻢ 马 showed up in this project's maps (张家口 is fine, 门 and 马 are not);
# the rest of the series is here because any title may use them. Component-only forms (纟 讠 钅) are left out.
SUPPLEMENT = {
    chr(cp): ch
    for cp, ch in (
        (0x2EC5, "见"),
        (0x2EC9, "贝"),
        (0x2ECB, "车"),
        (0x2ED3, "长"),
        (0x2ED4, "门"),
        (0x2ED9, "韦"),
        (0x2EDA, "页"),
        (0x2EDB, "风"),
        (0x2EDC, "飞"),
        (0x2EE2, "马"),
        (0x2EE5, "鱼"),
        (0x2EE6, "鸟"),
        (0x2EE7, "卤"),
        (0x2EE8, "麦"),
        (0x2EE9, "黄"),
        (0x2EEA, "黾"),
        (0x2EEC, "齐"),
        (0x2EEE, "齿"),
        (0x2EF0, "龙"),
    )
}

_HEX = r"<([0-9A-Fa-f]+)>"
_BFCHAR = re.compile(rb"(\d+)\s+beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"(\d+)\s+beginbfrange(.*?)endbfrange", re.S)
_PAIR = re.compile((_HEX + r"\s*" + _HEX).encode())
_RANGE = re.compile((_HEX + r"\s*" + _HEX + r"\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])").encode())


def ideograph(ch: str) -> str:
    """The unified ideograph a radical code point stands for; any other character unchanged."""
    cp = ord(ch)
    if 0x2F00 <= cp <= 0x2FDF:
        return unicodedata.normalize("NFKC", ch)
    if 0x2E80 <= cp <= 0x2EFF:
        return SUPPLEMENT.get(ch, unicodedata.normalize("NFKC", ch))
    return ch


def _utf16(hexstr: bytes) -> str:
    return bytes.fromhex(hexstr.decode()).decode("utf-16-be", errors="surrogatepass")


def _hex(text: str) -> bytes:
    return text.encode("utf-16-be", errors="surrogatepass").hex().upper().encode()


def parse_cmap(cmap: bytes) -> dict[bytes, str]:
    """Source code (hex, as written) -> Unicode text, from a ToUnicode CMap's bfchar and bfrange blocks."""
    out: dict[bytes, str] = {}
    for block in _BFCHAR.finditer(cmap):
        for src, dst in _PAIR.findall(block.group(2)):
            out[src.upper()] = _utf16(dst)
    for block in _BFRANGE.finditer(cmap):
        for lo, hi, dst in _RANGE.findall(block.group(2)):
            a, b, width = int(lo, 16), int(hi, 16), len(lo)
            codes = [format(c, f"0{width}X").encode() for c in range(a, b + 1)]
            if dst.startswith(b"["):
                for code, d in zip(codes, re.findall(_HEX.encode(), dst)):
                    out[code] = _utf16(d)
            else:
                base = _utf16(dst.strip(b"<>"))
                for k, code in enumerate(codes):  # a range increments the last code unit
                    out[code] = base[:-1] + chr(ord(base[-1]) + k) if base else ""
    return out


def fix_cmap(cmap: bytes) -> bytes | None:
    """The CMap with radical destinations replaced by ideographs, or None when nothing needs fixing."""
    mapping = parse_cmap(cmap)
    fixed = {src: "".join(ideograph(c) for c in text) for src, text in mapping.items()}
    if fixed == mapping:
        return None
    start = min(m.start() for m in (*_BFCHAR.finditer(cmap), *_BFRANGE.finditer(cmap)))
    end = cmap.index(b"endcmap")
    items = sorted(fixed.items(), key=lambda kv: (len(kv[0]), kv[0]))
    blocks = []
    for i in range(0, len(items), 100):  # at most 100 entries a block (PDF 32000-1, 9.10.3)
        chunk = items[i : i + 100]
        lines = b"\n".join(b"<" + src + b"> <" + _hex(text) + b">" for src, text in chunk)
        blocks.append(b"%d beginbfchar\n" % len(chunk) + lines + b"\nendbfchar\n")
    return cmap[:start] + b"".join(blocks) + cmap[end:]


def repair_to_unicode(pdf_bytes: bytes) -> bytes:
    """The PDF with every font's /ToUnicode naming unified ideographs instead of radicals."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        changed = 0
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or "/ToUnicode" not in obj:
                continue
            stream = obj.ToUnicode
            if not isinstance(stream, pikepdf.Stream):
                continue
            new = fix_cmap(stream.read_bytes())
            if new is not None:
                stream.write(new)
                changed += 1
        if not changed:
            return pdf_bytes
        buf = io.BytesIO()
        pdf.save(buf)
        return buf.getvalue()
