package dev.errand.internal.operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.errand.Roles;

/**
 * The dashboard page's files, for the resource that the build generates at {@code errand.dashboard.path}
 * (a JAX-RS path is fixed in an annotation, so the build writes it there). Behind the viewer role here, in
 * the bean, so that the page asks for the same credentials as the data it shows.
 */
@ApplicationScoped
public class DashboardPage {

    /** Where the page's files are on the class path: not under META-INF/resources, which Quarkus serves. */
    private static final String FILES = "dev/errand/dashboard/";

    private final String index;
    private final String script;
    private final String style;

    public DashboardPage(DashboardConfig config) {
        // The page names its script and style relative to itself: a base makes {path} and {path}/ agree.
        String base = config.path().map(path -> path.endsWith("/") ? path : path + "/").orElse("/");
        this.index = read("index.html").replaceFirst("<head>", "<head>\n  <base href=\"" + base + "\">");
        this.script = read("dashboard.js");
        this.style = read("dashboard.css");
    }

    @RolesAllowed(Roles.VIEWER)
    public Response index() {
        return file(index, "text/html;charset=UTF-8");
    }

    @RolesAllowed(Roles.VIEWER)
    public Response script() {
        return file(script, "text/javascript;charset=UTF-8");
    }

    @RolesAllowed(Roles.VIEWER)
    public Response style() {
        return file(style, "text/css;charset=UTF-8");
    }

    private static Response file(String content, String type) {
        // Revalidated each time: a new version of Errand changes the page under the same path.
        return Response.ok(content, type).header("Cache-Control", "no-cache").build();
    }

    private static String read(String name) {
        try (InputStream in = DashboardPage.class.getClassLoader().getResourceAsStream(FILES + name)) {
            if (in == null) {
                throw new IllegalStateException("Errand's dashboard file " + FILES + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
