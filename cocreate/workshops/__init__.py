"""Workshops: facilitated sessions in a space, with a moderated thread that updates live."""
