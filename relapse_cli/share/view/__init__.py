"""The report and the review: plain data in, HTML strings or Rich renderables out."""
