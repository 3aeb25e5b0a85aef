package org.stagehand.db;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.config.Configurable;

/**
 * The states of enums as template attributes, so that SQL names a state by its enum constant:
 * {@code <FileState.PENDING>} is rendered as the literal {@code 'PENDING'}, the name Jdbi binds and
 * maps the constant by. A literal, not a bound parameter, so the statements the database plans are
 * the same as with the state written out; an attribute nobody defined fails the statement.
 */
public final class StateAttributes {

    private StateAttributes() {
    }

    /** {@code <Type.CONSTANT>} to {@code 'CONSTANT'}, for every constant of these enums. */
    @SafeVarargs
    public static Map<String, Object> of(Class<? extends Enum<?>>... states) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Class<? extends Enum<?>> type : states) {
            for (Enum<?> state : type.getEnumConstants()) {
                attributes.put(type.getSimpleName() + "." + state.name(), "'" + state.name() + "'");
            }
        }
        return Collections.unmodifiableMap(attributes);
    }

    /** Defines these attributes on a statement, or for every statement made from a handle; returns it. */
    public static <C extends Configurable<C>> C defineOn(C target, Map<String, Object> attributes) {
        attributes.forEach(target::define);
        return target;
    }
}
