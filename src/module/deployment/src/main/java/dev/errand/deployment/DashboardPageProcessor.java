package dev.errand.deployment;

import java.lang.reflect.Modifier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import dev.errand.Roles;
import dev.errand.internal.operator.DashboardConfig;
import dev.errand.internal.operator.DashboardPage;
import dev.errand.internal.operator.OperatorApi;
import dev.errand.internal.web.HttpBuildTimeConfig;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.gizmo.ClassCreator;
import io.quarkus.gizmo.FieldCreator;
import io.quarkus.gizmo.FieldDescriptor;
import io.quarkus.gizmo.MethodCreator;
import io.quarkus.gizmo.MethodDescriptor;
import io.quarkus.resteasy.reactive.spi.GeneratedJaxRsResourceBuildItem;
import io.quarkus.resteasy.reactive.spi.GeneratedJaxRsResourceGizmoAdaptor;

/**
 * With {@code errand.dashboard.path} set, the service serves the dashboard page there, as an operator
 * endpoint (its requests pass the operator API's filters, and {@link DashboardPage} asks for the viewer
 * role). The path is the host's choice, so the build writes the resource with it:
 * <pre>{@code
 * @Path("/errand/ui")
 * @OperatorApi
 * public class ErrandDashboardPageResource {
 *     @Inject DashboardPage page;
 *     @GET @RolesAllowed("viewer") public Response index() { return page.index(); }
 *     @GET @Path("index.html") public Response indexFile() { return page.index(); }
 *     @GET @Path("dashboard.js") public Response script() { return page.script(); }
 *     @GET @Path("dashboard.css") public Response style() { return page.style(); }
 * }
 * }</pre>
 * Only these files: at {@code /} the page shares the root with the service's own paths.
 */
class DashboardPageProcessor {

    static final String RESOURCE = "dev.errand.internal.operator.ErrandDashboardPageResource";

    @BuildStep
    void servePage(DashboardConfig dashboard, HttpBuildTimeConfig http,
            BuildProducer<GeneratedJaxRsResourceBuildItem> resources,
            BuildProducer<NativeImageResourceBuildItem> nativeResources) {
        if (dashboard.path().isEmpty()) {
            return;
        }
        String path = dashboard.path().get();
        if (!path.startsWith("/")) {
            throw new IllegalStateException("errand.dashboard.path is a path from the root, starting with /; was " + path);
        }
        if (!http.operatorApi()) {
            throw new IllegalStateException("errand.dashboard.path serves a page that shows the operator API's data;"
                    + " it needs errand.http.operator-api=true");
        }
        nativeResources.produce(new NativeImageResourceBuildItem("dev/errand/dashboard/index.html",
                "dev/errand/dashboard/dashboard.js", "dev/errand/dashboard/dashboard.css"));
        try (ClassCreator creator = ClassCreator.builder()
                .classOutput(new GeneratedJaxRsResourceGizmoAdaptor(resources)).className(RESOURCE).build()) {
            creator.addAnnotation(Path.class).addValue("value", path);
            creator.addAnnotation(OperatorApi.class);
            FieldCreator pageField = creator.getFieldCreator("page", DashboardPage.class);
            pageField.setModifiers(0);
            pageField.addAnnotation(Inject.class);
            FieldDescriptor page = pageField.getFieldDescriptor();
            serve(creator, page, "index", null, "index");
            serve(creator, page, "indexFile", "index.html", "index");
            serve(creator, page, "script", "dashboard.js", "script");
            serve(creator, page, "style", "dashboard.css", "style");
        }
    }

    private static void serve(ClassCreator creator, FieldDescriptor page, String name, String subPath, String file) {
        try (MethodCreator method = creator.getMethodCreator(name, Response.class)) {
            method.setModifiers(Modifier.PUBLIC);
            method.addAnnotation(GET.class);
            // As every operator endpoint (a host may deny unannotated ones); the bean checks the role too.
            method.addAnnotation(RolesAllowed.class).addValue("value", new String[] { Roles.VIEWER });
            if (subPath != null) {
                method.addAnnotation(Path.class).addValue("value", subPath);
            }
            method.returnValue(method.invokeVirtualMethod(
                    MethodDescriptor.ofMethod(DashboardPage.class, file, Response.class),
                    method.readInstanceField(page, method.getThis())));
        }
    }
}
