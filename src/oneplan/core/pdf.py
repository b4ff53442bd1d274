"""PDF documents with WeasyPrint and the bundled Sarabun font (no network: fonts from our files)."""
from pathlib import Path

import fontpkg_sarabun
from django.template.loader import render_to_string

FONT_DIR = Path(fontpkg_sarabun.__file__).parent / "files"

FONT_CSS = "\n".join(
    f'@font-face {{ font-family: "Sarabun"; src: url("{(FONT_DIR / f"Sarabun-{style}.ttf").as_uri()}"); '
    f"font-weight: {weight}; }}"
    for style, weight in (("Regular", 400), ("Medium", 500), ("Bold", 700)))

BASE_CSS = FONT_CSS + """
@page { size: A4; margin: 18mm 14mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; } }
body { font-family: "Sarabun"; font-size: 11pt; line-height: 1.45; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 12pt; }
table { border-collapse: collapse; width: 100%; } th, td { border: 0.5pt solid #888; padding: 2pt 4pt; vertical-align: top; }
th { background: #eef2f6; } td.num { text-align: right; }
/* totals once, at the end: a repeated footer under the first rows of a split table reads as their total */
tfoot { display: table-row-group; }
tr { page-break-inside: avoid; }
"""


def html_to_pdf(html: str, extra_css: str = "") -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()  # without it WeasyPrint ignores @font-face: no Sarabun
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf(
        stylesheets=[CSS(string=BASE_CSS + extra_css, font_config=fonts)], font_config=fonts)


def render_pdf(template: str, context: dict, extra_css: str = "") -> bytes:
    """Render a Django template (a plain HTML document, no base.html) to PDF bytes."""
    return html_to_pdf(render_to_string(template, context), extra_css)
