"""Quality checks on translated text (pure functions; the service feeds them beads)."""
