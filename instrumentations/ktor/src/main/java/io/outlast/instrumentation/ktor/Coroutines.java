package io.outlast.instrumentation.ktor;

import io.outlast.family.Reflection;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/** What the agent calls on Kotlin's coroutines, through the loader of the Ktor server's own copy. */
final class Coroutines {
    private static final ClassValue<Coroutines> BY_TYPE = new ClassValue<Coroutines>() {
        @Override
        protected Coroutines computeValue(Class<?> type) {
            try {
                return new Coroutines(type.getClassLoader());
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("Kotlin coroutines not readable: " + e, e);
            }
        }
    };
    private static final ClassValue<Method> COMPLETION = Reflection.publicMethodPerClass("getCompletion");

    private final ClassLoader loader;
    private final Class<?> function1;
    private final Method getContext;
    private final Method contextGet;
    private final Object jobKey;
    private final Method parent;
    private final Method cancel;
    private final Method invokeOnCompletion;

    private Coroutines(ClassLoader loader) throws ReflectiveOperationException {
        this.loader = loader;
        function1 = Class.forName("kotlin.jvm.functions.Function1", false, loader);
        getContext = Class.forName("kotlin.coroutines.Continuation", false, loader).getMethod("getContext");
        Class<?> context = Class.forName("kotlin.coroutines.CoroutineContext", false, loader);
        contextGet = context.getMethod("get", Class.forName("kotlin.coroutines.CoroutineContext$Key", false, loader));
        Class<?> job = Class.forName("kotlinx.coroutines.Job", false, loader);
        Field key = job.getField("Key");
        jobKey = key.get(null);
        parent = optional(job, "getParent");
        cancel = job.getMethod("cancel", CancellationException.class);
        invokeOnCompletion = job.getMethod("invokeOnCompletion", function1);
    }

    /** For the coroutines that {@code type}'s loader sees (a Ktor class, a job, a continuation). */
    static Coroutines of(Class<?> type) {
        return BY_TYPE.get(type);
    }

    /**
     * The connection's pipeline job, which ends when both its reader and writer have: the writer's job (in its
     * continuation's context) has it as its parent ({@code Job.parent}, kotlinx.coroutines 1.8 on; the writer's own
     * job before that, which ends when the writer does).
     */
    Object pipelineJob(Object writerContinuation) throws ReflectiveOperationException {
        Object writer = contextGet.invoke(getContext.invoke(writerContinuation), jobKey);
        Object pipeline = parent == null ? null : parent.invoke(writer);
        return pipeline != null ? pipeline : writer;
    }

    /** {@code job.cancel(null)}: the pipeline ends, and CIO closes the socket as it does after any pipeline. */
    void cancel(Object job) throws ReflectiveOperationException {
        cancel.invoke(job, (Object) null);
    }

    /** {@code job.invokeOnCompletion(handler)}, the handler a Kotlin function made in the job's own loader. */
    void whenComplete(Object job, Consumer<Object> action) throws ReflectiveOperationException {
        Object handler = Proxy.newProxyInstance(loader, new Class<?>[] {function1}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "invoke":
                    action.accept(args[0]);
                    return null;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    return "outlast's close of a Ktor connection";
            }
        });
        invokeOnCompletion.invoke(job, handler);
    }

    /** A Kotlin continuation's caller: {@code BaseContinuationImpl.getCompletion()}. */
    static Object completion(Object continuation) throws ReflectiveOperationException {
        Method m = COMPLETION.get(continuation.getClass());
        return m == null ? null : m.invoke(continuation);
    }

    private static Method optional(Class<?> type, String name) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
