package dev.errand.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Finds the circuit breakers a handler goes through: {@code @CircuitBreakerName} on the handler
 * itself, and on the methods it calls, followed through the service's own classes a few calls deep.
 * So a handler that calls a gateway whose method has a named breaker pauses while that breaker is
 * open, with no list of names to keep in sync.
 * <p>
 * Reads bytecode, so it sees calls and not data flow: a call through an interface counts the
 * breakers of every implementation in the index, and overloads of a called name all count.
 */
final class BreakerFinder {

    static final DotName CIRCUIT_BREAKER_NAME = DotName
            .createSimple("io.smallrye.faulttolerance.api.CircuitBreakerName");
    /** How many calls away from the handler a breaker is still looked for. */
    private static final int DEPTH = 4;

    private final IndexView index;
    private final ClassLoader classLoader;
    private final Map<String, Map<String, List<Call>>> callsByMethod = new HashMap<>();

    BreakerFinder(IndexView index, ClassLoader classLoader) {
        this.index = index;
        this.classLoader = classLoader;
    }

    List<String> breakersOf(MethodInfo handler) {
        Set<String> names = new TreeSet<>();
        Set<String> seen = new HashSet<>();
        Deque<Call> todo = new ArrayDeque<>();
        todo.add(new Call(handler.declaringClass().name().toString(), handler.name(), 0));
        while (!todo.isEmpty()) {
            Call call = todo.poll();
            if (!seen.add(call.owner() + "#" + call.name())) {
                continue;
            }
            for (MethodInfo method : targets(call)) {
                AnnotationInstance name = method.annotation(CIRCUIT_BREAKER_NAME);
                if (name != null) {
                    names.add(name.value().asString());
                }
                if (call.depth() < DEPTH) {
                    for (Call next : callsIn(method)) {
                        todo.add(new Call(next.owner(), next.name(), call.depth() + 1));
                    }
                }
            }
        }
        return List.copyOf(names);
    }

    /** The methods a call may reach: on the owner, and on the owner's implementations and subclasses. */
    private List<MethodInfo> targets(Call call) {
        List<MethodInfo> methods = new ArrayList<>();
        ClassInfo owner = index.getClassByName(DotName.createSimple(call.owner()));
        if (owner == null) {
            return methods;
        }
        List<ClassInfo> classes = new ArrayList<>();
        classes.add(owner);
        if (owner.isInterface()) {
            classes.addAll(index.getAllKnownImplementations(owner.name()));
        } else {
            classes.addAll(index.getAllKnownSubclasses(owner.name()));
        }
        for (ClassInfo type : classes) {
            for (MethodInfo method : type.methods()) {
                if (method.name().equals(call.name())) {
                    methods.add(method);
                }
            }
        }
        return methods;
    }

    /** The calls a method's bytecode makes to classes of the index. */
    private List<Call> callsIn(MethodInfo method) {
        return callsByMethod.computeIfAbsent(method.declaringClass().name().toString(), this::readCalls)
                .getOrDefault(method.name(), List.of());
    }

    /** Every call each method of a class makes to classes of the index, by method name: one read a class. */
    private Map<String, List<Call>> readCalls(String className) {
        Map<String, List<Call>> calls = new HashMap<>();
        try (InputStream bytes = classLoader.getResourceAsStream(className.replace('.', '/') + ".class")) {
            if (bytes == null) {
                return calls;
            }
            new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    List<Call> made = calls.computeIfAbsent(name, any -> new ArrayList<>());
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String called, String calledDescriptor,
                                boolean isInterface) {
                            String ownerName = owner.replace('/', '.');
                            if (index.getClassByName(DotName.createSimple(ownerName)) != null) {
                                made.add(new Call(ownerName, called, 0));
                            }
                        }

                        // A lambda's body is a method of its own: follow into it.
                        @Override
                        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap,
                                Object... arguments) {
                            for (Object argument : arguments) {
                                if (argument instanceof Handle handle) {
                                    visitMethodInsn(Opcodes.INVOKESTATIC, handle.getOwner(), handle.getName(),
                                            handle.getDesc(), handle.isInterface());
                                }
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        } catch (IOException e) {
            // A class that cannot be read contributes no breakers; the start-up log lists what was found.
        }
        return calls;
    }

    private record Call(String owner, String name, int depth) {
    }
}
