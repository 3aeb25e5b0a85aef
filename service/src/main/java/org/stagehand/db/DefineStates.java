package org.stagehand.db;

import java.lang.annotation.Annotation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import org.jdbi.v3.sqlobject.customizer.SqlStatementCustomizer;
import org.jdbi.v3.sqlobject.customizer.SqlStatementCustomizerFactory;
import org.jdbi.v3.sqlobject.customizer.SqlStatementCustomizingAnnotation;

/**
 * On a SqlObject DAO: its statements may name the states of these enums as
 * {@code <FileState.PENDING>} (see {@link StateAttributes}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@SqlStatementCustomizingAnnotation(DefineStates.Factory.class)
public @interface DefineStates {

    /** The state enums the DAO's SQL names. */
    Class<? extends Enum<?>>[] value();

    /** Defines the attributes once per DAO type, on each of its statements. */
    final class Factory implements SqlStatementCustomizerFactory {
        @Override
        public SqlStatementCustomizer createForType(Annotation annotation, Class<?> sqlObjectType) {
            Map<String, Object> attributes = StateAttributes.of(((DefineStates) annotation).value());
            return statement -> attributes.forEach(statement::define);
        }
    }
}
