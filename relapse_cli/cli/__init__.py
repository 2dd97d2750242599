"""The command-line layer: parse, call the domain and the journal, print."""
