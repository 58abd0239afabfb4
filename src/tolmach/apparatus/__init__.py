"""The historian's apparatus: what an edition of archival documents needs beyond a
translation.

Pure modules (no database, no UI), each usable on plain strings:

* :mod:`~tolmach.apparatus.errors`: typesetting and OCR errors of the source, found with
  the morphological analyser, each with its probable reading;
* :mod:`~tolmach.apparatus.readings`: a text with confirmed readings applied, and the
  map from reading offsets back to the exact source;
* :mod:`~tolmach.apparatus.names`: names of people and places, romanised by a chosen
  scheme (``iuliia``) unless an authority form overrides it;
* :mod:`~tolmach.apparatus.dates`: dates of the source (``21 августа с. г.``) resolved
  against the dateline, and a check that the target gives the same day;
* :mod:`~tolmach.apparatus.citations`: archival references (Romanian and Russian forms)
  parsed into archive, fund, file, folios ... and cited as printed or Chicago-style.
"""
