#include "pg_session.h"

#include <chrono>
#include <cstdlib>

namespace pgsieve::oracle {

bool OracleAvailable() { return std::getenv("PGSIEVE_PG_HOST") != nullptr; }

PgSession::PgSession(const std::string& dbname) : dbname_(dbname) { EnsureConnected(); }

PgSession::~PgSession() {
  if (conn_ != nullptr) PQfinish(conn_);
}

bool PgSession::connected() const { return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK; }

void PgSession::EnsureConnected() {
  if (connected()) return;
  if (conn_ != nullptr) PQfinish(conn_);
  const char* host = std::getenv("PGSIEVE_PG_HOST");
  const char* port = std::getenv("PGSIEVE_PG_PORT");
  const std::string info = std::string("host=") + (host ? host : "") + " port=" + (port ? port : "") +
                           " user=postgres dbname=" + dbname_ + " application_name=pgsieve-oracle";
  conn_ = PQconnectdb(info.c_str());
  // ROLLBACK outside a transaction and attacks' notices are expected here.
  if (connected()) PQclear(PQexec(conn_, "SET client_min_messages = error"));
}

QueryResult PgSession::Exec(const std::string& sql) {
  QueryResult out;
  EnsureConnected();
  const auto start = std::chrono::steady_clock::now();
  PGresult* r = PQexec(conn_, sql.c_str());
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const ExecStatusType status = PQresultStatus(r);
  out.ok = status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK;
  if (!out.ok) {
    const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    out.sqlstate = state != nullptr ? state : "?????";
    out.error = PQerrorMessage(conn_);
  } else if (status == PGRES_TUPLES_OK) {
    for (int i = 0; i < PQntuples(r); ++i) {
      std::vector<std::string> row;
      for (int j = 0; j < PQnfields(r); ++j) row.push_back(PQgetisnull(r, i, j) ? "\\N" : PQgetvalue(r, i, j));
      out.rows.push_back(std::move(row));
    }
  }
  PQclear(r);
  return out;
}

SideEffects PgSession::Probe() {
  SideEffects e;
  QueryResult r = Exec(
      "select txid_current_if_assigned() is not null, "
      "(select count(*) from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()), "
      "pg_notification_queue_usage(), "
      "(select count(*) from pg_largeobject_metadata), "
      // Settings changed in this session (SET, set_config): loading an
      // extension's library adds its settings with source 'default', which is
      // not a change.
      "(select md5(coalesce(string_agg(name || '=' || coalesce(setting, ''), ',' order by name), '')) "
      " from pg_settings where source <> 'default')");
  if (!r.ok || r.rows.empty()) {
    e.settings = "probe failed: " + r.error;
    return e;
  }
  e.xid_assigned = r.rows[0][0] == "t";
  e.advisory_locks = std::atol(r.rows[0][1].c_str());
  e.notify_queue = std::atof(r.rows[0][2].c_str());
  e.large_objects = std::atol(r.rows[0][3].c_str());
  e.settings = r.rows[0][4];
  return e;
}

std::vector<std::string> PgSession::TakeNotifications() {
  std::vector<std::string> out;
  if (!connected()) return out;
  PQconsumeInput(conn_);
  while (PGnotify* n = PQnotifies(conn_)) {
    out.push_back(n->relname);
    PQfreemem(n);
  }
  return out;
}

}  // namespace pgsieve::oracle
