/** The dev server's SQLite settings on a file, as infra/lib.sh gives them (why: there). */
export const TEMPORAL_SQLITE_PRAGMAS = ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'];
