"""The home page and site-wide small pages (language switch)."""
