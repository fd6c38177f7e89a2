// For the audit tests: what someone who can write the database does first, on either backend.
#pragma once

#include "platform/db/database.h"

namespace radqs::audit::testing {

// Drops every append-only trigger of the trail (migration 0010; the PostgreSQL baseline).
inline void DropGuards(db::Transaction& tx) {
  if (tx.Dialect() == "postgresql") {
    tx.ExecScript(
        "DROP TRIGGER audit_log_no_update ON audit_log;"
        "DROP TRIGGER audit_log_append_at_head ON audit_log;"
        "DROP TRIGGER audit_head_no_delete ON audit_head;"
        "DROP TRIGGER audit_head_follows_log ON audit_head;");
    return;
  }
  tx.ExecScript(
      "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
      "DROP TRIGGER audit_log_append_at_head; DROP TRIGGER audit_head_no_delete;"
      "DROP TRIGGER audit_head_follows_log;");
}

// A trigger that refuses audit entries of `action` with `message`; DropRefusal removes it.
inline void RefuseAction(db::Transaction& tx, const std::string& action,
                         const std::string& message) {
  if (tx.Dialect() == "postgresql") {
    tx.ExecScript(
        "CREATE FUNCTION refuse_action() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION '" +
        message +
        "'; END $$;"
        "CREATE TRIGGER refuse_action BEFORE INSERT ON audit_log FOR EACH ROW WHEN "
        "(NEW.action = '" +
        action + "') EXECUTE FUNCTION refuse_action();");
    return;
  }
  tx.ExecScript("CREATE TRIGGER refuse_action BEFORE INSERT ON audit_log WHEN NEW.action = '" +
                action + "' BEGIN SELECT RAISE(ABORT, '" + message + "'); END;");
}
inline void DropRefusal(db::Transaction& tx) {
  tx.ExecScript(tx.Dialect() == "postgresql" ? "DROP TRIGGER refuse_action ON audit_log"
                                             : "DROP TRIGGER refuse_action");
}

}  // namespace radqs::audit::testing
