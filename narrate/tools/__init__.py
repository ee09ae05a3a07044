"""Commands beside the build: say one text, inspect one article, serve the output folder."""
