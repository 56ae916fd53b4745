"""What makes a model: datasets, sampling, the training loop and evaluation (not served)."""
