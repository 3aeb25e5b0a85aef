package org.stagehand.db;

import java.util.Collection;
import org.jdbi.v3.core.argument.Argument;

/**
 * Lists bound as one SQL array ({@code = ANY(:ids)}, {@code UNNEST(:ids)}), which PostgreSQL and H2
 * (in PostgreSQL mode) both understand, so a statement's text does not change with the list's
 * length. Made by hand: Jdbi's {@code bindArray} looks the element type's array support up by
 * reflection on every statement.
 */
public final class SqlArrays {

    private SqlArrays() {
    }

    /** A list bound as one {@code varchar} array. */
    public static Argument varchars(Collection<String> values) {
        return (position, statement, context) ->
                statement.setArray(position, statement.getConnection().createArrayOf("varchar", values.toArray()));
    }

    /** A list bound as one {@code bigint} array (null elements stay null). */
    public static Argument bigints(Collection<Long> values) {
        return (position, statement, context) ->
                statement.setArray(position, statement.getConnection().createArrayOf("bigint", values.toArray()));
    }

    /** A list bound as one {@code integer} array. */
    public static Argument integers(Collection<Integer> values) {
        return (position, statement, context) ->
                statement.setArray(position, statement.getConnection().createArrayOf("integer", values.toArray()));
    }
}
