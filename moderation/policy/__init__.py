"""What decides a comment's route: thresholds, site words, built-in phrases, languages."""
