"""The journal on disk: files, lock, schema, backups, the TinyDB storage and the ``Journal``.

The package is the only importer of TinyDB. Its parts, each with one kind of change:
``files`` (reading regular files, atomic writes), ``lock`` (one writer at a time), ``schema``
(parsing and checking a journal's bytes, schema versions, migrations), ``backups`` (daily
backups and restore), ``tinystore`` (the TinyDB storage and its transactions) and ``journal``.
"""

from skinlog.storage.backups import (
    KEEP_BACKUPS,
    backup_dir,
    describe_file,
    list_backups,
    newest_good_backup,
    restore_backup,
)
from skinlog.storage.files import (
    MAX_JOURNAL_BYTES,
    default_path,
    fsync_dir,
    journal_path,
    remove_stale_temp_files,
    write_temp,
)
from skinlog.storage.journal import Journal, SaveMode
from skinlog.storage.lock import exclusive_lock
from skinlog.storage.schema import MIGRATIONS, SCHEMA_VERSION, parse_journal_bytes

__all__ = [
    "KEEP_BACKUPS",
    "MAX_JOURNAL_BYTES",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SaveMode",
    "Journal",
    "backup_dir",
    "default_path",
    "describe_file",
    "exclusive_lock",
    "fsync_dir",
    "journal_path",
    "list_backups",
    "newest_good_backup",
    "parse_journal_bytes",
    "remove_stale_temp_files",
    "restore_backup",
    "write_temp",
]
