"""The pipeline every conversion of a stream takes: bytes -> reader -> records -> decode ->
(translate) -> encode -> writer.

- :mod:`.record`: what a reader yields, one order at its place in the input;
- :mod:`.readers` (with :mod:`.xml_reader` and :mod:`.json_reader`): the reader for an input,
  chosen from its first bytes: a page order by order, newline-delimited JSON line by line, or
  a document read whole;
- :mod:`.work`: one order decoded, translated and encoded, here or in worker processes;
- :mod:`.writer`: a page written around its orders from the page's own envelope.

:mod:`ordermap.stream` is the public face of the pipeline.
"""
