"""Programme insights: development, open data, the dashboard and the competence-gap report."""
