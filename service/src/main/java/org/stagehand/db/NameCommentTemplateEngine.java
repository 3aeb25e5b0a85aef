package org.stagehand.db;

import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.extension.ExtensionMethod;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * Jdbi's default template engine ({@code <name>} attributes) that also starts each SqlObject
 * statement with a {@code /* Dao.method *}{@code /} comment, as Dropwizard's
 * {@code NamePrependingTemplateEngine} does, so statements stay recognisable in the database's
 * statistics and logs. Dropwizard's engine is not a {@link TemplateEngine.Parsing}, so Jdbi cannot
 * cache what it parses and every statement's template was parsed again on every execution (a
 * quarter of the CPU time of a status query in a profile); this one is, and Jdbi caches the parse.
 */
public final class NameCommentTemplateEngine implements TemplateEngine.Parsing {

    private final DefinedAttributeTemplateEngine engine = new DefinedAttributeTemplateEngine();

    @Override
    public Optional<Function<StatementContext, String>> parse(String template, ConfigRegistry config) {
        return engine.parse(template, config).map(render -> context -> withName(render.apply(context), context));
    }

    private static String withName(String sql, StatementContext context) {
        ExtensionMethod method = context.getExtensionMethod();
        if (method == null) {
            return sql;
        }
        String type = method.getType().getSimpleName();
        return "/* " + (type.isEmpty() ? "" : type + ".") + method.getMethod().getName() + " */ " + sql;
    }
}
