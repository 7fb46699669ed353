"""Who: entity mentions grouped into actors with PLOVER country and sector codes.

``kb`` reads the actor knowledge base (TSV files under ``khabar/data/actors``, plus a user's
own; ``codes`` holds the sector and country codes), ``scan`` finds its names in a text,
``places`` looks up place names the NER model found, ``pieces`` reconciles KB hits with NER
mentions, ``phrases`` joins them into actor phrases ("Pakistani Foreign Minister Bilawal",
"American diplomats"), ``describe`` codes each phrase, ``cluster`` groups the phrases of one
article into actors, ``resolve`` runs it all and ``stage`` is the ``actors.resolve.v1`` stage.
See ``docs/actors.md``.
"""
