package dev.errand.deployment;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.errand.Call;
import dev.errand.DurableFunction;
import dev.errand.DurableWorkflow;
import dev.errand.Task;
import dev.errand.internal.functions.CallRequest;
import dev.errand.internal.functions.FunctionBody;
import dev.errand.internal.functions.FunctionCatalog;
import dev.errand.internal.functions.FunctionRecorder;
import dev.errand.internal.functions.FunctionSpec;
import dev.errand.internal.functions.FunctionTypes;
import dev.errand.internal.functions.FunctionWorker;
import dev.errand.internal.handling.Consumer;
import dev.errand.internal.handling.ConsumerRegistry;
import dev.errand.internal.handling.MessageRun;
import dev.errand.internal.handling.RunOutcome;
import io.quarkus.arc.deployment.GeneratedBeanBuildItem;
import io.quarkus.arc.deployment.GeneratedBeanGizmoAdaptor;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveMethodBuildItem;
import io.quarkus.gizmo.AssignableResultHandle;
import io.quarkus.gizmo.BytecodeCreator;
import io.quarkus.gizmo.ClassCreator;
import io.quarkus.gizmo.FieldCreator;
import io.quarkus.gizmo.FieldDescriptor;
import io.quarkus.gizmo.MethodCreator;
import io.quarkus.gizmo.MethodDescriptor;
import io.quarkus.gizmo.ResultHandle;
import io.quarkus.runtime.configuration.DurationConverter;

/**
 * Turns each {@code @DurableFunction} and {@code @DurableWorkflow} method into a consumer of its own
 * queue, {@code errand.functions.<name>}:
 * <ol>
 * <li>refuses the build, naming every mistake, when a method cannot be a durable function;</li>
 * <li>generates a bridge bean, as for a handler: its {@code @Incoming} method hands the queue's
 * messages to their consumer, and each run calls the method directly ({@link FunctionBody});</li>
 * <li>gives the channel and consumer the same defaults as an annotated handler's, from the same
 * Fault Tolerance annotations;</li>
 * <li>records the functions for the running service, which checks their JSON types at start-up.</li>
 * </ol>
 */
class FunctionProcessor {

    static final DotName DURABLE_FUNCTION = DotName.createSimple(DurableFunction.class);
    static final DotName DURABLE_WORKFLOW = DotName.createSimple(DurableWorkflow.class);
    static final DotName CALL = DotName.createSimple(Call.class);
    static final DotName INTERCEPTOR = DotName.createSimple("jakarta.interceptor.Interceptor");
    static final DotName FALLBACK = DotName.createSimple("org.eclipse.microprofile.faulttolerance.Fallback");

