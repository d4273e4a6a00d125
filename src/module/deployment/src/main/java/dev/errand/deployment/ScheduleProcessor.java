package dev.errand.deployment;

import java.lang.reflect.Modifier;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;

import dev.errand.Call;
import dev.errand.DurableSchedule;
import dev.errand.Schedules;
import dev.errand.internal.schedules.ScheduleValues;
import dev.errand.internal.schedules.ScheduledMethod;
import io.quarkus.arc.deployment.GeneratedBeanBuildItem;
import io.quarkus.arc.deployment.GeneratedBeanGizmoAdaptor;
import io.quarkus.arc.deployment.UnremovableBeanBuildItem;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.gizmo.ClassCreator;
import io.quarkus.gizmo.FieldCreator;
import io.quarkus.gizmo.FieldDescriptor;
import io.quarkus.gizmo.MethodCreator;
import io.quarkus.gizmo.MethodDescriptor;
import io.quarkus.gizmo.ResultHandle;

/**
 * Turns each {@code @DurableSchedule} method into a bean the runtime registers through {@code Schedules}
 * at start-up (AnnotatedSchedules): refuses the build, naming the method, when the annotation cannot
 * work (both or neither of every and cron, a value that is no interval, cron or zone, a method that
 * returns no Call or takes other arguments than the tick); then generates, per method:
 * <pre>{@code
 * @Singleton
 * class Exports_ErrandSchedule_nightly implements ScheduledMethod {
 *     @Inject Exports target;
 *     public String method() { return "dev.example.Exports#nightly"; }
 *     public String name() { return "Exports.nightly"; }
 *     public String every() { return ""; }
 *     public String cron() { return "${exports.nightly.cron:0 0 2 * * ?}"; }
 *     ...
 *     public Call<?> start(Instant tick) { return target.nightly(tick); }
 * }
 * }</pre>
 */
class ScheduleProcessor {

    static final DotName DURABLE_SCHEDULE = DotName.createSimple(DurableSchedule.class);
    static final DotName INSTANT = DotName.createSimple(Instant.class);

    /** A schedule found: its annotation's values as written, with defaults. */
    record ScheduleMethod(MethodInfo method, String name, String every, String cron, String zone, String missed) {

        String where() {
            return method.declaringClass().name() + "#" + method.name();
        }

        String beanClassName() {
            return method.declaringClass().name().toString() + "_ErrandSchedule_" + method.name();
        }
    }

    @BuildStep
    void generateSchedules(CombinedIndexBuildItem combinedIndex, BuildProducer<GeneratedBeanBuildItem> beans,
            BuildProducer<UnremovableBeanBuildItem> unremovable) {
        List<ScheduleMethod> schedules = find(combinedIndex.getIndex());
        GeneratedBeanGizmoAdaptor output = new GeneratedBeanGizmoAdaptor(beans);
        for (ScheduleMethod schedule : schedules) {
            generate(schedule, output);
        }
        // Nothing injects them one by one: AnnotatedSchedules takes them all.
        unremovable.produce(UnremovableBeanBuildItem.beanTypes(ScheduledMethod.class));
    }

