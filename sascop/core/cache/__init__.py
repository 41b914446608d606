"""What lives in Redis: revocable copies of rows, cached results, the database identity their
keys carry, the circuit breaker in front of Redis.
"""
