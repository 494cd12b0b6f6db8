"""Co-creation spaces: members from companies, customers and suppliers post challenges tied to barriers."""
