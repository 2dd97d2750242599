"""Daily check-ins and the validated screeners (``relapse checkin``): ``commands`` (Typer),
``sections`` (the dashboard section, no Typer), ``model`` (the daily check-in's questions and
what answers mean, and the screeners' keys, pure),
``screeners`` (PHQ-9, GAD-7, PACS: wording from packaged data, exact scoring, pure), ``store``
(``checkins`` and ``screenings``, the only SQL) and ``view`` (the only Rich). Their report and
FHIR sections are still in ``share/formats/checkins.py`` (with the codecs they feed)."""
