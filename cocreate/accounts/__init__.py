"""People: sign-up, log-in, password reset, profiles and platform roles."""
