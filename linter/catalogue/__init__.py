"""Catalogues of Tracecat's built-in actions and expression functions, read statically from a Tracecat checkout."""
