#!/usr/bin/env python3
"""Writes the binary reader fixtures in this folder (see README.md).

Needs Python 3 with reportlab and Pillow (`pip install reportlab`) and the
DejaVu fonts (`apt-get install fonts-dejavu-core`). Everything else is the
standard library. Output is deterministic: run it again and the files do not
change.
"""
import gzip
import io
import os
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timezone

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

HERE = os.path.dirname(os.path.abspath(__file__))
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
pdfmetrics.registerFont(TTFont("DejaVu", FONT))


def path(name):
    return os.path.join(HERE, name)


def wrap(text, width, size, font="DejaVu"):
    """Greedy line wrap by measured width, as a typesetter would."""
    lines, line = [], ""
    for word in text.split():
        candidate = (line + " " + word).strip()
        if pdfmetrics.stringWidth(candidate, font, size) > width and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    return lines


def new_canvas(name, **kw):
    c = canvas.Canvas(path(name), pagesize=A4, invariant=1, **kw)
    c.setCreator("lede make_fixtures.py")
    return c


# --- two-columns.pdf: two pages, two columns, running header and footer.
# The right column is drawn before the left one, so content-stream order is
# not reading order: only the glyph positions give it.
LEFT = [
    "The harbour authority reported that cargo volumes rose sharply in the first quarter, "
    "driven by grain shipments from the northern terminals.",
    "Dock workers in the western basin said the new cranes had halved the time needed to unload "
    "a container vessel, although maintenance costs remain high.",
]
RIGHT = [
    "In the second column the authority describes its plans for a quieter night schedule, "
    "after residents complained about the noise of the straddle carriers.",
    "A spokesperson said the zanzibarite coating on the quay walls would be renewed before the "
    "winter storms arrive.",
]
PAGE2_LEFT = [
    "On the second page the report turns to finances: port dues brought in more than the "
    "forecast, and the pilotage service broke even for the first time.",
]
PAGE2_RIGHT = [
    "The board approved a budget for dredging the approach channel, which has silted up since "
    "the last survey.",
]


def column(c, paragraphs, x, top, width, size=10, leading=13):
    y = top
    for para in paragraphs:
        for line in wrap(para, width, size):
            c.drawString(x, y, line)
            y -= leading
        y -= leading  # blank line between paragraphs
    return y


def two_columns():
    c = new_canvas("two-columns.pdf")
    c.setTitle("Harbour Authority Quarterly Report")
    c.setAuthor("Harbour Authority")
    w, h = A4
    for number, (left, right) in enumerate([(LEFT, RIGHT), (PAGE2_LEFT, PAGE2_RIGHT)], 1):
        c.setFont("DejaVu", 8)
        c.drawString(72, h - 40, "Harbour Authority - Quarterly Report")
        c.setFont("DejaVu", 10)
        column(c, right, w / 2 + 10, h - 100, w / 2 - 82)
        column(c, left, 72, h - 100, w / 2 - 82)
        c.setFont("DejaVu", 8)
        c.drawString(w / 2 - 20, 30, "Page %d of 2" % number)
        c.showPage()
    c.save()


# --- ligatures.pdf: one column with ligature glyphs (U+FB01, U+FB02) and
# words hyphenated at line ends.
def ligatures():
    c = new_canvas("ligatures.pdf")
    w, h = A4
    c.setFont("DejaVu", 16)
    c.drawString(72, h - 72, "Oﬃcial ﬁndings of the ﬂood inquiry")
    c.setFont("DejaVu", 11)
    lines = [
        "The ﬁnal report of the ﬂood inquiry was published on",
        "Tuesday. It found that the pumping stations had been in-",
        "adequately maintained for a decade, and that the oﬃce",
        "responsible had ignored three warnings.",
        None,
        "A second section deals with compensation for the",
        "households aﬀected by the ﬂooding in the river valley.",
    ]
    y = h - 110
    for line in lines:
        if line is not None:
            c.drawString(72, y, line)
        y -= 15
    c.save()


# --- encrypted.pdf: RC4 encryption with a user password.
def encrypted():
    c = new_canvas("encrypted.pdf", encrypt="secret")
    c.setFont("DejaVu", 11)
    c.drawString(72, 700, "This text is locked behind a password.")
    c.save()


