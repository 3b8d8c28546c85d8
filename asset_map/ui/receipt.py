"""The withdrawal code on the screen: on one line, with a copy button and a receipt to keep.

Shown once, right after a resident sent their talent (:func:`show_withdrawal_code`). The code
never wraps (not at its hyphens either, also on a 390 px phone), a button copies it, and a
download gives a one-page receipt (PDF) to save or print.
"""

from __future__ import annotations

import json
from functools import partial

import streamlit as st

from asset_map._errors import AssetMapError
from asset_map.render.receipt import withdrawal_receipt
from asset_map.rules.auth import CODE_ALPHABET
from asset_map.services.workspace import Workspace
from asset_map.settings import retention_months
from asset_map.ui.state import current_lang, tr

#: The code block: the code in a box that never wraps, and a copy button. The script holds
#: no ``<`` before a letter or ``/`` (Streamlit's HTML sanitiser drops such scripts).
_CODE_HTML = r"""
<div class="am-code-box" style="display:flex;flex-wrap:wrap;align-items:center;gap:.75rem;
     margin:.25rem 0 .5rem 0">
  <code class="am-withdrawal-code" style="white-space:nowrap;font-size:1.5rem;
        letter-spacing:.06em;padding:.35rem .65rem;border:2px solid #555;border-radius:.4rem;
        background:#fff;color:#111">__CODE__</code>
  <button type="button" class="am-copy-code" style="font-size:1rem;padding:.5rem 1rem;
          border-radius:.5rem;border:1px solid #555;background:#fff;color:#111;
          cursor:pointer;min-height:44px">__COPY__</button>
  <span class="am-copy-done" role="status" aria-live="polite" style="font-size:.95rem"></span>
</div>
<script>
(function () {
  var text = __TEXTS__;
  var box = document.querySelector('.am-code-box');
  if (!box) { return; }
  var button = box.querySelector('.am-copy-code');
  var done = box.querySelector('.am-copy-done');
  function said() { done.textContent = text.copied; }
  function fallback() {
    var range = document.createRange();
    range.selectNodeContents(box.querySelector('.am-withdrawal-code'));
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try { document.execCommand('copy'); said(); } catch (e) { /* selected: copy by hand */ }
  }
  button.addEventListener('click', function () {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text.code).then(said, fallback);
    } else { fallback(); }
  });
})();
</script>
"""


def show_withdrawal_code(ws: Workspace, code: str) -> None:
    """Show the withdrawal code once: unbroken, with a copy button and a receipt to keep."""
    if any(ch not in CODE_ALPHABET + "-" for ch in code):  # only our own codes get here
        raise ValueError("not a withdrawal code")
    lang = current_lang()
    st.info(tr("join.code_intro"), icon="🔑")
    texts = {"code": code, "copied": tr("join.code_copied")}
    html = (
        _CODE_HTML.replace("__CODE__", code)
        .replace("__COPY__", tr("join.copy_code"))
        .replace("__TEXTS__", json.dumps(texts))
    )
    st.html(html, unsafe_allow_javascript=True)
    label = str(ws.meta.get(f"label_{lang}", "")) if ws.is_demo else ""
    try:
        months: int | None = retention_months()
    except AssetMapError:  # a wrong setting is said in the privacy text; claim no period here
        months = None
    st.download_button(
        tr("join.receipt"),
        data=partial(
            withdrawal_receipt,
            code,
            lang=lang,
            months=months,
            where=st.context.url or None,
            demo_label=label or None,
        ),
        file_name="bewijs-aanmelding.pdf",
        mime="application/pdf",
        icon="🖨️",
        on_click="ignore",
        key="join_receipt_pdf",
    )
