package dev.errand.deployment;

import java.lang.reflect.Modifier;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTransformation;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;
import org.jboss.logging.Logger;

import dev.errand.OutsideSenders;
import dev.errand.Subscribe;
import dev.errand.Task;
import dev.errand.TaskHandler;
import dev.errand.WireContract;
import dev.errand.internal.contract.EventTypes;
import dev.errand.internal.functions.OutsideSignalReceiver;
import dev.errand.internal.handlers.HandlerRecorder;
import dev.errand.internal.handling.Consumer;
import dev.errand.internal.handling.ConsumerRegistry;
import io.quarkus.arc.deployment.AnnotationsTransformerBuildItem;
import io.quarkus.arc.deployment.GeneratedBeanBuildItem;
import io.quarkus.arc.deployment.GeneratedBeanGizmoAdaptor;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.gizmo.AssignableResultHandle;
import io.quarkus.gizmo.BytecodeCreator;
import io.quarkus.gizmo.ClassCreator;
import io.quarkus.gizmo.FieldCreator;
import io.quarkus.gizmo.FieldDescriptor;
import io.quarkus.gizmo.MethodCreator;
import io.quarkus.gizmo.MethodDescriptor;
import io.quarkus.gizmo.ResultHandle;

/**
 * Turns each annotated handler into a consumer:
 * <ol>
 * <li>finds every {@code @Incoming} method that takes a {@link Task}, and refuses the build with a
 * clear message when one cannot be a handler;</li>
 * <li>hides its {@code @Incoming} from SmallRye, which would not accept its signature, and generates
 * a bean whose {@code @Incoming} method hands each message to its channel's {@link Consumer};</li>
 * <li>gives its channel the connector settings Errand needs, and its consumer the settings its Fault
 * Tolerance annotations mean under Errand (docs/guide/handlers.md), as defaults that the service's
 * own configuration overrides.</li>
 * </ol>
 */
class ErrandProcessor {

    private static final Logger LOG = Logger.getLogger(ErrandProcessor.class);

