"""One module per file format; :mod:`jixiao.io.audit.read` picks among them."""
