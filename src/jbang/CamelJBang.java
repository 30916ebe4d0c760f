import org.apache.camel.dsl.jbang.core.commands.CamelJBangMain;

/**
 * The `camel` command, as the Camel JBang launcher starts it: camel-jbang-core has the commands but no main().
 * Not compiled by the build: `mvn -Pjbang` runs it as a single-file source program (java ... CamelJBang.java run
 * ...), with camel-jbang-core and the project's classes on the classpath.
 */
public class CamelJBang {

    public static void main(String... args) {
        CamelJBangMain.run(args);
    }
}