    static List<ScheduleMethod> find(IndexView index) {
        List<String> problems = new ArrayList<>();
        List<ScheduleMethod> found = new ArrayList<>();
        Map<String, String> names = new TreeMap<>();
        for (AnnotationInstance annotation : index.getAnnotations(DURABLE_SCHEDULE)) {
            if (annotation.target().kind() != AnnotationTarget.Kind.METHOD) {
                continue;
            }
            MethodInfo method = annotation.target().asMethod();
            ScheduleMethod schedule = new ScheduleMethod(method,
                    value(annotation, "name", method.declaringClass().simpleName() + "." + method.name()),
                    value(annotation, "every", ""), value(annotation, "cron", ""), value(annotation, "zone", "UTC"),
                    value(annotation, "missed", Schedules.Missed.SKIP.name()));
            List<String> wrong = check(schedule);
            if (!wrong.isEmpty()) {
                wrong.forEach(problem -> problems.add(schedule.where() + ": " + problem));
                continue;
            }
            String other = names.put(schedule.name(), schedule.where());
            if (other != null) {
                problems.add(schedule.where() + ": the schedule name \"" + schedule.name() + "\" is taken by " + other
                        + "; give one of them @DurableSchedule(name = \"...\")");
                continue;
            }
            found.add(schedule);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "Errand found schedules it cannot run:\n  - " + String.join("\n  - ", problems));
        }
        return found;
    }

    private static String value(AnnotationInstance annotation, String name, String otherwise) {
        AnnotationValue value = annotation.value(name);
        if (value == null) {
            return otherwise;
        }
        String text = value.kind() == AnnotationValue.Kind.ENUM ? value.asEnum() : value.asString();
        return name.equals("name") && text.isEmpty() ? otherwise : text;
    }

    /** What makes the annotation unable to work, in words its author can act on. */
    private static List<String> check(ScheduleMethod schedule) {
        List<String> problems = new ArrayList<>();
        MethodInfo method = schedule.method();
        if (!method.returnType().name().equals(FunctionProcessor.CALL)) {
            problems.add("@DurableSchedule goes on a method that returns Call<R> (a @DurableFunction, a"
                    + " @DurableWorkflow, or a method returning the call it started); this one returns "
                    + method.returnType());
        }
        if (Modifier.isPrivate(method.flags()) || Modifier.isStatic(method.flags())) {
            problems.add("@DurableSchedule goes on a non-private instance method of a bean");
        }
        if (method.parametersCount() > 1
                || method.parametersCount() == 1 && !method.parameterType(0).name().equals(INSTANT)) {
            problems.add("a scheduled method takes no argument or the tick's time (java.time.Instant), not "
                    + method.parameterTypes());
        }
        boolean every = !schedule.every().isBlank();
        boolean cron = !schedule.cron().isBlank();
        if (every == cron) {
            problems.add("@DurableSchedule takes exactly one of every (an interval) and cron (an expression), "
                    + (every ? "not both" : "was given neither"));
            return problems;
        }
        // What is written here the build checks; what comes from configuration, the start.
        try {
            ScheduleValues.checkName(schedule.name());
            if (every && written(schedule.every())) {
                ScheduleValues.interval(schedule.every());
            }
            ZoneId zone = ZoneOffset.UTC;
            if (cron && !ScheduleValues.configured(schedule.zone())) {
                zone = ScheduleValues.zone(schedule.zone());
            }
            if (cron && written(schedule.cron())) {
                ScheduleValues.checkCron(schedule.cron(), zone);
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    /** A value the build can check: no configuration expression, not off. */
    private static boolean written(String value) {
        return !ScheduleValues.configured(value) && !ScheduleValues.off(value);
    }

    private static void generate(ScheduleMethod schedule, GeneratedBeanGizmoAdaptor output) {
        MethodInfo method = schedule.method();
        try (ClassCreator creator = ClassCreator.builder().classOutput(output).className(schedule.beanClassName())
                .interfaces(ScheduledMethod.class).build()) {
            creator.addAnnotation(Singleton.class);
            FieldCreator targetField = creator.getFieldCreator("target", method.declaringClass().name().toString());
            targetField.setModifiers(0);
            targetField.addAnnotation(Inject.class);
            FieldDescriptor target = targetField.getFieldDescriptor();

            constant(creator, "method", schedule.where());
            constant(creator, "name", schedule.name());
            constant(creator, "every", schedule.every());
            constant(creator, "cron", schedule.cron());
            constant(creator, "zone", schedule.zone());
            constant(creator, "missed", schedule.missed());

            try (MethodCreator start = creator.getMethodCreator("start", Call.class, Instant.class)) {
                start.setModifiers(Modifier.PUBLIC);
                ResultHandle bean = start.readInstanceField(target, start.getThis());
                ResultHandle[] arguments = method.parametersCount() == 0 ? new ResultHandle[0]
                        : new ResultHandle[] { start.getMethodParam(0) };
                MethodDescriptor body = MethodDescriptor.of(method);
                ResultHandle call = method.declaringClass().isInterface()
                        ? start.invokeInterfaceMethod(body, bean, arguments)
                        : start.invokeVirtualMethod(body, bean, arguments);
                start.returnValue(call);
            }
        }
    }

    private static void constant(ClassCreator creator, String name, String value) {
        try (MethodCreator method = creator.getMethodCreator(name, String.class)) {
            method.setModifiers(Modifier.PUBLIC);
            method.returnValue(method.load(value));
        }
    }
}
