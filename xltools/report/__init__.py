"""The quarterly report's content: what it says, chosen from the master and the tracker (no files here)."""