    @BuildStep
    FunctionsBuildItem findFunctions(CombinedIndexBuildItem combinedIndex, HandlersBuildItem handlers) {
        IndexView index = combinedIndex.getIndex();
        BreakerFinder breakers = new BreakerFinder(index, Thread.currentThread().getContextClassLoader());
        List<String> problems = new ArrayList<>();
        Map<String, String> names = new TreeMap<>();
        List<FunctionMethod> functions = new ArrayList<>();
        for (DotName annotation : List.of(DURABLE_FUNCTION, DURABLE_WORKFLOW)) {
            boolean workflow = annotation.equals(DURABLE_WORKFLOW);
            String simple = "@" + annotation.withoutPackagePrefix();
            for (AnnotationInstance durable : index.getAnnotations(annotation)) {
                if (durable.target().kind() == AnnotationTarget.Kind.CLASS) {
                    ClassInfo type = durable.target().asClass();
                    if (!type.hasDeclaredAnnotation(INTERCEPTOR)) {
                        problems.add(type.name() + ": " + simple + " goes on each durable method, not on a class");
                    }
                    continue;
                }
                if (durable.target().kind() != AnnotationTarget.Kind.METHOD) {
                    continue;
                }
                MethodInfo method = durable.target().asMethod();
                String where = method.declaringClass().name() + "#" + method.name();
                List<String> wrong = check(method, workflow);
                String name = name(durable, method);
                String nameProblem = FunctionSpec.nameProblem(name);
                if (nameProblem != null) {
                    wrong.add(nameProblem);
                }
                if (!wrong.isEmpty()) {
                    wrong.forEach(problem -> problems.add(where + ": " + problem));
                    continue;
                }
                String other = names.put(FunctionSpec.channelOf(name), where);
                if (other != null) {
                    problems.add(where + ": the durable function name \"" + name + "\" is taken (its channel) by " + other
                            + "; give one of them @" + annotation.withoutPackagePrefix() + "(name = \"...\")");
                    continue;
                }
                List<String> parameters = method.parameterTypes().stream().map(FunctionProcessor::className).toList();
                Duration timeout = timeout(durable, wrong);
                List<String> outsideSignals = outsideSignals(durable, wrong);
                if (!wrong.isEmpty()) {
                    wrong.forEach(problem -> problems.add(where + ": " + problem));
                    continue;
                }
                FunctionSpec spec = new FunctionSpec(name, workflow, method.declaringClass().name().toString(),
                        method.name(), parameters, timeout, outsideSignals);
                functions.add(new FunctionMethod(spec, new HandlerMethod(spec.channel(), method.declaringClass(),
                        method, -1, breakers.breakersOf(method), List.of())));
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(jsonProblems(functions));
        }
        handlers.handlers().stream().filter(handler -> names.containsKey(handler.channel()))
                .forEach(handler -> problems.add(handler.describe() + ": channel " + handler.channel()
                        + " is a durable function's queue"));
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "Errand found durable functions it cannot run:\n  - " + String.join("\n  - ", problems));
        }
        return new FunctionsBuildItem(functions);
    }

    /**
     * Arguments and results that a plain Jackson mapper cannot write and read back. The service's own
     * mapper checks again at start-up, with the modules and settings the service gives it.
     */
    private static List<String> jsonProblems(List<FunctionMethod> functions) {
        ObjectMapper mapper = JsonMapper.builder().findAndAddModules().build();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<String> problems = new ArrayList<>();
        for (FunctionMethod function : functions) {
            FunctionSpec spec = function.spec();
            try {
                Method method = FunctionTypes.method(spec.beanClass(), spec.method(), spec.parameters(), loader);
                FunctionTypes.jsonProblems(mapper, method).forEach(problem -> problems.add(function.consumer().describe()
                        + ": arguments and results are JSON, and " + problem));
            } catch (ReflectiveOperationException | LinkageError e) {
                // Not loadable at build time: the start-up check, with the service's mapper, decides.
            }
        }
        return problems;
    }

    private static String name(AnnotationInstance durable, MethodInfo method) {
        AnnotationValue name = durable.value("name");
        return name != null && !name.asString().isEmpty() ? name.asString()
                : method.declaringClass().simpleName() + "." + method.name();
    }

    /** The erased type as {@code Class.forName} reads it (Jandex spells arrays in descriptor form). */
    private static String className(Type type) {
        return type.kind() == Type.Kind.PRIMITIVE ? type.asPrimitiveType().name().toString() : type.name().toString();
    }

    /** The annotation's {@code timeout}: null when it has none; a wrong one is a problem. */
    private static Duration timeout(AnnotationInstance durable, List<String> problems) {
        AnnotationValue value = durable.value("timeout");
        if (value == null || value.asString().isBlank()) {
            return null;
        }
        try {
            Duration timeout = DurationConverter.parseDuration(value.asString().trim());
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                problems.add("timeout = \"" + value.asString() + "\" is no positive duration");
                return null;
            }
            return timeout;
        } catch (IllegalArgumentException e) {
            problems.add("timeout = \"" + value.asString() + "\" is no duration (\"30s\", \"24h\", \"PT1H30M\"): "
                    + e.getMessage());
            return null;
        }
    }

    /** A workflow's {@code outsideSignals}, each name checked once. */
    private static List<String> outsideSignals(AnnotationInstance durable, List<String> problems) {
        AnnotationValue value = durable.value("outsideSignals");
        if (value == null) {
            return List.of();
        }
        TreeSet<String> names = new TreeSet<>();
        for (String signal : value.asStringArray()) {
            String problem = FunctionSpec.signalNameProblem(signal);
            if (problem != null) {
                problems.add("outsideSignals: " + problem);
            } else if (!names.add(signal)) {
                problems.add("outsideSignals names \"" + signal + "\" twice");
            }
        }
        return List.copyOf(names);
    }

    /** What makes a method unfit to be a durable function, in words its author can act on. */
    private static List<String> check(MethodInfo method, boolean workflow) {
        List<String> problems = new ArrayList<>();
        if (!method.returnType().name().equals(CALL)) {
            problems.add("a durable function returns Call<R> (its caller gets the handle; its body returns"
                    + " Call.returning(result) or Call.done()); this one returns " + method.returnType());
        }
        if (Modifier.isPrivate(method.flags()) || Modifier.isStatic(method.flags())) {
            problems.add("a durable function is a non-private instance method of a bean");
        }
        if (method.hasAnnotation(DURABLE_FUNCTION) && method.hasAnnotation(DURABLE_WORKFLOW)) {
            problems.add("@DurableFunction and @DurableWorkflow are one or the other");
        }
        for (Type parameter : method.parameterTypes()) {
            if (parameter.kind() == Type.Kind.TYPE_VARIABLE) {
                problems.add("argument type " + parameter + " is a type variable: JSON needs a concrete type");
            }
        }
        if (method.hasAnnotation(ErrandProcessor.ASYNCHRONOUS)
                || method.declaringClass().hasDeclaredAnnotation(ErrandProcessor.ASYNCHRONOUS)) {
            problems.add("@Asynchronous does not fit a durable function: Errand already runs it on its consumer's"
                    + " own threads");
        }
        if (workflow) {
            for (DotName ft : List.of(ErrandProcessor.RETRY, ErrandProcessor.CIRCUIT_BREAKER, FALLBACK)) {
                if (method.hasAnnotation(ft)) {
                    problems.add("@" + ft.withoutPackagePrefix() + " does not fit a workflow, which waits by"
                            + " ending its run: put it on its steps' calls or on the functions it starts");
                }
            }
        }
        AnnotationInstance breaker = method.annotation(ErrandProcessor.CIRCUIT_BREAKER);
        if (breaker != null && method.annotation(BreakerFinder.CIRCUIT_BREAKER_NAME) == null) {
            problems.add("@CircuitBreaker needs @CircuitBreakerName(\"...\") on a durable function, so that Errand"
                    + " can pause its consumer while the breaker is open");
        }
        return problems;
    }

    /**
     * One bean per function, in its bean's package, made as a handler's bridge is: its {@code @Incoming}
     * method hands the message straight to the consumer, and its run calls the method directly, through
     * the bean's client proxy (so the method's interceptors run), with no reflection:
     * <pre>{@code
     * @Singleton
     * class CrmExport_ErrandFunction_sendUser implements MessageRun<CallRequest>, FunctionBody {
     *     @Inject ConsumerRegistry consumers;
     *     Consumer consumer;
     *     @Inject FunctionWorker worker;
     *     @Inject CrmExport target;
     *     FunctionCatalog.Function function;
     *     @PostConstruct void init() { function = worker.function("export-user"); }
     *     @Incoming("errand-functions-export-user")
     *     public CompletionStage<Void> receive(Message<?> message) {
     *         if (consumer == null) consumer = consumers.consumer("errand-functions-export-user");
     *         return consumer.take(message, CallRequest.class, this);
     *     }
     *     public RunOutcome run(Task<CallRequest> task) { return worker.run(function, task, this); }
     *     public Call<?> call(Object[] arguments) { return target.sendUser((Long) arguments[0]); }
     * }
     * }</pre>
     */
    @BuildStep
    void generateBridges(FunctionsBuildItem functions, BuildProducer<GeneratedBeanBuildItem> beans) {
        GeneratedBeanGizmoAdaptor output = new GeneratedBeanGizmoAdaptor(beans);
        for (FunctionMethod function : functions.functions()) {
            HandlerMethod consumer = function.consumer();
            try (ClassCreator creator = ClassCreator.builder().classOutput(output).className(function.bridgeClassName())
                    .interfaces(MessageRun.class, FunctionBody.class).build()) {
                creator.addAnnotation(Singleton.class);
                FieldDescriptor registry = injected(creator, "consumers", ConsumerRegistry.class.getName());
                FieldCreator consumerField = creator.getFieldCreator("consumer", Consumer.class);
                consumerField.setModifiers(Modifier.PRIVATE);
                FieldDescriptor consumerHeld = consumerField.getFieldDescriptor();
                FieldDescriptor worker = injected(creator, "worker", FunctionWorker.class.getName());
                FieldDescriptor target = injected(creator, "target", consumer.bean().name().toString());
                FieldCreator functionField = creator.getFieldCreator("function", FunctionCatalog.Function.class);
                functionField.setModifiers(0);
                FieldDescriptor resolved = functionField.getFieldDescriptor();

                try (MethodCreator init = creator.getMethodCreator("init", void.class)) {
                    init.setModifiers(0);
                    init.addAnnotation(PostConstruct.class);
                    ResultHandle found = init.invokeVirtualMethod(
                            MethodDescriptor.ofMethod(FunctionWorker.class, "function", FunctionCatalog.Function.class,
                                    String.class),
                            init.readInstanceField(worker, init.getThis()), init.load(function.spec().name()));
                    init.writeInstanceField(resolved, init.getThis(), found);
                    init.returnVoid();
                }

                try (MethodCreator receive = creator.getMethodCreator("receive", CompletionStage.class, Message.class)) {
                    receive.setModifiers(Modifier.PUBLIC);
                    receive.setSignature("(Lorg/eclipse/microprofile/reactive/messaging/Message<*>;)"
                            + "Ljava/util/concurrent/CompletionStage<Ljava/lang/Void;>;");
                    receive.addAnnotation(Incoming.class).addValue("value", function.spec().channel());
                    // The consumer, read once into a local; made with the first message (racing first
                    // messages get the same one from the registry).
                    AssignableResultHandle held = receive.createVariable(Consumer.class);
                    receive.assign(held, receive.readInstanceField(consumerHeld, receive.getThis()));
                    BytecodeCreator missing = receive.ifNull(held).trueBranch();
                    missing.assign(held, missing.invokeVirtualMethod(
                            MethodDescriptor.ofMethod(ConsumerRegistry.class, "consumer", Consumer.class, String.class),
                            missing.readInstanceField(registry, missing.getThis()), missing.load(function.spec().channel())));
                    missing.writeInstanceField(consumerHeld, missing.getThis(), held);
                    ResultHandle stage = receive.invokeVirtualMethod(
                            MethodDescriptor.ofMethod(Consumer.class, "take", CompletionStage.class, Message.class,
                                    Class.class, MessageRun.class),
                            held, receive.getMethodParam(0), receive.loadClass(CallRequest.class), receive.getThis());
                    receive.returnValue(stage);
                }

                try (MethodCreator run = creator.getMethodCreator("run", RunOutcome.class, Task.class)) {
                    run.setModifiers(Modifier.PUBLIC);
                    run.addException(Exception.class);
                    ResultHandle outcome = run.invokeVirtualMethod(
                            MethodDescriptor.ofMethod(FunctionWorker.class, "run", RunOutcome.class,
                                    FunctionCatalog.Function.class, Task.class, FunctionBody.class),
                            run.readInstanceField(worker, run.getThis()), run.readInstanceField(resolved, run.getThis()),
                            run.getMethodParam(0), run.getThis());
                    run.returnValue(outcome);
                }

                try (MethodCreator call = creator.getMethodCreator("call", Call.class, Object[].class)) {
                    call.setModifiers(Modifier.PUBLIC);
                    call.addException(Exception.class);
                    MethodInfo method = consumer.method();
                    ResultHandle[] arguments = new ResultHandle[method.parametersCount()];
                    for (int i = 0; i < arguments.length; i++) {
                        arguments[i] = argument(call, call.readArrayValue(call.getMethodParam(0), i),
                                method.parameterType(i));
                    }
                    ResultHandle bean = call.readInstanceField(target, call.getThis());
                    MethodDescriptor body = MethodDescriptor.of(method);
                    ResultHandle returned = consumer.bean().isInterface()
                            ? call.invokeInterfaceMethod(body, bean, arguments)
                            : call.invokeVirtualMethod(body, bean, arguments);
                    call.returnValue(returned);
                }
            }
        }
    }

    private static FieldDescriptor injected(ClassCreator creator, String name, String type) {
        FieldCreator field = creator.getFieldCreator(name, type);
        field.setModifiers(0);
        field.addAnnotation(Inject.class);
        return field.getFieldDescriptor();
    }

    /** An argument as the method takes it: cast to its erased type, a primitive unboxed. */
    private static ResultHandle argument(MethodCreator call, ResultHandle value, Type type) {
        if (type.kind() != Type.Kind.PRIMITIVE) {
            return call.checkCast(value, type.name().toString());
        }
        Class<?> wrapper = switch (type.asPrimitiveType().primitive()) {
            case BOOLEAN -> Boolean.class;
            case BYTE -> Byte.class;
            case SHORT -> Short.class;
            case INT -> Integer.class;
            case LONG -> Long.class;
            case FLOAT -> Float.class;
            case DOUBLE -> Double.class;
            case CHAR -> Character.class;
        };
        String primitive = type.asPrimitiveType().name().toString();
        return call.invokeVirtualMethod(MethodDescriptor.ofMethod(wrapper, primitive + "Value", primitive),
                call.checkCast(value, wrapper));
    }

    @BuildStep
    void channelDefaults(FunctionsBuildItem functions, BuildProducer<RunTimeConfigurationDefaultBuildItem> defaults) {
        functions.functions().forEach(function -> ErrandProcessor
                .consumerChannelDefaults(function.consumer(), function.spec().queue(), defaults));
    }

    /**
     * The catalog reads the method's generic parameter and result types at start-up, to map its JSON;
     * it never invokes it (the bridge does, directly).
     */
    @BuildStep
    void reflection(FunctionsBuildItem functions, BuildProducer<ReflectiveMethodBuildItem> reflective) {
        functions.functions().forEach(function -> reflective
                .produce(new ReflectiveMethodBuildItem("errand durable function", function.consumer().method())));
    }

    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    void recordFunctions(FunctionsBuildItem functions, FunctionRecorder recorder) {
        recorder.record(new ArrayList<>(functions.functions().stream().map(function -> function.spec().encode()).toList()));
    }
}