# --- scanned.pdf: a page that is only a picture of text (no text layer).
def scanned():
    img = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(img)
    draw.text((20, 80), "A scanned memo with no text layer", fill=0)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    from reportlab.lib.utils import ImageReader

    c = new_canvas("scanned.pdf")
    c.drawImage(ImageReader(buf), 72, 500, width=450, height=150)
    c.save()


def truncate(src, dst, keep):
    with open(path(src), "rb") as f:
        data = f.read()
    with open(path(dst), "wb") as f:
        f.write(data[: int(len(data) * keep)])


# --- DOCX: written part by part, with runs split the way Word splits them.
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""


def core(title):
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>{title}</dc:title><dc:creator>Viktor Brandt</dc:creator>
<dcterms:created xsi:type="dcterms:W3CDTF">2024-03-05T09:30:00Z</dcterms:created>
</cp:coreProperties>"""


def para(*runs, style=None):
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    body = "".join(f'<w:r><w:t xml:space="preserve">{r}</w:t></w:r>' for r in runs)
    return f"<w:p>{ppr}{body}</w:p>"


def cell(text):
    return f"<w:tc>{para(text)}</w:tc>"


MEMO = (
    para("Memo on the ", "port tender", style="Heading1")
    + para("The contract was ", "listed as", " ", "Viktor", " Brandt's responsibility until May.")
    + para("Bids arrived from three ", "companies", "; the ", "quillwort", " bid was the lowest.")
    + '<w:tbl><w:tr>' + cell("Bidder") + cell("Amount") + "</w:tr>"
    + "<w:tr>" + cell("Quillwort Ltd") + cell("4.2 million") + "</w:tr></w:tbl>"
    + '<w:p><w:r><w:t>Second</w:t></w:r><w:r><w:tab/><w:t>line after a tab.</w:t></w:r></w:p>'
)


def docx(name, document_body, title, extra=None):
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>{document_body}</w:body></w:document>'
    with zipfile.ZipFile(path(name), "w", zipfile.ZIP_DEFLATED) as z:
        for part, text in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            ("docProps/core.xml", core(title)),
            ("word/document.xml", extra if extra is not None else document),
        ]:
            info = zipfile.ZipInfo(part, date_time=(2024, 3, 5, 9, 30, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)


def docx_fixtures():
    docx("memo.docx", MEMO, "Port tender memo")
    docx("untitled.docx", para("Heading from the body", style="Heading1") + para("Body text."), "")
    # A zip bomb: document.xml is 100 MiB of spaces inside a tiny archive.
    bomb = '<?xml version="1.0"?><w:document ' + W + "><w:body>" + " " * (100 << 20) + "</w:body></w:document>"
    docx("bomb.docx", "", "bomb", extra=bomb)
    with open(path("not-a-zip.docx"), "wb") as f:
        f.write(b"This is a plain text file that someone renamed to .docx.\n")


# --- E-mail.
DATE = datetime(2024, 8, 14, 9, 15, tzinfo=timezone.utc)


def tip_message():
    m = EmailMessage()
    m["From"] = "Ana Ruiz <ana@example.org>"
    m["To"] = "desk@example.net"
    m["Subject"] = "=?utf-8?q?Tip:_Stra=C3=9Fenbau_contract_kickbacks?="
    m["Date"] = format_datetime(DATE)
    m["Message-ID"] = "<tip-1@example.org>"
    m.set_content(
        "Hello desk,\n\nThe road building contract in Görlitz was awarded after the\n"
        "mayor's office received a payment from the marlinspike company.\n\n"
        "Documents attached.\n",
        charset="utf-8",
        cte="quoted-printable",
    )
    with open(path("memo.docx"), "rb") as f:
        m.add_attachment(
            f.read(),
            maintype="application",
            subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
            filename="memo.docx",
        )
    m.add_attachment(b"\x89PNG not really", maintype="image", subtype="png", filename="photo.png")
    m.set_boundary("lede-fixture-boundary")  # the default is random
    return m


def html_message():
    m = EmailMessage()
    m["From"] = "Newsletter <news@example.com>"
    m["To"] = "desk@example.net"
    m["Subject"] = "Weekly digest"
    m["Date"] = format_datetime(datetime(2024, 8, 20, 7, 0, tzinfo=timezone.utc))
    m.set_content(
        "<html><head><style>p{color:red}</style></head><body><h1>Digest</h1>"
        "<p>The ferry operator announced a <b>cormorant</b> &amp; gull survey.</p>"
        "<p>Second item: fares rise in October.</p><script>track()</script></body></html>",
        subtype="html",
        charset="utf-8",
        cte="base64",
    )
    return m


def plain(subject, body, day):
    m = EmailMessage()
    m["From"] = "someone@example.org"
    m["To"] = "desk@example.net"
    m["Subject"] = subject
    m["Date"] = format_datetime(datetime(2024, 9, day, 12, 0, tzinfo=timezone.utc))
    m.set_content(body)
    return m


def mail_fixtures():
    with open(path("tip.eml"), "wb") as f:
        f.write(bytes(tip_message()))
    with open(path("digest.eml"), "wb") as f:
        f.write(bytes(html_message()))
    first = plain("First message", "The first message mentions the quokka survey.\n", 2)
    third = plain("Third message", "From the third message: the wombat census starts.\n", 4)
    # A broken message: its header block is binary garbage (a damaged disk
    # block), so there is no header and no body to read.
    broken = b"\x00\x01\x02\xff\xfe garbage \x00\x00\n\x00\x00\x00\n"
    with open(path("inbox.mbox"), "wb") as f:
        for i, msg in enumerate([bytes(first), broken, bytes(third)]):
            f.write(b"From someone@example.org Mon Sep  2 12:00:00 2024\n")
            body = msg.replace(b"\nFrom ", b"\n>From ")
            f.write(body if body.endswith(b"\n") else body + b"\n")
            f.write(b"\n")


# --- WARC: one gzip member per record, as wget and warcio write them.
RECORD_IDS = iter(range(1, 100))


def warc_record(kind, uri, date, block, content_type):
    head = (
        "WARC/1.0\r\n"
        f"WARC-Type: {kind}\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{next(RECORD_IDS):012d}>\r\n"
        f"WARC-Date: {date}\r\n"
        + (f"WARC-Target-URI: {uri}\r\n" if uri else "")
        + f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


def http_response(html, content_type="text/html; charset=utf-8"):
    body = html.encode()
    return (
        "HTTP/1.1 200 OK\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Server: fixture\r\n\r\n"
    ).encode() + body


def warc_fixtures():
    records = [
        warc_record("warcinfo", None, "2024-07-01T10:00:00Z", b"software: make_fixtures.py\r\n", "application/warc-fields"),
        warc_record("request", "https://news.example.com/harbour", "2024-07-01T10:00:01Z",
                    b"GET /harbour HTTP/1.1\r\nHost: news.example.com\r\n\r\n", "application/http; msgtype=request"),
        warc_record("response", "https://news.example.com/harbour", "2024-07-01T10:00:02Z",
                    http_response("<html><head><title>Harbour strike ends</title></head><body>"
                                  "<h1>Harbour strike ends</h1><p>Dockers voted to accept the "
                                  "pelican-class pay offer on Sunday.</p><p>Ships are queuing again.</p>"
                                  "</body></html>"), "application/http; msgtype=response"),
        warc_record("response", "https://news.example.com/logo.png", "2024-07-01T10:00:03Z",
                    http_response("\x89PNG", content_type="image/png"), "application/http; msgtype=response"),
        warc_record("response", "https://news.example.com/ferry", "2024-07-01T10:00:04Z",
                    http_response("<html><head><title>Ferry fares</title></head><body>"
                                  "<p>Ferry fares rise by the narwhal surcharge in October.</p>"
                                  "</body></html>"), "application/http; msgtype=response"),
    ]
    with open(path("site.warc"), "wb") as f:
        f.write(b"".join(records))
    members = b"".join(gzip.compress(r, mtime=0) for r in records)
    with open(path("site.warc.gz"), "wb") as f:
        f.write(members)
    # Ends inside the last record's gzip member: the records before it stay.
    last = len(gzip.compress(records[-1], mtime=0))
    with open(path("truncated.warc.gz"), "wb") as f:
        f.write(members[: len(members) - last // 2])


if __name__ == "__main__":
    two_columns()
    ligatures()
    encrypted()
    scanned()
    truncate("two-columns.pdf", "truncated.pdf", 0.5)
    docx_fixtures()
    truncate("memo.docx", "truncated.docx", 0.6)
    mail_fixtures()
    warc_fixtures()
