"""Organisations: companies, their customers and suppliers, clusters, schools, public bodies."""
