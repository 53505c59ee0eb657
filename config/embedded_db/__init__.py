"""The embedded PostgreSQL server: a private cluster in a folder, reached through a Unix socket only.

Settings name this package as the database ENGINE when DATABASE_URL is unset (config/database.py); its
backend (base.py) starts the server the first time a process connects, and the last process using it
stops it when it exits (server.py).
"""
