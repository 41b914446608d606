"""Database techniques: query helpers, trigger sets kept outside migrations, the PostgreSQL
backend with deadlines.
"""
