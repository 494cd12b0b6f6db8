"""Data protection: a person's own data as a download, and deleting an account."""
