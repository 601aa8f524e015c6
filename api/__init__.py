"""HTTP APIs of the map server (JSON in, JSON out; never HTML)."""
