"""The OpenAPI 3.1 documents of the public routes, built from their marshmallow schemas.

A route declares its answers with @describe (registry.py); use_body and use_query record
its request schemas. views.py serves the documents and a reference page.
"""
