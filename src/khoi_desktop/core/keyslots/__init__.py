"""The office file encrypted at rest (SQLCipher 4), opened with any account's own password.

A random 256-bit database key encrypts the file. It is wrapped once per account (a key derived from that
account's password with Argon2id, then AES-256-GCM) and once for the administrator's recovery key, in a key
file beside the database (`office.db` → `office.db.keys`, JSON, written atomically: keyfile.py). The key
file is readable before the database is decrypted; it also holds the count of wrong passwords (the lockout
of core/auth/accounts: 5 in a row lock the name for 5 minutes) and the refused attempts not yet written to
the audit trail.

The interface the GUI and the command line use (opening.py; nothing here imports Qt):

    is_encrypted(path) -> bool
    needs_sign_in(path) -> bool          # encrypted, or a plain file that has accounts
    open_signed_in(path, username, password, *, now=None, action="login") -> Database
        # db.user is the signed-in account; raises accounts.LoginRefused (Vietnamese message) or DatabaseError
    open_with_recovery(path, recovery_key) -> Database      # db.user None: reset an administrator's password
    create_encrypted_office(path, *, username, full_name, password) -> NewOffice(db, user, recovery_key)
    new_recovery_key(db) -> str          # replaces the recovery key, returns it to print once
    close(db)                            # closes and forgets the key in this process
    encrypt_file(path, username, password) -> Conversion    # convert.py: a plain file with accounts

A plain file without any account (test fixtures, a new file before its first administrator) is opened as
before with core.db.open_database. Once a file is unlocked its key is held in this process (registry.py) and
every raw connection (core/engines/sqlite.connect_file) and the SQLAlchemy engine pass it. Account changes
keep the key file in step (hooks.py, called by core/auth/accounts): creating or resetting an account, or
changing one's password, writes that account's slot; disabling it removes the slot.
"""
