"""Operations: the health endpoint that load balancers and monitors call."""
