"""`emurules serve`: the rules as an HTTP JSON API, for systems that can only call a service.

`rulesets` loads the criteria files (once per worker process), `bodies` types the requests,
`problems` answers every error as RFC 9457 problem details, and `app` wires the endpoints
(FastAPI, which documents them in an OpenAPI document). Only `rulesets` works without the
`serve` extra; the command line imports the rest when it serves.
"""
