"""The broken-input corpus: podcast folders made broken on purpose, each with the lines it must produce."""
