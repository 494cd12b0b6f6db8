"""Web plumbing shared by every area: htmx responses, security headers, errors."""
