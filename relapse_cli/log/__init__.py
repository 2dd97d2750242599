"""The everyday journal: cravings, moods, triggers met, lapses (``relapse log``), looking
back at them (``history``, ``show``, ``edit``, ``delete``, ``undo``, ``purge``) and the
person's own words for triggers and coping (``triggers``, ``coping``).

One folder per layer: ``commands/`` (log and its prompts, the option specs both parsers share,
history, vocabulary), ``model/`` (entries, lapses, triggers; pure), ``store/`` (entries,
bulk writes, vocabulary: the only SQL) and ``view/`` (the only Rich). ``relapse log`` runs on
a fast lane (``cli/fastpath.py`` with ``commands/spec.py``): keep these imports light.

``model.entries`` (ids, names, ranges) and ``store.entries`` (``utc_now``, ``write``) are what
every other record kind builds on too.
"""
