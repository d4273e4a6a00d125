package dev.errand.internal.schedules;

import java.util.List;
import java.util.NoSuchElementException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.errand.DurableSchedule;
import dev.errand.Schedules;
import io.quarkus.arc.All;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.expression.Expression;

/**
 * Registers the {@link DurableSchedule} methods through {@link Schedules}, the one way a schedule is made,
 * at start-up: their configuration expressions read, {@code off} or {@code disabled} left out. A value
 * that is wrong fails the start, naming the method.
 */
@ApplicationScoped
public class AnnotatedSchedules {

    private static final Logger LOG = Logger.getLogger(AnnotatedSchedules.class);

    private final Schedules schedules;
    private final List<ScheduledMethod> methods;

    AnnotatedSchedules(Schedules schedules, @All List<ScheduledMethod> methods) {
        this.schedules = schedules;
        this.methods = methods;
    }

    void register(@Observes StartupEvent start) {
        Config config = ConfigProvider.getConfig();
        for (ScheduledMethod method : methods) {
            try {
                register(method, config);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("@DurableSchedule on " + method.method() + ": " + e.getMessage(), e);
            }
        }
    }

    private void register(ScheduledMethod method, Config config) {
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
        if (!every.isEmpty()) {
            schedules.every(method.name(), ScheduleValues.interval(every), missed, method::start);
        } else {
            schedules.cron(method.name(), cron, ScheduleValues.zone(resolve(method.zone(), config)), missed, method::start);
        }
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
