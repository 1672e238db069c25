#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro Swift cannot import: the destructor value that tells
// sqlite3_bind_* to copy the bytes before the call returns.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
