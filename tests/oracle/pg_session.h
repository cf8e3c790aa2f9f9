// A libpq session for the oracle tests: run SQL, read rows, and the probes
// that show whether a statement had a side effect.
#ifndef PGSIEVE_TESTS_ORACLE_PG_SESSION_H_
#define PGSIEVE_TESTS_ORACLE_PG_SESSION_H_

#include <libpq-fe.h>

#include <string>
#include <vector>

namespace pgsieve::oracle {

struct QueryResult {
  bool ok = false;
  std::string sqlstate;  // on error
  std::string error;
  std::vector<std::vector<std::string>> rows;  // NULL as "\\N"
  double seconds = 0;
};

// What a statement left behind, read inside its transaction.
struct SideEffects {
  bool xid_assigned = false;    // something was written
  long advisory_locks = 0;      // held by this session
  double notify_queue = 0;      // pg_notification_queue_usage()
  long large_objects = 0;       // rows of pg_largeobject_metadata
  std::string settings;         // md5 of every setting as this session sees it
  bool operator==(const SideEffects&) const = default;
};

class PgSession {
 public:
  // Connects to PGSIEVE_PG_HOST / PGSIEVE_PG_PORT (set by with_postgres.sh).
  explicit PgSession(const std::string& dbname = "oracle");
  ~PgSession();
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  bool connected() const;
  // Reconnects after the backend went away (a crash must not end the run).
  void EnsureConnected();
  QueryResult Exec(const std::string& sql);
  SideEffects Probe();
  // Notifications received so far (channel names), consumed.
  std::vector<std::string> TakeNotifications();

 private:
  std::string dbname_;
  PGconn* conn_ = nullptr;
};

// True when the oracle server is reachable (the tests skip otherwise).
bool OracleAvailable();

}  // namespace pgsieve::oracle

#endif  // PGSIEVE_TESTS_ORACLE_PG_SESSION_H_
