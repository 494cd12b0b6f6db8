"""Maturity mapping: instruments, scoring and cohort formation."""
