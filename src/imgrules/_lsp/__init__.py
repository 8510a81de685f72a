"""The language server of the rule language (``imgrules lsp``).

:mod:`.index` (where every name is defined and used) and :mod:`.analysis` (a buffer,
checked) need nothing beyond imgrules itself; :mod:`.features` and :mod:`.server` need
pygls, installed by the ``lsp`` extra (``pip install 'imgrules[lsp]'``).
"""
