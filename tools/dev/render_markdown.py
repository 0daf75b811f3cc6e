"""Render a generated Markdown file (INDEX.md, HISTORY.md) as a code host shows it, for a screenshot.

Development only, not part of the package: GitHub's own Markdown library
(cmark-gfm, through cmarkgfm, a test dependency), each ```mermaid block drawn by the real
Mermaid in the browser, and a GitHub-like stylesheet. Mermaid is not vendored:
install it in a scratch folder outside the repository and pass its bundle.

    npm install --prefix /tmp/mmd mermaid
    python tools/dev/render_markdown.py INDEX.md /tmp/index.html --mermaid /tmp/mmd/node_modules/mermaid/dist/mermaid.min.js
    chromium --headless --no-sandbox --disable-gpu --user-data-dir="$(mktemp -d)" \
        --window-size=1012,2400 --virtual-time-budget=5000 --screenshot=/tmp/index.png /tmp/index.html
"""

from __future__ import annotations

import argparse
import pathlib
import re

import cmarkgfm

STYLE = """
body { font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
       font-size: 16px; line-height: 1.5; color: #1f2328; background: #fff; margin: 0; }
main { max-width: 980px; margin: 0 auto; padding: 32px; box-sizing: border-box; }
h1, h2 { border-bottom: 1px solid #d1d9e0b3; padding-bottom: .3em; }
h1 { font-size: 2em; } h2 { font-size: 1.5em; margin-top: 24px; } h3 { font-size: 1.25em; }
a { color: #0969da; text-decoration: none; }
code { background: #818b981f; border-radius: 6px; padding: .2em .4em; font-size: 85%; }
table { border-spacing: 0; border-collapse: collapse; display: block; width: max-content; max-width: 100%;
        overflow: auto; margin: 0 0 16px; }
td, th { padding: 6px 13px; border: 1px solid #d1d9e0; }
th { font-weight: 600; } tr:nth-child(2n) { background: #f6f8fa; }
pre.mermaid { background: none; text-align: center; }
"""


def render(text: str, mermaid: str) -> str:
    body = cmarkgfm.github_flavored_markdown_to_html(text)  # raw HTML is escaped, as code hosts sanitise it
    # cmark-gfm writes a ```mermaid block as <pre lang="mermaid"><code>...; Mermaid draws <pre class="mermaid">.
    body = re.sub(r'<pre lang="mermaid"><code>(.*?)</code></pre>', r'<pre class="mermaid">\1</pre>', body, flags=re.S)
    return (
        f'<!doctype html><meta charset="utf-8"><style>{STYLE}</style><main>{body}</main>'
        f'<script src="{pathlib.Path(mermaid).resolve().as_uri()}"></script>'
        '<script>mermaid.initialize({startOnLoad: true, securityLevel: "strict"});</script>'
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("markdown")
    parser.add_argument("html")
    parser.add_argument("--mermaid", required=True, help="mermaid.min.js from `npm install mermaid`")
    args = parser.parse_args()
    text = pathlib.Path(args.markdown).read_text(encoding="utf-8")
    pathlib.Path(args.html).write_text(render(text, args.mermaid), encoding="utf-8")


if __name__ == "__main__":
    main()
