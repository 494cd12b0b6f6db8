"""Platform administration: people and their roles."""
