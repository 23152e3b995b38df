"""The standing fuzz of every reader (.txt, .docx, .xlsx, .xls, .pdf): seed documents, their mutations, and a
runner that audits each case in a child process with its time and memory measured (``tools/fuzz.py`` runs many
more of the same cases)."""
