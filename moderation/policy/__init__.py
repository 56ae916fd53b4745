"""What decides a comment's route; verdict.route_comment is the entry point."""
