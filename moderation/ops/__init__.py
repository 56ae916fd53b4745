"""Operations: liveness, readiness, metrics, request ids and access logs."""
