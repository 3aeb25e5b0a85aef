package org.stagehand;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The package drawing of docs/design.md, checked on the compiled main classes of the service and of
 * every backend module (the service's test class path holds them all): no cycles between packages,
 * the doors ({@code org.stagehand.api..}) over the engine and never the reverse and without SQL,
 * {@code app} (the wiring) imported by nobody, and no backend plugin that reaches into another.
 */
class ArchitectureTest {

    private static final String DOORS = "org.stagehand.api";
    private static final String BACKENDS = "org.stagehand.backend";
    /** Shared backend plumbing below {@link #BACKENDS} that plugins may use: not a plugin itself. */
    private static final Set<String> NOT_PLUGINS = Set.of("support");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ArchitectureTest::notATestJar)
            .importPackages("org.stagehand");

    /** Test jars (e.g. a backend's stand-ins, published for the service's ITs) are test code too. */
    private static boolean notATestJar(Location location) {
        return !location.contains("-tests.jar");
    }

    @Test
    void packagesBelowStagehandFormNoCycles() {
        slices().matching("org.stagehand.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void doorsFormNoCyclesBetweenThem() {
        slices().matching("org.stagehand.api.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void onlyTheWiringImportsTheDoors() {
        noClasses().that().resideOutsideOfPackages("org.stagehand.api..", "org.stagehand.app..")
                .should().dependOnClassesThat().resideInAPackage("org.stagehand.api..")
                .because("a door turns its protocol into engine calls; the engine knows no door")
                .check(CLASSES);
    }

    @Test
    void doorsHoldNoSql() {
        noClasses().that().resideInAPackage("org.stagehand.api..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "java.sql..")
                .because("a door reads and answers through the engine, which owns the tables")
                .check(CLASSES);
    }

    @Test
    void nothingImportsTheWiring() {
        noClasses().that().resideOutsideOfPackage("org.stagehand.app..")
                .should().dependOnClassesThat().resideInAPackage("org.stagehand.app..")
                .because("app only wires: it builds the parts, none of them reaches back into it")
                .check(CLASSES);
    }

    @Test
    void tokenHashingDoesNotBorrowTheBackendSpi() {
        noClasses().that().resideInAPackage("org.stagehand.auth..")
                .should().dependOnClassesThat().resideInAPackage(BACKENDS + "..")
                .because("a token's hash is no file checksum")
                .check(CLASSES);
    }

    @Test
    void noDoorImportsAnotherDoor() {
        Set<String> doors = packagesBelow(DOORS, Set.of());
        assertThat(doors).as("the doors found").contains("dts", "tape", "jdp", "data");
        noneImportsAnother(DOORS, doors, "what two doors share lives in org.stagehand.api or in the engine");
    }

    @Test
    void noBackendPluginImportsAnotherPlugin() {
        Set<String> plugins = packagesBelow(BACKENDS, NOT_PLUGINS);
        assertThat(plugins).as("the backend plugins found on the class path").contains("posix", "hpss", "jdp", "hsm");
        noneImportsAnother(BACKENDS, plugins, "a plugin shares plumbing through backends/support or the SPI, not through another plugin");
    }

    private static void noneImportsAnother(String parent, Set<String> children, String reason) {
        for (String child : children) {
            String[] others = children.stream().filter(other -> !other.equals(child))
                    .map(other -> parent + "." + other + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage(parent + "." + child + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because(reason)
                    .check(CLASSES);
        }
    }

    /** The packages directly below {@code parent} that hold classes (in them or below), except {@code excluded}. */
    private static Set<String> packagesBelow(String parent, Set<String> excluded) {
        Set<String> children = new TreeSet<>();
        for (JavaClass javaClass : CLASSES) {
            String name = javaClass.getPackageName();
            if (name.startsWith(parent + ".")) {
                String child = List.of(name.substring(parent.length() + 1).split("\\.")).get(0);
                if (!excluded.contains(child)) {
                    children.add(child);
                }
            }
        }
        return children;
    }
}
