"""Two-way exchange with the grassroots organizations through offline `.khoipkg` files (issue 20).

container.py is the file format (pure: no database); the other modules read and write the database.
"""
