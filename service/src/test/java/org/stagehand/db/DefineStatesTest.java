package org.stagehand.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToCreateStatementException;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.stagehand.testing.TestDatabase;
import org.stagehand.work.FileState;
import org.stagehand.work.RequestFileState;

class DefineStatesTest {

    @DefineStates({FileState.class, RequestFileState.class})
    interface StatesDao {
        @SqlUpdate("""
                CREATE TABLE states (state varchar(16) NOT NULL)""")
        void create();

        @SqlUpdate("""
                INSERT INTO states (state) VALUES (:state)""")
        void insert(@Bind("state") FileState state);

        @SqlQuery("""
                SELECT state FROM states WHERE state IN (<FileState.READY>, <FileState.IDLE>) ORDER BY state""")
        List<FileState> readyOrIdle();

        @SqlQuery("""
                SELECT <RequestFileState.WAITING>""")
        RequestFileState waiting();
    }

    interface UndefinedDao {
        @SqlQuery("""
                SELECT <FileState.READY>""")
        String ready();
    }

    static Stream<Jdbi> databases() {
        String postgres = TestDatabase.SharedPostgres.server().getJdbcUrl("postgres", "postgres");
        return Stream.of(Jdbi.create("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL"),
                        Jdbi.create(postgres, "postgres", ""))
                .map(jdbi -> jdbi.installPlugin(new SqlObjectPlugin()));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void sqlNamesAStateAsTheValueJdbiBindsTheEnumBy(Jdbi jdbi) {
        List<FileState> found = jdbi.withHandle(handle -> {
            handle.begin();
            StatesDao dao = handle.attach(StatesDao.class);
            dao.create();
            for (FileState state : FileState.values()) {
                dao.insert(state);
            }
            List<FileState> answer = dao.readyOrIdle();
            handle.rollback();
            return answer;
        });

        assertThat(found).containsExactly(FileState.IDLE, FileState.READY);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void statesOfEachNamedEnumAreDefined(Jdbi jdbi) {
        assertThat(jdbi.withExtension(StatesDao.class, StatesDao::waiting)).isEqualTo(RequestFileState.WAITING);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aDaoThatDefinesNoStatesCannotNameOne(Jdbi jdbi) {
        assertThatThrownBy(() -> jdbi.withExtension(UndefinedDao.class, UndefinedDao::ready))
                .isInstanceOf(UnableToCreateStatementException.class);
    }

    @org.junit.jupiter.api.Test
    void aFluentStatementGetsTheSameAttributes() {
        Jdbi jdbi = Jdbi.create("jdbc:h2:mem:" + UUID.randomUUID());
        String ready = jdbi.withHandle(handle -> {
            StateAttributes.defineOn(handle, StateAttributes.of(FileState.class));
            return handle.createQuery("SELECT <FileState.READY>").mapTo(String.class).one();
        });

        assertThat(ready).isEqualTo("READY");
    }
}
