"""Working areas: LSG members propose new areas of work, peers endorse, facilitators accept or decline."""
