"""Privacy operations on personnel records: who viewed a record (disclosure accounting), a
person's own data export, and the retention schedule's purge."""
