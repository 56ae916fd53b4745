"""What readers do and see: threads and their cache, reactions, flags, edits, most-discussed."""
