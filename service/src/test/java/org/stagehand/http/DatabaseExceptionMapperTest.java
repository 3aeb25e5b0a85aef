package org.stagehand.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

class DatabaseExceptionMapperTest {

    private final DatabaseExceptionMapper mapper = new DatabaseExceptionMapper();

    @Test
    void unreachableDatabaseAnswers503SayingNothingWasStored() {
        Response response = mapper.toResponse(new ConnectionException(new SQLException("Connection refused", "08001")));

        assertThat(response.getStatus()).isEqualTo(503);
        ApiError error = (ApiError) response.getEntity();
        assertThat(error.code()).isEqualTo(503);
        assertThat(error.message()).contains("nothing was stored").doesNotContain("Connection refused");
    }

    @Test
    void connectionLostDuringAStatementAnswers503() {
        Response response = mapper.toResponse(new UnableToExecuteStatementException(
                new SQLException("An I/O error occurred while sending to the backend.", "08006"), null));

        assertThat(response.getStatus()).isEqualTo(503);
    }

    @Test
    void serverShuttingDownAnswers503() {
        Response terminated = mapper.toResponse(new UnableToExecuteStatementException(
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"), null));
        Response starting = mapper.toResponse(new ConnectionException(
                new SQLException("FATAL: the database system is starting up", "57P03")));

        assertThat(terminated.getStatus()).isEqualTo(503);
        assertThat(starting.getStatus()).isEqualTo(503);
    }

    @Test
    void faultyStatementAnswers500WithoutItsDetails() {
        Response response = mapper.toResponse(new UnableToExecuteStatementException(
                new SQLException("syntax error at or near \"SELEC\"", "42601"), null));

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(((ApiError) response.getEntity()).message()).doesNotContain("SELEC").contains("logged as");
    }
}
