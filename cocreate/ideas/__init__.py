"""Ideas on challenges, voting, comments and merging duplicates."""
