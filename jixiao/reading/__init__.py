"""Recognition: from the text and tables a reader got out of a file to what the document states.

Pure like :mod:`jixiao.core` (no file I/O, no web framework): the vocabulary it recognises is data under
``jixiao/data/reading/``, loaded by :mod:`jixiao.io` and handed in.
"""
