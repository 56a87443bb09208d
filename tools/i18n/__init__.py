"""The Chinese edition's tools: the library's message catalogue and the notebooks' translations.

    python -m tools.i18n catalog                 # tcplab/ -> tcplab/locale/*/LC_MESSAGES/tcplab.po, .mo
    python -m tools.i18n notebooks [stem ...]    # notebooks/X.ipynb + i18n/zh/X.po -> notebooks/zh/X.ipynb
    python -m tools.i18n course [hw ...]         # course/source/hw/hw.ipynb + i18n/zh/course/hw.po
                                                 #   -> course/source/hw-zh/hw-zh.ipynb (nbgrader)

Babel does the catalogue work here (extraction, .po reading and writing, compiling .mo);
tcplab itself reads the compiled .mo with the standard library's gettext only.  See
i18n/README.md for the translators' side.
"""
