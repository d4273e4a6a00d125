package dev.errand.internal.schedules;

import java.util.List;
import java.util.NoSuchElementException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.errand.DurableSchedule;
import dev.errand.Schedules;
import io.quarkus.arc.All;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.expression.Expression;

/**
 * Registers the {@link DurableSchedule} methods at start-up, as {@link Schedules} registers one from code
 * but as the method's own ({@link ScheduleRunner#annotated}): their configuration expressions read,
 * {@code off} or {@code disabled} left out. A value that is wrong, or a name that code registered already,
 * fails the start, naming the method.
 */
@ApplicationScoped
public class AnnotatedSchedules {

    private static final Logger LOG = Logger.getLogger(AnnotatedSchedules.class);

    private final ScheduleRunner schedules;
    private final List<ScheduledMethod> methods;
    private final Config config;

    AnnotatedSchedules(ScheduleRunner schedules, @All List<ScheduledMethod> methods, Config config) {
        this.schedules = schedules;
        this.methods = methods;
        this.config = config;
    }

    void register(@Observes StartupEvent start) {
        for (ScheduledMethod method : methods) {
            try {
                register(method);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("@DurableSchedule on " + method.method() + ": " + e.getMessage(), e);
            }
        }
    }

    private void register(ScheduledMethod method) {
        String every = resolve(method.every(), config);
        String cron = resolve(method.cron(), config);
        if (ScheduleValues.off(every) || ScheduleValues.off(cron)) {
            LOG.infof("Schedule %s (%s) is off by configuration", method.name(), method.method());
            return;
        }
        Schedules.Missed missed = Schedules.Missed.valueOf(method.missed());
        if (!every.isEmpty() && !cron.isEmpty() || every.isEmpty() && cron.isEmpty()) {
            throw new IllegalArgumentException("exactly one of every and cron is set, were \"" + every + "\" and \"" + cron
                    + "\"");
        }
        Cadence cadence = !every.isEmpty() ? new Every(ScheduleValues.interval(every))
                : Cron.of(cron, ScheduleValues.zone(resolve(method.zone(), config)));
        schedules.annotated(method, cadence, missed);
    }

    /** The value with its {@code ${property}} and {@code ${property:default}} expressions read, trimmed. */
    private static String resolve(String value, Config config) {
        if (!ScheduleValues.configured(value)) {
            return value.trim();
        }
        return Expression.compile(value).evaluate((context, builder) -> {
            String key = context.getKey();
            config.getOptionalValue(key, String.class).ifPresentOrElse(builder::append, () -> {
                if (!context.hasDefault()) {
                    throw new NoSuchElementException("no value for ${" + key + "} in the configuration");
                }
                context.expandDefault();
            });
        }).trim();
    }
}
