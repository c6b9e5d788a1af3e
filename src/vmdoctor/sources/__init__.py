"""Sources: the only code that reads the outside world. Each one produces an Environment."""
