"""Follows, in-app notifications and the e-mail about them (immediately, as a daily digest, or never)."""