    static final DotName INCOMING = DotName.createSimple(Incoming.class);
    static final DotName TASK = DotName.createSimple(Task.class);
    static final DotName MESSAGE = DotName.createSimple(Message.class);
    static final DotName SUBSCRIBE = DotName.createSimple(Subscribe.class);
    static final DotName OUTSIDE_SENDERS = DotName.createSimple(OutsideSenders.class);
    static final DotName OUTSIDE_SIGNAL_RECEIVER = DotName.createSimple(OutsideSignalReceiver.class);
    private static final String FT = "org.eclipse.microprofile.faulttolerance.";
    static final DotName RETRY = DotName.createSimple(FT + "Retry");
    static final DotName BULKHEAD = DotName.createSimple(FT + "Bulkhead");
    static final DotName CIRCUIT_BREAKER = DotName.createSimple(FT + "CircuitBreaker");
    static final DotName ASYNCHRONOUS = DotName.createSimple(FT + "Asynchronous");
    static final DotName RATE_LIMIT = DotName.createSimple("io.smallrye.faulttolerance.api.RateLimit");

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem("errand");
    }

    @BuildStep
    HandlersBuildItem findHandlers(CombinedIndexBuildItem combinedIndex) {
        IndexView index = combinedIndex.getIndex();
        BreakerFinder breakers = new BreakerFinder(index, Thread.currentThread().getContextClassLoader());
        List<HandlerMethod> handlers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> channels = new TreeMap<>();
        for (AnnotationInstance incoming : index.getAnnotations(INCOMING)) {
            if (incoming.target().kind() != org.jboss.jandex.AnnotationTarget.Kind.METHOD) {
                continue;
            }
            MethodInfo method = incoming.target().asMethod();
            if (method.parameterTypes().stream().noneMatch(type -> type.name().equals(TASK))) {
                continue; // an ordinary SmallRye method (or the low-level form): not ours
            }
            String where = method.declaringClass().name() + "#" + method.name();
            String channel = incoming.value().asString();
            List<String> wrong = check(method);
            if (!wrong.isEmpty()) {
                wrong.forEach(problem -> problems.add(where + ": " + problem));
                continue;
            }
            String other = channels.put(channel, where);
            if (other != null) {
                problems.add(where + ": channel \"" + channel + "\" already has a handler, " + other
                        + "; a channel has one handler (for several reactions to one message, use events)");
                continue;
            }
            int taskIndex = indexOf(method, TASK);
            List<String> subscribes = subscribes(method);
            for (String pattern : subscribes) {
                String problem = EventTypes.patternProblem(pattern);
                if (problem != null) {
                    problems.add(where + ": @Subscribe: " + problem);
                }
            }
            HandlerMethod handler = new HandlerMethod(channel, method.declaringClass(), method, taskIndex,
                    breakers.breakersOf(method), subscribes);
            handlers.add(handler);
            LOG.debugf("Errand handler %s on channel %s, payload %s, circuit breakers %s", handler.describe(), channel,
                    handler.payload(), handler.breakers());
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Errand found handlers it cannot run:\n  - " + String.join("\n  - ", problems));
        }
        if (takesOutsideSignals(index)) {
            // Errand's own handler of the outside signals' queue, only where a workflow opens one: a service
            // without one has no such queue to declare.
            ClassInfo receiver = index.getClassByName(OUTSIDE_SIGNAL_RECEIVER);
            MethodInfo receive = receiver.firstMethod("receive");
            handlers.add(new HandlerMethod(OutsideSignalReceiver.CHANNEL, receiver, receive, indexOf(receive, TASK),
                    List.of(), List.of()));
        }
        return new HandlersBuildItem(handlers);
    }

    private static boolean takesOutsideSignals(IndexView index) {
        for (AnnotationInstance workflow : index.getAnnotations(FunctionProcessor.DURABLE_WORKFLOW)) {
            AnnotationValue signals = workflow.value("outsideSignals");
            if (signals != null && signals.asStringArray().length > 0) {
                return true;
            }
        }
        return false;
    }

    /** The queue a handler reads: its channel's name, but for the outside signals' queue. */
    static String queueOf(HandlerMethod handler) {
        return handler.channel().equals(OutsideSignalReceiver.CHANNEL) ? WireContract.SIGNALS_QUEUE
                : handler.channel();
    }

    private static List<String> subscribes(MethodInfo method) {
        AnnotationInstance subscribe = method.annotation(SUBSCRIBE);
        if (subscribe == null) {
            return List.of();
        }
        String[] types = subscribe.value().asStringArray();
        return types.length == 0 ? List.of("") : List.of(types);
    }

    /** What makes a method unfit to be a handler, in words its author can act on. */
    private static List<String> check(MethodInfo method) {
        List<String> problems = new ArrayList<>();
        int tasks = (int) method.parameterTypes().stream().filter(type -> type.name().equals(TASK)).count();
        int params = method.parametersCount();
        if (params == 1) {
            problems.add("a handler has no payload type: add the message's payload as a parameter beside the Task,"
                    + " e.g. void handle(SendInvoice command, Task task)");
        } else if (params != 2 || tasks != 1) {
            problems.add("a handler takes two parameters, its payload and one Task; this one takes " + params);
        }
        if (params == 2 && tasks == 1) {
            Type payload = method.parameterType(1 - indexOf(method, TASK));
            if (payload.kind() == Type.Kind.PRIMITIVE || payload.name().equals(MESSAGE)) {
                problems.add("the payload must be a JSON-mapped class or record, not " + payload);
            }
            if (payload.kind() == Type.Kind.TYPE_VARIABLE || payload.kind() == Type.Kind.PARAMETERIZED_TYPE) {
                problems.add("the payload type must be a plain class or record (no generics), not " + payload);
            }
        }
        if (method.returnType().kind() != Type.Kind.VOID) {
            problems.add("a handler returns void: its work is done, and committed, when it returns; this one returns "
                    + method.returnType());
        }
        if (Modifier.isPrivate(method.flags()) || Modifier.isStatic(method.flags())) {
            problems.add("a handler is a non-private instance method of a bean");
        }
        if (method.hasAnnotation(ASYNCHRONOUS) || method.declaringClass().hasDeclaredAnnotation(ASYNCHRONOUS)) {
            problems.add("@Asynchronous does not fit a handler: Errand already runs it on the consumer's own threads");
        }
        AnnotationInstance breaker = method.annotation(CIRCUIT_BREAKER);
        if (breaker != null && method.annotation(BreakerFinder.CIRCUIT_BREAKER_NAME) == null) {
            problems.add("@CircuitBreaker needs @CircuitBreakerName(\"...\") on a handler, so that Errand can pause"
                    + " the consumer while the breaker is open");
        }
        return problems;
    }

    private static int indexOf(MethodInfo method, DotName type) {
        for (int i = 0; i < method.parametersCount(); i++) {
            if (method.parameterType(i).name().equals(type)) {
                return i;
            }
        }
        return -1;
    }

    /** SmallRye would refuse the handler's signature: the generated bridge carries the channel instead. */
    @BuildStep
    AnnotationsTransformerBuildItem hideHandlersFromSmallRye(HandlersBuildItem handlers) {
        java.util.Set<MethodInfo> methods = new java.util.HashSet<>();
        handlers.handlers().forEach(handler -> methods.add(handler.method()));
        return new AnnotationsTransformerBuildItem(AnnotationTransformation.forMethods()
                .whenMethod(methods::contains)
                .transform(context -> context.remove(annotation -> annotation.name().equals(INCOMING))));
    }

    /**
     * One bean per handler, in the handler's package (so that a package-private handler is reachable):
     * <pre>{@code
     * @Singleton
     * class InvoiceWorker_ErrandHandler_send implements TaskHandler {
     *     @Inject ConsumerRegistry consumers;
     *     @Inject InvoiceWorker target;
     *     Consumer consumer;
     *     @Incoming("invoices")
     *     public CompletionStage<Void> receive(Message<?> message) {
     *         if (consumer == null) consumer = consumers.consumer("invoices");
     *         return consumer.take(message, SendInvoice.class, this);
     *     }
     *     public void handle(Task task) { target.send((SendInvoice) task.payload(), task); }
     * }
     * }</pre>
     * The target is injected as a bean, so its interceptors (Fault Tolerance among them) run around
     * each call. The bridge holds its channel's consumer: no message looks its consumer up by name.
     */
    @BuildStep
    void generateBridges(HandlersBuildItem handlers, BuildProducer<GeneratedBeanBuildItem> beans) {
        GeneratedBeanGizmoAdaptor output = new GeneratedBeanGizmoAdaptor(beans);
        for (HandlerMethod handler : handlers.handlers()) {
            String bridge = handler.bridgeClassName();
            try (ClassCreator creator = ClassCreator.builder().classOutput(output).className(bridge)
                    .interfaces(TaskHandler.class).build()) {
                creator.addAnnotation(Singleton.class);
                FieldCreator registryField = creator.getFieldCreator("consumers", ConsumerRegistry.class);
                registryField.setModifiers(0);
                registryField.addAnnotation(Inject.class);
                FieldCreator consumerField = creator.getFieldCreator("consumer", Consumer.class);
                consumerField.setModifiers(Modifier.PRIVATE);
                FieldDescriptor consumer = consumerField.getFieldDescriptor();
                FieldCreator targetField = creator.getFieldCreator("target", handler.bean().name().toString());
                targetField.setModifiers(0);
                targetField.addAnnotation(Inject.class);
                FieldDescriptor registry = registryField.getFieldDescriptor();
                FieldDescriptor target = targetField.getFieldDescriptor();
                // The payload's class, looked up once when the bridge is initialised, not per message.
                FieldCreator payloadField = creator.getFieldCreator("PAYLOAD", Class.class);
                payloadField.setModifiers(Modifier.PRIVATE | Modifier.STATIC | Modifier.FINAL);
                FieldDescriptor payloadType = payloadField.getFieldDescriptor();
                try (MethodCreator init = creator.getMethodCreator("<clinit>", void.class)) {
                    init.setModifiers(Modifier.STATIC);
                    init.writeStaticField(payloadType, init.loadClassFromTCCL(handler.payload().name().toString()));
                    init.returnVoid();
                }

                try (MethodCreator receive = creator.getMethodCreator("receive", CompletionStage.class, Message.class)) {
                    receive.setModifiers(Modifier.PUBLIC);
                    receive.setSignature("(Lorg/eclipse/microprofile/reactive/messaging/Message<*>;)"
                            + "Ljava/util/concurrent/CompletionStage<Ljava/lang/Void;>;");
                    receive.addAnnotation(Incoming.class).addValue("value", handler.channel());
                    // The consumer, read once into a local; made with the first message (racing first
                    // messages get the same one from the registry).
                    AssignableResultHandle held = receive.createVariable(Consumer.class);
                    receive.assign(held, receive.readInstanceField(consumer, receive.getThis()));
                    BytecodeCreator missing = receive.ifNull(held).trueBranch();
                    missing.assign(held, missing.invokeVirtualMethod(
                            MethodDescriptor.ofMethod(ConsumerRegistry.class, "consumer", Consumer.class, String.class),
                            missing.readInstanceField(registry, missing.getThis()), missing.load(handler.channel())));
                    missing.writeInstanceField(consumer, missing.getThis(), held);
                    ResultHandle stage = receive.invokeVirtualMethod(
                            MethodDescriptor.ofMethod(Consumer.class, "take", CompletionStage.class, Message.class,
                                    Class.class, TaskHandler.class),
                            held, receive.getMethodParam(0), receive.readStaticField(payloadType), receive.getThis());
                    receive.returnValue(stage);
                }

                try (MethodCreator handle = creator.getMethodCreator("handle", void.class, Task.class)) {
                    handle.setModifiers(Modifier.PUBLIC);
                    handle.addException(Exception.class);
                    ResultHandle task = handle.getMethodParam(0);
                    ResultHandle payload = handle.checkCast(
                            handle.invokeVirtualMethod(MethodDescriptor.ofMethod(Task.class, "payload", Object.class),
                                    task),
                            handler.payload().name().toString());
                    ResultHandle[] arguments = new ResultHandle[2];
                    arguments[handler.payloadIndex()] = payload;
                    arguments[handler.taskIndex()] = task;
                    MethodDescriptor call = MethodDescriptor.of(handler.method());
                    ResultHandle bean = handle.readInstanceField(target, handle.getThis());
                    if (handler.bean().isInterface()) {
                        handle.invokeInterfaceMethod(call, bean, arguments);
                    } else {
                        handle.invokeVirtualMethod(call, bean, arguments);
                    }
                    handle.returnVoid();
                }
            }
        }
    }

    /**
     * The connector settings a handler's channel needs, and what its Fault Tolerance annotations mean
     * for its consumer; all are defaults, which the service's configuration overrides.
     */
    @BuildStep
    void channelDefaults(HandlersBuildItem handlers, BuildProducer<RunTimeConfigurationDefaultBuildItem> defaults) {
        for (HandlerMethod handler : handlers.handlers()) {
            consumerChannelDefaults(handler, queueOf(handler), defaults);
        }
    }

    /**
     * The settings of one consumer's channel: a handler's, or a durable function's.
     *
     * @param queue the queue it reads, unless it is a subscriber (which reads its subscription queue)
     */
    static void consumerChannelDefaults(HandlerMethod handler, String queue,
            BuildProducer<RunTimeConfigurationDefaultBuildItem> defaults) {
        String channel = handler.channel();
        String incoming = "mp.messaging.incoming." + channel + ".";
        // SmallRye's AMQP connector; on RabbitMQ, Errand's own receiver (errand.broker.inbound-connector).
        defaults.produce(new RunTimeConfigurationDefaultBuildItem(incoming + "connector",
                "${errand.broker.inbound-connector}"));
        if (handler.subscriber()) {
            // Its own subscription queue: on Artemis by its fully qualified name on the events
            // address (errand.events::errand.events.<channel>), on RabbitMQ as /amq/queue/<name>.
            defaults.produce(new RunTimeConfigurationDefaultBuildItem(incoming + "address",
                    "${errand.broker.subscription-address-prefix}"
                            + EventTypes.QUEUE_PREFIX + channel));
            defaults.produce(new RunTimeConfigurationDefaultBuildItem(
                    "errand.events.subscriptions." + mapKey(channel) + ".types", String.join(",", handler.subscribes())));
        } else {
            // The queue is named after the channel; on RabbitMQ, in its /amq/queue/ form.
            defaults.produce(new RunTimeConfigurationDefaultBuildItem(incoming + "address",
                    "${errand.broker.address-prefix:}" + queue));
        }
        defaults.produce(new RunTimeConfigurationDefaultBuildItem(incoming + "capabilities",
                handler.subscriber() ? "${errand.broker.subscription-capabilities}" : "queue"));
        // Never "fail": a nack gives the message back and the channel goes on.
        defaults.produce(new RunTimeConfigurationDefaultBuildItem(incoming + "failure-strategy",
                "${errand.broker.failure-strategy}"));
        // Errand pauses the channel while a breaker is open or an operator asks.
        defaults.produce(new RunTimeConfigurationDefaultBuildItem(incoming + "pausable", "true"));
        consumerDefaults(handler).forEach((key, value) -> defaults
                .produce(new RunTimeConfigurationDefaultBuildItem("errand.consumers." + mapKey(channel) + "." + key,
                        value)));
        ftDefaults(handler).forEach(
                (key, value) -> defaults.produce(new RunTimeConfigurationDefaultBuildItem(key, value)));
    }

    /** A map key as SmallRye Config spells it: quoted only where it holds a dot. */
    static String mapKey(String key) {
        return key.contains(".") ? "\"" + key + "\"" : key;
    }

    /** Errand's consumer settings that the handler's own annotations imply. */
    static Map<String, String> consumerDefaults(HandlerMethod handler) {
        Map<String, String> settings = new TreeMap<>();
        MethodInfo method = handler.method();
        ClassInfo bean = handler.bean();
        if (method.hasDeclaredAnnotation(OUTSIDE_SENDERS)) {
            // The build's list of what outside senders may reach: the consumer takes them, and the
            // embedded broker lets the sender user write to its queue (OutsideSenderGrants).
            settings.put("outside-senders", "true");
        }
        if (annotation(method, bean, RETRY) != null) {
            // Fault Tolerance retries in process; Errand's own in-process retries would multiply them.
            settings.put("max-retries", "0");
        }
        AnnotationInstance bulkhead = annotation(method, bean, BULKHEAD);
        if (bulkhead != null) {
            settings.put("concurrency", String.valueOf(intValue(bulkhead, "value", 10)));
        }
        AnnotationInstance rateLimit = annotation(method, bean, RATE_LIMIT);
        if (rateLimit != null) {
            settings.put("rate-limit", String.valueOf(perSecond(rateLimit)));
        }
        if (!handler.breakers().isEmpty()) {
            settings.put("circuit-breakers", String.join(",", handler.breakers()));
        }
        return settings;
    }

    /**
     * A handler's rate limit waits in Errand's flow instead of throwing in Fault Tolerance's. Switched
     * off for the handler method alone, even when the annotation is on its class: Fault Tolerance reads
     * the method's key first, and the class's other methods keep their limit.
     */
    static Map<String, String> ftDefaults(HandlerMethod handler) {
        if (annotation(handler.method(), handler.bean(), RATE_LIMIT) == null) {
            return Map.of();
        }
        return Map.of(handler.bean().name() + "/" + handler.method().name() + "/RateLimit/enabled", "false");
    }

    private static AnnotationInstance annotation(MethodInfo method, ClassInfo bean, DotName name) {
        AnnotationInstance own = method.annotation(name);
        return own != null ? own : bean.declaredAnnotation(name);
    }

    private static int intValue(AnnotationInstance annotation, String name, int fallback) {
        AnnotationValue value = annotation.value(name);
        return value == null ? fallback : value.asInt();
    }

    /** {@code @RateLimit(value, window, windowUnit)} as permits per second. */
    static double perSecond(AnnotationInstance rateLimit) {
        int permits = intValue(rateLimit, "value", 100);
        AnnotationValue window = rateLimit.value("window");
        AnnotationValue unit = rateLimit.value("windowUnit");
        long windowLength = window == null ? 1 : window.asLong();
        ChronoUnit windowUnit = unit == null ? ChronoUnit.SECONDS : ChronoUnit.valueOf(unit.asEnum());
        double seconds = windowUnit.getDuration().multipliedBy(windowLength).toNanos() / 1e9;
        return permits / seconds;
    }

    /** The channels (of handlers and durable functions) and breaker names, for the start-up checks of the settings. */
    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    void recordCatalog(HandlersBuildItem handlers, FunctionsBuildItem functions, CombinedIndexBuildItem index,
            HandlerRecorder recorder) {
        TreeSet<String> breakers = new TreeSet<>();
        for (AnnotationInstance name : index.getIndex().getAnnotations(BreakerFinder.CIRCUIT_BREAKER_NAME)) {
            breakers.add(name.value().asString());
        }
        List<String> channels = new ArrayList<>(handlers.handlers().stream().map(HandlerMethod::channel).toList());
        functions.functions().forEach(function -> channels.add(function.consumer().channel()));
        recorder.record(new ArrayList<>(channels), new ArrayList<>(breakers));
    }
}
